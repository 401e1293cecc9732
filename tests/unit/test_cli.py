"""The command line, run as a user runs it: a separate process, real files."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from coach import cli
from coach.core import paths
from coach.core.clock import SystemClock
from coach.core.diary import Diary
from coach.core.notices import Notices
from coach.core.schedule import ReminderConfig
from coach.core.settings import Settings, SettingsStore
from tests.conftest import russian

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): .+$")

pytestmark = pytest.mark.usefixtures("cli_logging")  # in tests/conftest.py


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


BROKEN = {
    "tabs.yaml": "tips:\n\t- id: a\n",
    "indent.yaml": "tips:\n  - id: a\n   title: x\n",
    "unknown.yaml": ("tips:\n  - id: a\n    title: t\n    text: x\n    evidence: mixed\n"
                     "    source: s\n    colour: red\n"),
    "negative.yaml": ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: -5\n"
                      "    image: images/place_calf.svg\n    evidence: mixed\n    source: s\n"),
    "escape.yaml": ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 5\n"
                    "    image: ../../../etc/passwd.svg\n    evidence: mixed\n    source: s\n"),
    "object.yaml": "!!python/object/apply:os.system ['echo pwned']\n",
    "empty.yaml": "",
}


def test_shipped_content_validates_clean() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_every_broken_file_is_reported_by_file_and_line(tmp_path: Path) -> None:
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)))
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "pwned" not in result.stdout
    reported = {Path(m["file"]).name for m in map(LINE.match, result.stdout.splitlines()) if m}
    assert reported == {*BROKEN, "binary.yaml"}
    lines = result.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines


def test_a_good_user_routine_validates(tmp_path: Path) -> None:
    routine = tmp_path / "mine.yaml"
    routine.write_text("routines:\n  - id: mine\n    title: Mine\n    items: [wall-calf-stretch]\n")
    assert run("validate", str(routine)).returncode == 0


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_reminder_set_show_off(isolated_home: Path) -> None:
    result = run("reminder", "set", "22:30", "--days", "mon,tue", "--lead", "15")
    assert result.returncode == 0, result.stderr
    assert "Bedtime reminder: on" in result.stdout
    assert "  Mon  22:30" in result.stdout and "  Wed  22:00" in result.stdout
    assert "reminds 15 minutes before bedtime" in result.stdout
    shown = run("reminder", "show")
    assert re.search(r"^Next reminder: \w+, \d\d:\d\d \(", shown.stdout, re.MULTILINE)
    off = run("reminder", "off")
    assert "Bedtime reminder: off" in off.stdout and "Next reminder" not in off.stdout


def test_reminder_show_says_what_the_tray_says_after_a_snooze(isolated_home: Path) -> None:
    """The review's case: the tray said Tuesday while `reminder show` listed
    the Monday bedtime, because the command ignored the reminder's record."""
    from datetime import datetime, timedelta, timezone

    from coach.app.reminders import next_fire, next_reminder
    from coach.core import paths
    from coach.core.notices import Notices
    from coach.core.reminders import ReminderStateStore
    from coach.core.schedule import NightState, ReminderConfig, tonight
    from coach.core.timezones import local_zone
    from tests.fakes.clock import FakeClock

    assert run("reminder", "set", "22:30").returncode == 0
    zone = local_zone()
    now = datetime.now(timezone.utc)
    skipped = NightState(skipped=frozenset({tonight(now, zone)}))
    ReminderStateStore(paths.reminder_state_file(), Notices(), FakeClock()).save(skipped)
    config = ReminderConfig(enabled=True, times=(datetime(2026, 1, 1, 22, 30).time(),) * 7)
    tray_says = next_reminder(next_fire(config, skipped, now, zone), zone)
    shown = run("reminder", "show").stdout
    assert tray_says in shown
    upcoming = next_fire(config, skipped, now, zone)
    assert upcoming is not None and upcoming.night > tonight(now, zone)
    assert timedelta(0) < upcoming.at - now


@pytest.mark.parametrize("args", [("set", "25:00"), ("set", "22:30", "--days", "funday"),
                                  ("set", "22:30", "--lead", "500"),
                                  ("off", "--days", "")])  # not "every day" (an audit's case)
def test_reminder_bad_input_is_a_clear_message(isolated_home: Path, args: tuple[str, ...]) -> None:
    result = run("reminder", *args)
    assert result.returncode == 2
    assert result.stderr.startswith("cramp-coach reminder: ")
    assert "Traceback" not in result.stderr


def test_autostart_on_off_writes_the_xdg_file(isolated_home: Path) -> None:
    desktop = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "cramp-coach.desktop"
    assert run("autostart", "on").returncode == 0
    assert "--background" in desktop.read_text()
    assert run("autostart", "off").returncode == 0
    assert not desktop.exists()


# -- every failure: one line on stderr, a non-zero exit, never a traceback ------------
#
# In-process through coach.cli.main wherever the operating system is not the
# point; real processes for pipes, full devices and races.




def cli_run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def reminder_times() -> dict[str, str | None]:
    settings = SettingsStore(paths.settings_file(), Notices(), SystemClock()).load()
    times = ReminderConfig.from_dict(dict(settings.reminder)).to_dict()["times"]
    assert isinstance(times, dict)
    return {str(day): None if time is None else str(time) for day, time in times.items()}


def test_a_time_with_a_leading_dash_is_a_bad_time_not_a_missing_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli_run(capsys, "reminder", "set", "-1:00")
    assert status == 2 and out == ""
    assert one_line(err).startswith("cramp-coach reminder: '-1:00' is not a time of day")
    assert not paths.settings_file().exists()


BAD_INPUT = {
    "hour 25": ("reminder", "set", "25:00"),
    "unknown day": ("reminder", "set", "22:30", "--days", "funday"),
    "empty day": ("reminder", "set", "22:30", "--days", "mon,,tue"),
    "lead too long": ("reminder", "set", "22:30", "--lead", "500"),
    "lead not a number": ("reminder", "set", "22:30", "--lead", "soon"),
    "negative lead": ("reminder", "set", "22:30", "--lead", "-5"),
    "off on an unknown day": ("reminder", "off", "--days", "someday"),
    "no action": ("reminder",),
    "unknown action": ("reminder", "snooze"),
    "autostart maybe": ("autostart", "maybe"),
    "export without a file": ("export",),
    "export to .txt": ("export", "diary.txt"),
    "unknown command": ("bogus",),
    "unknown option": ("--colour", "red"),
    "unknown theme": ("--theme", "dusk"),
}


@pytest.mark.parametrize("argv", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str],
                                           argv: tuple[str, ...]) -> None:
    status, out, err = cli_run(capsys, *argv)
    assert status == 2 and out == ""
    assert one_line(err).startswith("cramp-coach")
    assert not paths.settings_file().exists()


def block_the_settings_folder() -> Path:
    folder = paths.settings_file().parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the settings folder belongs")
    return folder


@pytest.mark.parametrize("argv", [("reminder", "set", "22:30"), ("reminder", "off")])
def test_a_reminder_that_cannot_be_saved_is_one_line_and_status_1(
        capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    blocker = block_the_settings_folder()
    status, out, err = cli_run(capsys, *argv)
    assert status == 1 and out == ""
    line = one_line(err)
    assert "could not be saved" in line and str(blocker) in line
    # Not the app's "Changes made now will last only until Cramp Coach closes":
    # a command ends at once.
    assert line.endswith("Nothing was changed.") and "closes" not in line


def test_a_reminder_is_not_saved_over_settings_from_a_newer_version(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 99}')
    status, out, err = cli_run(capsys, "reminder", "set", "22:30")
    assert status == 1 and out == ""
    assert "newer Cramp Coach" in one_line(err)
    assert path.read_text() == '{"version": 99}'


def test_autostart_whose_setting_cannot_be_saved_says_so_and_fails(
        capsys: pytest.CaptureFixture[str]) -> None:
    block_the_settings_folder()
    status, out, err = cli_run(capsys, "autostart", "on")
    assert status == 1
    assert "will start in the tray at login" in out  # the login entry itself was made
    assert "could not be saved" in one_line(err)


def test_autostart_that_cannot_be_written_names_the_place(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A reminder audit's case: "could not change it: Not a directory" left
    the person to guess which file."""
    autostart_folder = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart"
    autostart_folder.parent.mkdir(parents=True, exist_ok=True)
    autostart_folder.write_text("a file where the folder should be")
    status, out, err = cli_run(capsys, "autostart", "on")
    assert status == 1 and out == ""
    assert one_line(err).startswith(f"cramp-coach autostart: could not change "
                                    f"{autostart_folder}")


def test_reminder_set_changes_only_the_days_it_names(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_run(capsys, "reminder", "off", "--days", "mon,tue")[0] == 0
    assert cli_run(capsys, "reminder", "set", "21:15", "--days", "mon")[0] == 0
    times = reminder_times()
    assert times["mon"] == "21:15" and times["tue"] is None and times["wed"] == "22:00"


# -- the language: --lang as people write it, and a terminal that cannot spell it ---------


@pytest.mark.parametrize("argv", [("reminder", "show"), ("--help",)], ids=" ".join)
def test_russian_to_a_latin1_stream_is_escaped_not_a_failure(argv: tuple[str, ...]) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="latin-1")
    result = subprocess.run([sys.executable, "-m", "coach", "--lang", "ru", *argv],
                            capture_output=True, encoding="latin-1", env=env, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    said = russian("Bedtime reminder: off" if argv[0] == "reminder" else "usage: ")
    assert said.encode("latin-1", "backslashreplace").decode("latin-1") in result.stdout


@pytest.mark.usefixtures("english_after")
@pytest.mark.parametrize("lang", ["RU", "ru_RU", "ru-RU", "ru_RU.UTF-8"])
def test_lang_is_read_as_the_desktops_language_is(
        lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli_run(capsys, "--lang", lang, "reminder", "show")
    assert status == 0 and err == ""
    assert out.startswith(russian("Bedtime reminder: off"))


@pytest.mark.usefixtures("english_after")
def test_a_russian_schedule_is_set_and_shown_with_russian_day_names(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli_run(capsys, "--lang", "ru", "reminder", "set", "23:15", "--days",
                               "пн,выходные")
    assert status == 0, err
    assert "  пн  23:15" in out and "  вт  22:00" in out and "  вс  23:15" in out
    assert "mon" not in out


@pytest.mark.usefixtures("english_after")
@pytest.mark.parametrize("saved", ["", "ru"])
def test_a_language_there_is_none_of_is_said_once_and_the_usual_one_used(
        saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert SettingsStore(paths.settings_file(), Notices(), SystemClock()).save(
        Settings(language=saved))
    status, out, err = cli_run(capsys, "--lang", "xx", "reminder", "show")
    assert status == 0
    usual = russian("Bedtime reminder: off") if saved else "Bedtime reminder: off"
    assert out.startswith(usual)
    line = one_line(err)
    assert "'xx'" in line and "en, ru" in line and "--lang" in line
    status, out, err = cli_run(capsys, "--lang", "xx", "--help")
    assert status == 0 and out
    assert "'xx'" in one_line(err)


def test_the_help_says_when_a_bedtime_belongs_to_the_evening_before(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """"reminder set 00:30 --days mon" reminds early on Tuesday, and "--lead"
    with "--days" changes every day's lead, which a person would not guess:
    the help says so, with the schedule's own hour and limit."""
    from datetime import time

    from coach.core import schedule

    status, out, _err = cli_run(capsys, "reminder", "set", "--help")
    assert status == 0
    assert "one before 06:00 belongs to the evening before" in " ".join(out.split())
    assert "the same on every day (0-120)" in " ".join(out.split())
    monkeypatch.setattr(schedule, "DAY_BREAK", time(5, 0))
    monkeypatch.setattr(schedule, "MAX_LEAD_MINUTES", 90)
    _status, out, _err = cli_run(capsys, "reminder", "set", "--help")
    assert "one before 05:00 belongs" in " ".join(out.split())
    assert "(0-90)" in out


@pytest.mark.usefixtures("english_after")
@pytest.mark.parametrize(("given", "spoken", "warned"), [
    (("--lang", "RU"), "ru", False), (("--lang", "ru_RU"), "ru", False),
    (("--lang", "xx"), None, True), ((), None, False)])
def test_the_app_is_launched_with_the_language_as_the_commands_read_it(
        given: tuple[str, ...], spoken: str | None, warned: bool,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """None: the language chosen in Settings, else the desktop's."""
    launched: list[str | None] = []

    def launch(args: argparse.Namespace) -> int:
        launched.append(args.lang)
        return 0

    monkeypatch.setattr(cli, "_launch", launch)
    status, _out, err = cli_run(capsys, *given)
    assert status == 0 and launched == [spoken]
    assert ("en, ru" in err) is warned


# -- export -----------------------------------------------------------------------------


def test_exporting_a_damaged_diary_names_the_kept_copy_and_fails(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    diary = paths.diary_file()
    diary.parent.mkdir(parents=True)
    diary.write_bytes(b"this is not a database " * 200)
    out_file = tmp_path / "diary.csv"
    status, out, err = cli_run(capsys, "export", str(out_file))
    assert status == 1 and out == ""
    line = one_line(err)
    kept = list(diary.parent.glob("diary.sqlite3.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"this is not a database " * 200
    assert line.startswith("cramp-coach export: ") and "damaged" in line
    assert str(kept[0]) in line and "Nothing was exported" in line
    assert not out_file.exists()


def test_exporting_another_programs_database_fails_and_leaves_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    diary = paths.diary_file()
    diary.parent.mkdir(parents=True)
    with closing(sqlite3.connect(diary)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
    before = diary.read_bytes()
    status, out, err = cli_run(capsys, "export", str(tmp_path / "diary.csv"))
    assert status == 1 and out == ""
    assert "another program" in one_line(err)
    assert diary.read_bytes() == before


# (A PDF would start a QGuiApplication in this process: test_export_cli runs those.)
@pytest.mark.parametrize("where", ["missing/diary.csv", "file/diary.csv"])
def test_exporting_to_a_path_that_cannot_be_written_is_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str) -> None:
    Diary.open(paths.diary_file()).close()
    (tmp_path / "file").write_text("")
    status, out, err = cli_run(capsys, "export", str(tmp_path / where))
    assert status == 1 and out == ""
    assert one_line(err).startswith(f"cramp-coach export: {tmp_path / where}")


# -- paths, the log, and the unexpected --------------------------------------------------


def test_paths_names_the_log_file_and_creates_nothing(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli_run(capsys, "paths")
    assert status == 0 and err == ""
    assert f"log:           {paths.log_file()}" in out.splitlines()
    assert not paths.state_dir().exists() and not paths.config_dir().exists()


def test_paths_starts_without_importing_logging() -> None:
    code = ("import sys\nfrom coach.cli import main\nstatus = main(['paths'])\n"
            "print('logging' in sys.modules, status, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60, check=False)
    assert result.stderr == "False 0\n"


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> int:
        raise RuntimeError("the unexpected")

    monkeypatch.setattr(cli, "_paths", broken)
    status, out, err = cli_run(capsys, "paths")
    assert status == 1 and out == ""
    assert one_line(err) == (f"cramp-coach: Something went wrong: the unexpected. "
                             f"The details are in {paths.log_file()}")
    logged = paths.log_file().read_text()
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: the unexpected" in logged and "in broken" in logged


def test_warnings_reach_stderr_and_the_log_and_verbose_adds_debug(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def chatty(args: object) -> int:
        logging.getLogger("coach.test").debug("a detail")
        logging.getLogger("coach.test").warning("a warning")
        return 0

    monkeypatch.setattr(cli, "_reminder", chatty)
    assert cli_run(capsys, "reminder", "show")[2] == "cramp-coach: a warning\n"
    assert cli_run(capsys, "--verbose", "reminder", "show")[2] == (
        "cramp-coach: a detail\ncramp-coach: a warning\n")
    logged = paths.log_file().read_text().splitlines()
    assert [line.split(" coach.test ")[-1] for line in logged] == [
        f"[pid {os.getpid()}]: a warning", f"[pid {os.getpid()}]: a detail",
        f"[pid {os.getpid()}]: a warning"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_log_that_cannot_be_written_is_given_up_on_quietly(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk: logging's own answer was a traceback on stderr for each
    record (an audit counted 50 lines), breaking the one-line promise."""
    def chatty(args: object) -> int:
        logging.getLogger("coach.test").warning("a warning")
        logging.getLogger("coach.test").warning("another")
        return 0

    paths.log_file().parent.mkdir(parents=True)
    paths.log_file().symlink_to("/dev/full")
    monkeypatch.setattr(cli, "_reminder", chatty)
    assert cli_run(capsys, "reminder", "show")[2] == (
        "cramp-coach: a warning\ncramp-coach: another\n")


def test_words_utf8_cannot_encode_reach_the_log_and_the_log_goes_on(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A routine named on the command line or through the socket with a
    lone surrogate had turned the log off for the rest of the run."""
    def chatty(args: object) -> int:
        logging.getLogger("coach.test").warning("no routine called '\udcff'")
        logging.getLogger("coach.test").warning("and after it")
        return 0

    monkeypatch.setattr(cli, "_reminder", chatty)
    cli_run(capsys, "reminder", "show")
    logged = paths.log_file().read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[-1] for line in logged] == [
        "no routine called '\\udcff'", "and after it"]


def test_a_notice_is_printed_once() -> None:
    # In a real process: under pytest the root logger has handlers of its own,
    # which hides Python's last-resort handler printing every notice again.
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 99}')
    result = run("reminder", "show")
    assert result.returncode == 0
    assert "newer Cramp Coach" in one_line(result.stderr)


# -- the operating system's part: full devices, closed pipes ------------------------------

OUTPUT_COMMANDS = [("paths",), ("reminder", "show"), ("--help",), ("--version",)]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("argv", OUTPUT_COMMANDS, ids=" ".join)
def test_output_to_a_full_device_is_one_line_and_status_1(argv: tuple[str, ...],
                                                          buffered: bool) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "coach", *argv], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=60,
                                check=False)
    assert result.returncode == 1
    assert one_line(result.stderr) == ("cramp-coach: the output could not be written: "
                                       "No space left on device")


@pytest.mark.skipif(os.name == "nt", reason="POSIX pipes")
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("argv", OUTPUT_COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_ends_the_command_quietly(argv: tuple[str, ...],
                                                          buffered: bool) -> None:
    # `cramp-coach paths | head -1` where head has already gone: the pipe's
    # read end is closed before the command writes anything.
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "coach", *argv], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=60,
                                check=False)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == ""


# -- writers at the same moment ----------------------------------------------------------

RACES = 30


def start(*argv: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "coach", *argv], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[str]) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    # Nothing but the line saying that no Cramp Coach runs to show the reminder.
    assert [line for line in err.splitlines() if "is not running" not in line] == []


def reset_monday_and_tuesday() -> None:
    off = ReminderConfig(enabled=True).with_time(None, (0, 1))
    store = SettingsStore(paths.settings_file(), Notices(), SystemClock())
    assert store.save(Settings(reminder=off.to_dict()))


def test_two_reminder_commands_at_once_both_take_effect() -> None:
    lost = []
    for race in range(RACES):
        reset_monday_and_tuesday()
        monday = start("reminder", "set", "22:00", "--days", "mon")
        tuesday = start("reminder", "set", "22:00", "--days", "tue")
        finish(monday)
        finish(tuesday)
        times = reminder_times()
        if (times["mon"], times["tue"]) != ("22:00", "22:00"):
            lost.append((race, times["mon"], times["tue"]))
    assert lost == []


def test_the_app_saving_its_window_never_undoes_a_reminder_set_meanwhile() -> None:
    notices = Notices()
    app = SettingsStore(paths.settings_file(), notices, SystemClock())
    for race in range(10):
        reset_monday_and_tuesday()
        app.load()  # the app's copy: Monday off
        command = start("reminder", "set", "21:00", "--days", "mon")
        deadline = time.monotonic() + 120
        saves = 0
        while command.poll() is None and time.monotonic() < deadline:
            app.update(windows={"main": f"race{race}-{saves}"})
            saves += 1
        finish(command)
        # And once more after it, from the copy loaded before it ran.
        settings = app.update(windows={"main": f"race{race}-last"})
        assert settings.windows == {"main": f"race{race}-last"}
        assert reminder_times()["mon"] == "21:00", f"race {race}, after {saves} saves"
        on_disk = SettingsStore(paths.settings_file(), Notices(), SystemClock()).load()
        assert on_disk == settings
    assert notices.pending() == ()


# -- options alone: parsed without building the commands' parsers ---------------------


@pytest.mark.parametrize("argv", [[], ["--emergency"], ["--background", "--verbose"],
                                  ["--lang=ru", "--theme=night", "--emergency"],
                                  ["--emerg"]], ids=str)
def test_options_alone_parse_as_the_whole_parser_parses_them(argv: list[str]) -> None:
    assert cli._parse(argv) == cli._parser().parse_args(argv)


def test_options_alone_build_no_commands_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """About 3 ms before the first paint, for nothing."""
    import coach.export_cli

    built: list[bool] = []
    add_parser = coach.export_cli.add_parser

    def counted(commands: Any) -> None:
        built.append(True)
        add_parser(commands)

    monkeypatch.setattr(coach.export_cli, "add_parser", counted)
    assert cli._parse(["--emergency"]).emergency and built == []
    assert cli._parse(["paths"]).command == "paths" and built == [True]


@pytest.mark.parametrize("argv", [["--theme=purple"], ["--emergency", "--background"],
                                  ["--nope"], ["--lang"], ["-"], ["--help"], ["-h"]],
                         ids=str)
def test_options_alone_that_need_more_are_answered_as_always(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A mistake, or help (which lists the commands), takes the whole parser."""
    with pytest.raises(SystemExit) as whole:
        cli._parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as options_first:
        cli._parse(argv)
    assert capsys.readouterr() == expected
    assert options_first.value.code == whole.value.code
    if "-h" in argv or "--help" in argv:
        assert "validate" in expected.out
