"""For the same diary, the history screen and the PDF report say the same
things: the review found the screen saying "ready" for the six-week check
while the report said "Not enough diary yet"."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame
from pytestqt.qtbot import QtBot

from coach.app import content
from coach.core import paths
from coach.core.diary import Diary, Episode, RoutineSession
from coach.export_cli import export_file
from tests.fakes.clock import FakeClock
from tests.gui.conftest import MakeApp


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_six_week_check_and_the_flags_agree(
        make_app: MakeApp, qtbot: QtBot, clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = clock.wall()
    monkeypatch.setenv("TZ", "UTC")
    with Diary.open(paths.diary_file()) as diary:
        # The diary began 60 nights ago with a routine that was stopped early;
        # the first cramp came later. The screen used to count from the start
        # of the diary, the report from the first cramp.
        diary.add_routine_session(RoutineSession(
            started=now - timedelta(days=60), routine_id="desk-break",
            routine_title="Desk break", completed=False, duration_s=60.0))
        diary.add_routine_session(RoutineSession(
            started=now - timedelta(days=44), routine_id="bedtime",
            routine_title="Bedtime", completed=True, duration_s=420.0))
        for day, seconds in ((40, 60.0), (20, 700.0), (3, 90.0)):
            diary.add_episode(Episode(started=now - timedelta(days=day), duration_s=seconds,
                                      place="calf", side="left"))
    app = make_app(content.load())
    app.settings.update(country="GB")
    flow = app.diary_flow()
    flow.open_history()
    assert flow.history is not None
    on_screen = flow.history.check.text()
    assert on_screen.startswith("In the 2 weeks before you started")  # ready
    card_titles = [card.accessibleName() for card in flow.history.findChildren(QFrame)
                   if card.property("role") == "danger" and card.isVisibleTo(flow.history)]
    assert card_titles == ["A cramp that lasted over 10 minutes"]

    # The command line, in this process so that it uses the same clock.
    monkeypatch.setattr("coach.core.clock.SystemClock.wall", lambda _self: now)
    report = tmp_path / "report.pdf"
    export_file(report)
    text = " ".join(subprocess.run(["pdftotext", str(report), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert " ".join(on_screen.split()) in text
    for title in card_titles:
        assert title in text
    assert "Get help today. Call NHS 111." in text  # the care rule, with the chosen country
