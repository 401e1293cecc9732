"""``cramp-coach reminder set/off`` and the reminder's record: a change made
while no Cramp Coach runs must not turn into a late reminder or missed nights
at the next start, and the person is told that the reminder needs the app."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach import cli, instance
from coach.core import paths
from coach.core.notices import Notices
from coach.core.reminders import Outcome, Reminders, ReminderStateStore
from coach.core.schedule import Fire, ReminderConfig
from coach.core.settings import SettingsStore
from coach.core.timezones import local_zone
from coach.services import autostart
from tests.fakes.autostart import FakeAutostart
from tests.fakes.clock import FakeClock

pytestmark = pytest.mark.usefixtures("cli_logging")  # in tests/conftest.py

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The command's clock, and the app's: Tuesday 10 March 2026, 21:00 in Berlin."""
    fake = FakeClock(datetime(2026, 3, 10, 21, 0, tzinfo=BERLIN).astimezone(timezone.utc))
    monkeypatch.setattr("coach.core.clock.SystemClock", lambda: fake)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    return fake


class RunningApp:
    """Stands in for :func:`coach.instance.hand_over`: what was asked of a
    running Cramp Coach, and whether one took it (none, unless told)."""

    def __init__(self) -> None:
        self.running = False
        self.requests: list[str] = []

    def hand_over(self, action: str, routine: str | None = None,
                  name: str | None = None) -> bool:
        self.requests.append(action)
        return self.running


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> RunningApp:
    fake = RunningApp()
    monkeypatch.setattr(instance, "hand_over", fake.hand_over)
    return fake


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> FakeAutostart:
    fake = FakeAutostart(enabled=False)
    monkeypatch.setattr(autostart, "autostart_for_platform", lambda: fake)
    return fake


def app_starts(clock: FakeClock) -> tuple[Fire | None, list[Outcome], Reminders]:
    """What a starting app does first (ReminderController.refresh): catch up
    under the settings on disk and save the record; the diary gets one event
    per outcome."""
    settings = SettingsStore(paths.settings_file(), Notices(), clock).load()
    store = ReminderStateStore(paths.reminder_state_file(), Notices(), clock)
    reminders = Reminders(ReminderConfig.from_dict(dict(settings.reminder)), store.load(),
                          local_zone())
    late, outcomes = reminders.catch_up(clock.wall())
    assert store.save(reminders.state)
    return late, outcomes, reminders


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_reminder_set_after_its_time_with_the_app_closed_is_neither_late_nor_missed(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The audit's case: the app ran with reminders off and quit; two days
    later a reminder is set for 20 minutes ago; the app starts at once."""
    app_starts(clock)  # reminders off: settled up to now
    clock.advance(timedelta(days=2).total_seconds())  # Thursday, 21:00
    status, out, _err = run(capsys, "reminder", "set", "20:40")
    assert status == 0 and "Bedtime reminder: on" in out
    assert app.requests == ["reload"]
    late, outcomes, reminders = app_starts(clock)
    assert late is None
    assert outcomes == []  # nothing for the diary either
    assert reminders.state.missed == frozenset()
    upcoming = reminders.next_fire(clock.wall())
    assert upcoming is not None and upcoming.night == date(2026, 3, 13)


def test_reminders_due_later_still_come_after_a_change_with_the_app_closed(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    app_starts(clock)
    assert run(capsys, "reminder", "set", "21:30")[0] == 0
    clock.advance(timedelta(minutes=40).total_seconds())  # 21:40: the app starts late
    late, outcomes, _reminders = app_starts(clock)
    assert late is not None and late.night == date(2026, 3, 10)
    assert outcomes == [Outcome("fired", date(2026, 3, 10))]


def test_a_running_app_gets_the_change_and_the_record_is_left_to_it(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The app catches up under the old settings itself, on "reload"."""
    app_starts(clock)
    record = paths.reminder_state_file().read_bytes()
    app.running = True
    clock.advance(3600)
    status, _out, err = run(capsys, "reminder", "set", "21:30")
    assert status == 0 and err == ""
    assert app.requests == ["reload"]
    assert paths.reminder_state_file().read_bytes() == record


@pytest.mark.parametrize("at_login", [False, True])
def test_setting_a_reminder_with_no_app_running_says_how_to_start_it(
        clock: FakeClock, app: RunningApp, login: FakeAutostart, at_login: bool,
        capsys: pytest.CaptureFixture[str]) -> None:
    login.enabled = at_login
    status, out, err = run(capsys, "reminder", "set", "22:30")
    assert status == 0
    assert "Bedtime reminder: on" in out and "not running" not in out
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert "only while it runs" in lines[0]
    assert "cramp-coach --background" in lines[0]
    assert ("cramp-coach autostart on" in lines[0]) is not at_login


def test_switching_the_reminder_off_with_no_app_running_says_nothing_more(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "reminder", "off")
    assert status == 0 and "Bedtime reminder: off" in out
    assert err == ""


def stored_record(text: str) -> Path:
    """The reminder's record as a file holding ``text``."""
    record = paths.reminder_state_file()
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(text)
    return record


def test_a_damaged_record_is_kept_aside_with_a_word_not_reset_silently(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = stored_record("{not json")
    status, _out, err = run(capsys, "reminder", "set", "22:30")
    assert status == 0
    assert "not readable" in err and "kept as" in err
    kept = list(record.parent.glob(f"{record.name}.corrupt-*"))
    assert [path.read_text() for path in kept] == ["{not json"]
    late, outcomes, _reminders = app_starts(clock)
    assert late is None and outcomes == []


def test_a_command_meeting_damaged_settings_says_where_they_went(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The same notice as in the app, worded for a command too: it used to
    say "Cramp Coach started with default settings" when nothing started."""
    settings = paths.settings_file()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("{not json")
    status, out, err = run(capsys, "reminder", "set", "22:30")
    assert status == 0 and "Bedtime reminder: on" in out
    (kept,) = settings.parent.glob(f"{settings.name}.corrupt-*")
    assert kept.read_text() == "{not json"
    assert "default settings are used" in err and str(kept) in err
    assert "started" not in err


def test_a_record_from_a_newer_version_is_left_as_it_is(
        clock: FakeClock, app: RunningApp, login: FakeAutostart,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = stored_record('{"version": 99}')
    status, out, err = run(capsys, "reminder", "set", "22:30")
    assert status == 1  # the record could not be settled; the reminder itself is set
    assert "Bedtime reminder: on" in out
    assert "newer Cramp Coach" in err
    assert record.read_text() == '{"version": 99}'
