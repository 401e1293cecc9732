"""The settings file: repaired where it can be, set aside where it cannot, never
lost to a crash, and never overwritten when it came from a newer version."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import coach
from coach.core.early_settings import SETTINGS_VERSION, SIZE_LIMIT
from coach.core.notices import Notice, Notices
from coach.core.settings import Settings, SettingsStore
from tests.fakes.clock import FakeClock

STAMP = "20260105-120000Z"  # FakeClock's default wall time, in UTC


class Harness:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = FakeClock()
        self.notices = Notices()
        self.shown: list[Notice] = []
        self.notices.subscribe(self.shown.append)

    def store(self) -> SettingsStore:
        return SettingsStore(self.path, self.notices, self.clock)

    def folder_names(self) -> list[str]:
        """Without the lock file, which is kept on purpose (see atomic.locked)."""
        return sorted(p.name for p in self.path.parent.iterdir()
                      if p.name != "settings.json.lock")


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "config" / "cramp-coach" / "settings.json")


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)


CUSTOM = Settings(
    theme="night", auto_advance=False, sound=False, voice=True, get_ready_seconds=10,
    disclaimer_accepted=True, tray_notice_shown=True, autostart=True, autostart_offered=True,
    profile=frozenset({"pregnancy", "varicose_veins"}),
    medicines_started={"diuretic": "2026-10-01"},
    reminder={"enabled": True, "time": "21:30", "days": [0, 2, 4]},
    windows={"main": "AAEC"}, seen_flags=frozenset({"swollen_leg"}))


# -- the happy path -------------------------------------------------------------


def test_round_trip_through_the_file(harness: Harness) -> None:
    assert harness.store().save(CUSTOM)
    assert harness.store().load() == CUSTOM
    assert harness.shown == []


def test_the_file_is_sorted_indented_and_versioned(harness: Harness) -> None:
    harness.store().save(CUSTOM)
    text = harness.path.read_text()
    document = json.loads(text)
    assert document["version"] == SETTINGS_VERSION
    assert document["profile"] == ["pregnancy", "varicose_veins"]
    assert text == json.dumps(document, sort_keys=True, indent=2) + "\n"
    assert harness.folder_names() == ["settings.json"]


def test_json_round_trip_without_warnings() -> None:
    assert Settings.from_json(CUSTOM.to_json()) == (CUSTOM, [])
    assert Settings.from_json(Settings().to_json()) == (Settings(), [])


def test_a_missing_file_gives_defaults_silently_and_creates_nothing(harness: Harness) -> None:
    store = harness.store()
    assert store.load() == Settings()
    assert harness.shown == [] and not store.read_only
    assert not harness.path.parent.exists()


def test_saving_creates_the_folder(harness: Harness) -> None:
    assert harness.store().save(Settings(theme="day"))
    assert harness.store().load().theme == "day"


def test_a_byte_order_mark_from_a_text_editor_is_tolerated(harness: Harness) -> None:
    write(harness.path, b"\xef\xbb\xbf" + json.dumps(CUSTOM.to_json()).encode())
    assert harness.store().load() == CUSTOM


def test_update_changes_saves_and_returns_the_new_settings(harness: Harness) -> None:
    store = harness.store()
    store.load()
    updated = store.update(sound=False, windows={"main": "QUJD"})
    assert updated.sound is False and updated.windows == {"main": "QUJD"}
    assert harness.store().load() == updated
    assert store.update(voice=True) == Settings(sound=False, voice=True,
                                                windows={"main": "QUJD"})


def test_a_wrong_update_is_a_programming_error(harness: Harness) -> None:
    store = harness.store()
    with pytest.raises(TypeError):
        store.update(colour="red")
    with pytest.raises(ValueError, match="get_ready_seconds"):
        store.update(get_ready_seconds=7)
    assert not harness.path.exists()


def test_settings_cannot_be_changed_in_place() -> None:
    windows = {"main": "AAEC"}
    settings = Settings(windows=windows, profile=frozenset({"pregnancy"}))
    windows["main"] = "changed"
    assert settings.windows == {"main": "AAEC"}
    with pytest.raises(TypeError):
        settings.windows["main"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        settings.theme = "day"  # type: ignore[misc]


def test_building_settings_with_a_bad_value_raises() -> None:
    with pytest.raises(ValueError, match="theme"):
        Settings(theme="dusk")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="medicines_started"):
        Settings(medicines_started={"diuretic": "last spring"})
    with pytest.raises(ValueError, match="sound"):
        Settings(sound=1)  # type: ignore[arg-type]


# -- repair, field by field ----------------------------------------------------------


def test_a_wrong_field_falls_back_while_the_others_survive(harness: Harness) -> None:
    document = CUSTOM.to_json() | {"theme": 42, "sound": "yes", "get_ready_seconds": True,
                                   "colour": "red"}
    write(harness.path, json.dumps(document))
    settings = harness.store().load()
    assert settings.theme == "auto" and settings.sound is True
    assert settings.get_ready_seconds == 5
    assert settings.profile == CUSTOM.profile and settings.voice is True
    assert settings.reminder == CUSTOM.reminder
    assert len(harness.shown) == 1
    text = harness.shown[0].text
    assert harness.shown[0].level == "warning"
    for name in ("'theme'", "'sound'", "'get_ready_seconds'", "'colour'"):
        assert name in text
    assert harness.folder_names() == ["settings.json"]  # repaired, not set aside


def test_warnings_name_each_problem() -> None:
    settings, warnings = Settings.from_json({"version": 1, "theme": "dusk", "extra": 1})
    assert settings == Settings()
    assert len(warnings) == 2
    assert "'theme'" in warnings[0] and "dusk" in warnings[0]
    assert "'extra'" in warnings[1] and "dropped" in warnings[1]


def test_only_bad_entries_are_dropped_from_lists_and_maps() -> None:
    settings, warnings = Settings.from_json({
        "profile": ["clot_history", 3, "from_a_newer_version"],
        "medicines_started": {"diuretic": "2026-10-01", "statin": "last spring"},
        "windows": {"main": "AAEC", "diary": 5},
    })
    # Losing a clot history would un-hide massage advice: keep what is valid.
    assert settings.profile == {"clot_history", "from_a_newer_version"}
    assert settings.medicines_started == {"diuretic": "2026-10-01"}
    assert settings.windows == {"main": "AAEC"}
    assert [w.split(":")[0] for w in warnings] == ["'profile'", "'medicines_started'",
                                                   "'windows'"]


def test_a_container_of_the_wrong_kind_falls_back() -> None:
    settings, warnings = Settings.from_json({"profile": "pregnancy", "reminder": [1],
                                             "windows": None})
    assert settings == Settings()
    assert len(warnings) == 3


def test_a_value_nested_past_pythons_stack_is_dropped_not_raised() -> None:
    """Found by an audit: the reminder's opaque data nested some thousand
    deep parsed, then failed to be copied, and every start and command died."""
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    settings, warnings = Settings.from_json({"version": 1, "theme": "night",
                                             "reminder": {"times": deep}})
    assert settings == Settings(theme="night")
    [warning] = warnings
    assert warning.startswith("'reminder' was reset to its default")


def test_saving_after_a_repair_writes_a_clean_file(harness: Harness) -> None:
    write(harness.path, json.dumps({"version": 1, "theme": "dusk", "voice": True}))
    store = harness.store()
    store.save(store.load())
    assert Settings.from_json(json.loads(harness.path.read_text())) == (
        Settings(voice=True), [])


# -- files that cannot be settings at all ------------------------------------------

UNUSABLE = {
    "not JSON": "{ theme: night",
    "not an object": "[1, 2, 3]",
    "binary garbage": b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00",
    "empty": "",
    "no version": '{"theme": "night"}',
    "text version": '{"version": "1"}',
    "boolean version": '{"version": true}',
    "version zero": '{"version": 0}',
    "nested too deeply": "[" * 100_000,
    "number too long": '{"version": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("content", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_an_unusable_file_is_set_aside_with_one_notice(harness: Harness,
                                                       content: str | bytes) -> None:
    write(harness.path, content)
    store = harness.store()
    assert store.load() == Settings()
    aside = harness.path.with_name(f"settings.json.corrupt-{STAMP}")
    assert aside.read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert harness.folder_names() == [aside.name]
    assert len(harness.shown) == 1
    assert str(aside) in harness.shown[0].text and "default settings" in harness.shown[0].text
    assert store.save(Settings(theme="day")) and not store.read_only
    assert harness.store().load().theme == "day"


def test_a_second_unusable_file_in_the_same_second_does_not_replace_the_first(
        harness: Harness) -> None:
    write(harness.path, "first")
    harness.store().load()
    write(harness.path, "second")
    harness.store().load()
    assert (harness.path.parent / f"settings.json.corrupt-{STAMP}").read_text() == "first"
    assert (harness.path.parent / f"settings.json.corrupt-{STAMP}-2").read_text() == "second"
    assert len(harness.shown) == 2


def test_a_folder_in_place_of_the_file_is_set_aside(harness: Harness) -> None:
    harness.path.mkdir(parents=True)
    (harness.path / "inside").write_text("kept")
    store = harness.store()
    assert store.load() == Settings()
    aside = harness.path.with_name(f"settings.json.corrupt-{STAMP}")
    assert (aside / "inside").read_text() == "kept"
    assert len(harness.shown) == 1
    assert store.save(Settings())


def test_an_unreadable_file_is_set_aside(harness: Harness) -> None:
    write(harness.path, json.dumps(CUSTOM.to_json()))
    harness.path.chmod(0)
    try:
        harness.path.read_bytes()
    except PermissionError:
        pass
    else:
        pytest.skip("permissions do not stop reads here (running as root?)")
    assert harness.store().load() == Settings()
    assert harness.folder_names() == [f"settings.json.corrupt-{STAMP}"]
    assert "could not be read" in harness.shown[0].text


def test_a_file_that_cannot_be_set_aside_is_left_alone(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    write(harness.path, "not json")

    def refuse(src: object, dst: object, **options: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(src))

    monkeypatch.setattr(os, "link", refuse)  # a read-only folder refuses both
    monkeypatch.setattr(os, "rename", refuse)
    store = harness.store()
    assert store.load() == Settings()
    assert store.read_only
    assert [n.level for n in harness.shown] == ["error"]
    assert "could not be moved" in harness.shown[0].text
    assert store.save(Settings(theme="day")) is False
    assert store.update(theme="night").theme == "night"
    assert harness.path.read_text() == "not json"
    assert len(harness.shown) == 1


# -- a file from a newer version ---------------------------------------------------


def test_a_newer_file_is_refused_and_left_byte_identical(harness: Harness) -> None:
    original = json.dumps({"version": SETTINGS_VERSION + 1, "theme": "night",
                           "hologram": True}, indent=4).encode()
    write(harness.path, original)
    store = harness.store()
    assert store.load() == Settings()
    assert store.read_only
    assert len(harness.shown) == 1
    assert "newer Cramp Coach" in harness.shown[0].text
    assert "left untouched" in harness.shown[0].text
    assert store.save(Settings(theme="day")) is False
    assert store.update(sound=False).sound is False
    assert harness.path.read_bytes() == original
    assert harness.folder_names() == ["settings.json"]
    assert len(harness.shown) == 1


def test_a_newer_file_posted_before_anyone_listens_reaches_the_first_display(
        tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 99}))
    notices = Notices()
    SettingsStore(path, notices, FakeClock()).load()
    assert [n.key for n in notices.pending()] == ["settings-newer"]


# -- saving that fails ---------------------------------------------------------------


def test_a_file_where_the_folder_should_be_makes_saving_fail_politely(
        harness: Harness) -> None:
    # Works even as root, unlike a chmod-ed folder.
    folder = harness.path.parent
    folder.parent.mkdir(parents=True)
    folder.write_text("I am a file")
    store = harness.store()
    assert store.load() == Settings()
    assert len(harness.shown) == 1 and not store.read_only
    assert store.save(CUSTOM) is False
    assert store.save(CUSTOM) is False
    assert len(harness.shown) == 2
    assert harness.shown[1].level == "error"
    assert "could not be saved" in harness.shown[1].text
    assert str(folder) in harness.shown[1].text
    assert folder.read_text() == "I am a file"


@pytest.mark.skipif(os.name == "nt", reason="flock is POSIX")
def test_a_lock_held_elsewhere_makes_saving_fail_politely(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hung copy of the app holding the lock: the save gives up at the
    bound (here none), keeps the change for this run and says why."""
    import fcntl
    from functools import partial

    from coach.core import atomic, settings

    monkeypatch.setattr(settings, "locked", partial(atomic.locked, wait_s=0))
    store = harness.store()
    store.load()
    write(harness.path, "{}")
    with open(atomic.lock_path(harness.path), "wb") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert store.update(theme="night").theme == "night"
    assert store.current.theme == "night"
    assert harness.path.read_text() == "{}"
    assert harness.shown[-1].level == "error"
    assert "could not be saved" in harness.shown[-1].text
    assert "kept it locked" in harness.shown[-1].text


def test_a_read_only_folder_makes_saving_fail_politely(harness: Harness) -> None:
    folder = harness.path.parent
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("permissions do not stop writes here (running as root?)")
        store = harness.store()
        assert store.save(CUSTOM) is False
        assert len(harness.shown) == 1 and "Permission denied" in harness.shown[0].text
        assert store.save(CUSTOM) is False
        assert len(harness.shown) == 1
    finally:
        folder.chmod(0o700)


def test_each_distinct_save_problem_is_reported_once(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = iter([OSError(errno.ENOSPC, "No space left on device"),
                     OSError(errno.ENOSPC, "No space left on device"),
                     OSError(errno.EROFS, "Read-only file system")])

    def fail(path: Path, text: str) -> None:
        raise next(problems)

    monkeypatch.setattr("coach.core.settings.atomic_write_text", fail)
    store = harness.store()
    results = [store.save(CUSTOM) for _ in range(3)]
    assert results == [False, False, False]
    assert ["No space" in n.text or "Read-only" in n.text for n in harness.shown] == [True, True]
    assert "No space" in harness.shown[0].text and "Read-only" in harness.shown[1].text


# -- a write killed half-way -----------------------------------------------------------

KILLER = """
import os, signal, sys
from pathlib import Path
from coach.core import atomic

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

setattr(os, sys.argv[2], die)
atomic.atomic_write_text(Path(sys.argv[1]), '{"version": 1, "theme": "' + "d" * 5_000_000)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("killed_in", ["fsync", "replace"])
def test_a_killed_write_leaves_the_old_file_whole(harness: Harness, killed_in: str) -> None:
    assert harness.store().save(CUSTOM)
    original = harness.path.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(Path(coach.__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, "-c", KILLER, str(harness.path), killed_in],
                            env=env, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr

    assert harness.path.read_bytes() == original
    leftovers = [n for n in harness.folder_names() if n != "settings.json"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".settings.json.")

    # A fresh leftover might be another process's write in progress: kept.
    leftover = harness.path.parent / leftovers[0]
    now = harness.clock.wall().timestamp()
    os.utime(leftover, (now, now))
    store = harness.store()
    assert store.load() == CUSTOM
    assert harness.shown == []
    assert store.save(CUSTOM) and len(harness.folder_names()) == 2
    # An old one is a killed write's: the next start removes it.
    harness.clock.advance(timedelta(hours=2).total_seconds())
    assert harness.store().load() == CUSTOM
    assert harness.folder_names() == ["settings.json"]


def test_leftover_temporary_files_are_ignored_when_loading(harness: Harness) -> None:
    harness.store().save(CUSTOM)
    (harness.path.parent / ".settings.json.x1y2.tmp").write_text('{"version": 1, "th')
    assert harness.store().load() == CUSTOM
    assert harness.shown == []


# -- other writers: the app and the command line share the file ------------------------


def test_update_keeps_what_another_process_saved_since_this_one_loaded(
        harness: Harness) -> None:
    app = harness.store()
    app.load()  # the app started, then someone ran `cramp-coach reminder set`
    cli = harness.store()
    assert cli.update_with(lambda s: dataclasses.replace(s, reminder={"enabled": True}))
    settings = app.update(windows={"main": "QUJD"})  # the app saves its placement
    assert settings.reminder == {"enabled": True} and settings.windows == {"main": "QUJD"}
    assert harness.store().load() == settings
    assert app.current == settings


def test_update_with_gets_the_settings_on_disk_and_saves_what_it_returns(
        harness: Harness) -> None:
    harness.store().save(CUSTOM)
    store = harness.store()  # never loaded: what it holds in memory is the default
    seen: list[Settings] = []

    def change(settings: Settings) -> Settings:
        seen.append(settings)
        return dataclasses.replace(settings, theme="day")

    assert store.update_with(change)
    assert seen == [CUSTOM]
    assert harness.store().load() == dataclasses.replace(CUSTOM, theme="day")


def test_a_change_that_raises_saves_nothing_and_releases_the_lock(harness: Harness) -> None:
    harness.store().save(CUSTOM)

    def bad(settings: Settings) -> Settings:
        raise ValueError("not that")

    with pytest.raises(ValueError, match="not that"):
        harness.store().update_with(bad)
    assert harness.store().load() == CUSTOM
    assert harness.store().update(theme="day").theme == "day"  # the lock is free


def test_threads_updating_one_field_each_lose_nothing(harness: Harness) -> None:
    harness.store().save(Settings())
    rounds = 40

    def add_flags(prefix: str) -> None:
        store = harness.store()  # one store per thread, as documented
        for n in range(rounds):
            flag = f"{prefix}{n}"

            def add(settings: Settings, flag: str = flag) -> Settings:
                return dataclasses.replace(settings, seen_flags=settings.seen_flags | {flag})

            store.update_with(add)

    workers = [threading.Thread(target=add_flags, args=(p,)) for p in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert harness.store().load().seen_flags == {f"{p}{n}" for p in "ab" for n in range(rounds)}
    assert harness.shown == []


def test_saving_holds_the_lock(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    held: list[bool] = []

    def write(path: Path, text: str) -> None:
        fcntl = pytest.importorskip("fcntl")
        with open(path.with_name("settings.json.lock"), "rb") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.append(True)
            else:
                held.append(False)
        path.write_text(text)

    monkeypatch.setattr("coach.core.settings.atomic_write_text", write)
    store = harness.store()
    assert store.save(CUSTOM)
    assert store.update(theme="day").theme == "day"
    assert held == [True, True]


# -- symlinks, modes and read-only files -----------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_settings_file_is_written_through(harness: Harness,
                                                      tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "cramp-coach.json"
    write(target, json.dumps(CUSTOM.to_json()))
    harness.path.parent.mkdir(parents=True)
    harness.path.symlink_to(target)

    store = harness.store()
    assert store.load() == CUSTOM
    assert store.update(theme="day").theme == "day"

    assert harness.path.is_symlink() and harness.path.resolve() == target
    assert harness.store().load() == dataclasses.replace(CUSTOM, theme="day")
    assert json.loads(target.read_text())["theme"] == "day"
    assert sorted(p.name for p in dotfiles.iterdir()) == ["cramp-coach.json"]
    assert harness.shown == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_saving_keeps_the_files_mode(harness: Harness) -> None:
    write(harness.path, json.dumps(CUSTOM.to_json()))
    harness.path.chmod(0o640)
    store = harness.store()
    store.load()
    assert store.update(theme="day").theme == "day"
    assert stat.S_IMODE(harness.path.stat().st_mode) == 0o640
    assert harness.store().load().theme == "day"


def test_a_read_only_file_is_kept_and_saving_is_refused_with_a_notice(
        harness: Harness) -> None:
    original = json.dumps(CUSTOM.to_json()).encode()
    write(harness.path, original)
    harness.path.chmod(0o444)
    store = harness.store()
    assert store.load() == CUSTOM
    assert harness.shown == []  # nothing to say until a change cannot be kept

    assert store.update(theme="day").theme == "day"  # holds for this run
    assert store.save(store.current) is False
    assert harness.path.read_bytes() == original
    assert stat.S_IMODE(harness.path.stat().st_mode) == 0o444
    assert [n.level for n in harness.shown] == ["error"]
    text = harness.shown[0].text
    assert "read-only" in text and str(harness.path) in text and "writable" in text
    assert harness.folder_names() == ["settings.json"]


# -- files that are not settings files at all -------------------------------------------


def test_an_oversized_file_is_set_aside_unread(harness: Harness) -> None:
    write(harness.path, b'{"version": 1, "notes": "' + b"x" * SIZE_LIMIT + b'"}')
    store = harness.store()
    assert store.load() == Settings()
    aside = harness.path.with_name(f"settings.json.corrupt-{STAMP}")
    assert aside.stat().st_size > SIZE_LIMIT
    assert "too large" in harness.shown[0].text and str(aside) in harness.shown[0].text
    assert store.save(CUSTOM) and harness.store().load() == CUSTOM


def test_the_country_and_typed_numbers_round_trip_and_bad_ones_are_repaired() -> None:
    from coach.core.settings import Settings

    chosen = Settings(country="other", emergency_numbers="000", same_day_help="call healthdirect")
    again, warnings = Settings.from_json(chosen.to_json())
    assert again == chosen and warnings == []
    assert again.contacts().emergency == ("000",)
    repaired, warnings = Settings.from_json({"country": "Narnia",
                                             "emergency_numbers": "call me; rm -rf"})
    assert (repaired.country, repaired.emergency_numbers) == ("", "")
    assert len(warnings) == 2
