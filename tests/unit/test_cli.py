"""The command line, run as a user runs it: a separate process, real files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): .+$")


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
    assert "  mon  22:30" in result.stdout and "  wed  22:00" in result.stdout
    assert "reminds 15 minutes before bedtime" in result.stdout
    shown = run("reminder", "show")
    assert "Next reminders" in shown.stdout
    off = run("reminder", "off")
    assert "Bedtime reminder: off" in off.stdout and "Next reminders" not in off.stdout


@pytest.mark.parametrize("args", [("set", "25:00"), ("set", "22:30", "--days", "funday"),
                                  ("set", "22:30", "--lead", "500")])
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
