"""``cramp-coach export``, run as a user runs it: a separate process, a real
diary in the (isolated) data folder, real files out."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import cli
from coach.core import paths
from coach.core.diary import Diary, Episode, RoutineSession
from coach.core.export_csv import HEADER

pytestmark = pytest.mark.usefixtures("cli_logging")  # cli.main sets up logging

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(timezone.utc)
EPISODES = (
    Episode(started=NOW - timedelta(days=3), duration_s=75, place="calf", side="left",
            severity=5, notes="Судорога, café"),
    Episode(started=NOW - timedelta(days=10), duration_s=11 * 60, place="foot", side="right",
            notes="=2+2 long one"),
    # Long before the report's 12 weeks: in the spreadsheet, not in the report.
    Episode(started=NOW - timedelta(days=400), duration_s=30, place="calf", side="both",
            notes="last year"),
)


def run(cwd: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", TZ="UTC")
    command = ["-c", code, *args] if code else ["-m", "coach", "export", *args]
    result = subprocess.run([sys.executable, *command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture()
def diary() -> Path:
    with Diary.open(paths.diary_file()) as opened:
        for episode in EPISODES:
            opened.add_episode(episode)
        opened.add_routine_session(RoutineSession(
            started=NOW - timedelta(days=2), routine_id="bedtime", routine_title="Bedtime",
            completed=True, duration_s=300.0))
    return paths.diary_file()


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_csv_has_a_header_and_a_row_per_episode(diary: Path, out: Path) -> None:
    result = run(out, "diary.csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Wrote 3 episodes to diary.csv"
    with (out / "diary.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0]) == HEADER
    notes = HEADER.index("Notes")
    assert [row[notes] for row in rows[1:]] == ["Судорога, café", "'=2+2 long one", "last year"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_pdf_is_the_report_for_the_last_weeks(diary: Path, out: Path) -> None:
    result = run(out, "report.pdf")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Wrote 2 episodes (the last 12 weeks) to report.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Судорога, café" in text
    assert "A cramp that lasted over 10 minutes" in text
    assert "last year" not in text


def test_an_existing_file_needs_force(diary: Path, out: Path) -> None:
    assert run(out, "diary.csv").returncode == 0
    again = run(out, "diary.csv")
    assert again.returncode == 1
    assert again.stderr.strip() == "cramp-coach export: diary.csv exists; use --force to replace it"
    assert again.stdout == ""
    assert run(out, "diary.csv", "--force").returncode == 0


def test_an_unknown_ending_is_a_usage_error(diary: Path, out: Path) -> None:
    result = run(out, "diary.txt")
    assert result.returncode == 2
    assert "must end in .csv" in result.stderr
    assert not (out / "diary.txt").exists()


def test_no_diary_yet_is_said_and_none_is_created(out: Path) -> None:
    result = run(out, "diary.csv")
    assert result.returncode == 1
    assert "There is no diary yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not paths.diary_file().exists()


def test_a_folder_that_cannot_be_written_is_one_line(diary: Path, out: Path) -> None:
    (out / "file").write_text("")
    for name in ("file/diary.csv", "file/report.pdf"):
        result = run(out, name)
        assert result.returncode == 1
        assert result.stderr.startswith(f"cramp-coach export: {name}")
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_spreadsheet_export_never_loads_qt(diary: Path, out: Path) -> None:
    code = ("import sys\n"
            "from coach.cli import main\n"
            "assert main(['export', *sys.argv[1:]]) == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n")
    result = run(out, "diary.csv", code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
@pytest.mark.parametrize("argv", [["card.pdf"], ["bedside-card.pdf"], ["night.pdf", "--card"]])
def test_export_makes_the_bedside_card(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, argv: list[str],
                                       qapp: object) -> None:
    """In process, under the suite's QApplication (a bare QGuiApplication made
    for the PDF would break every widget test after it)."""
    from coach import cli

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    target = tmp_path / argv[0]
    assert cli.main(["export", str(target), *argv[1:]]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote the bedside card to {target}"
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "If a cramp wakes you" in text and "call 911 now." in " ".join(text.split())
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    assert "(letter)" in info


def test_the_card_must_be_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coach import cli

    assert cli.main(["export", str(tmp_path / "card.txt"), "--card"]) == 2
    assert "the bedside card is a PDF" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["diary.csv", "report.pdf", "card.pdf"])
def test_a_folder_of_that_name_is_said_to_be_a_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """A report audit's case: "exists; use --force to replace it", and with
    --force "Is a directory" or "not a regular file (it is a folder)"."""
    folder = tmp_path / name
    folder.mkdir()
    for extra in ([], ["--force"]):
        assert cli.main(["export", str(folder), *extra]) == 1
        err = capsys.readouterr().err
        assert f"{folder} is a folder: give the name of a file to save" in err, err
        assert "--force" not in err
