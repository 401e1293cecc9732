"""The diary as the person meets it: the quick log after a cramp, the history
with its insights, editing and deleting (with undo), exporting, and the tips.

Imported on first use; nothing here is needed for the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from coach.app.diary import insights_for
from coach.core.diary import Diary, DiaryError, Episode
from coach.core.emergency import Outcome
from coach.core.episodes import draft
from coach.core.export_csv import ExportError
from coach.ui.episode_dialog import EpisodeDialog
from coach.ui.quick_log import QuickLogScreen
from coach.ui.tips_screen import TipsScreen

T = TypeVar("T")

if TYPE_CHECKING:
    from coach.ui.app import CoachApp
    from coach.ui.history_screen import HistoryScreen


class DiaryFlow(QObject):
    def __init__(self, app: CoachApp) -> None:
        super().__init__(app)
        self._app = app
        self.quick_log: QuickLogScreen | None = None
        self.history: HistoryScreen | None = None
        self.tips: TipsScreen | None = None

    def _step_titles(self, episode: Episode) -> dict[str, str]:
        """The entry's steps by their key: a step id alone repeats across
        protocols ("pull-toes" is a calf step and an in-water one)."""
        library = self._app.library
        titles = {}
        for key in episode.steps_used:
            step = library.step(key, episode.place)
            titles[key] = str(step.instruction) if step is not None else key
        return titles

    # -- after a cramp ---------------------------------------------------------

    def offer_quick_log(self, outcome: Outcome | None) -> None:
        """After emergency mode: the quick log, prefilled. No stopwatch (a
        read-ahead card) means nothing to log."""
        app = self._app
        if outcome is None:
            app.go_home()
            return
        if self.quick_log is None:
            self.quick_log = QuickLogScreen()
            self.quick_log.saved.connect(self._save_new)
            self.quick_log.skipped.connect(app.go_home)
            self.quick_log.more.connect(self._more_details)
            app.window.add_screen("quick_log", self.quick_log, "Log this cramp")
        entry = draft(outcome)
        self.quick_log.set_draft(entry, self._step_titles(entry))
        app.window.show_screen("quick_log")
        self.quick_log.setFocus()

    def _more_details(self, episode: Episode) -> None:
        dialog = EpisodeDialog(episode, self._app.zone(), self._step_titles(episode),
                               "Log this cramp", self._app.window)
        if dialog.exec() == EpisodeDialog.DialogCode.Accepted:
            self._save_new(dialog.episode())

    def _write(self, failure: str, change: Callable[[Diary], T]) -> T | None:
        """Every change to the diary goes through here: a problem is always
        reported (never only once), and the screen the person is on stays, so
        what they entered is not lost."""
        app = self._app
        diary = app.diary()
        if diary is None:
            app.notices.post("error", f"{failure}: the diary could not be opened (see above).")
            return None
        try:
            result = change(diary)
        except (DiaryError, ValueError, KeyError) as exc:
            app.notices.post("error", f"{failure}: {exc}")
            return None
        self.refresh_history()
        return result

    def _save_new(self, episode: Episode) -> None:
        app = self._app
        if self._write("The cramp could not be saved", lambda d: d.add_episode(episode)) is None:
            return
        app.notices.post("info", "Saved to your diary. Sleep well.")
        if app.window.current_screen() != "history":
            app.go_home()

    # -- history ---------------------------------------------------------------

    def open_history(self) -> None:
        from coach.ui.history_screen import HistoryScreen

        app = self._app
        if self.history is None:
            self.history = HistoryScreen()
            self.history.back.connect(app.go_home)
            self.history.log_requested.connect(self.log_by_hand)
            self.history.edit_requested.connect(self.edit)
            self.history.delete_requested.connect(self.delete)
            self.history.export_requested.connect(self.export)
            self.history.flag_seen.connect(self._flag_seen)
            app.window.add_screen("history", self.history, "Diary")
        self.refresh_history()
        app.window.show_screen("history")
        app.window.bring_to_front()

    def refresh_history(self) -> None:
        app = self._app
        diary = app.diary()
        if self.history is None or diary is None:
            return
        try:
            episodes = diary.episodes()
            sessions = diary.routine_sessions()
        except DiaryError as exc:
            app.notices.post("error", str(exc), key="diary-read")
            return
        zone = app.zone()
        report = insights_for(episodes, sessions, zone=zone,
                              today=app.clock.wall().astimezone(zone).date(),
                              settings=app.settings,
                              warning_signs=app.library.warning_signs)
        self.history.show_data(episodes, report, zone=zone,
                               seen_flags=frozenset(app.settings.seen_flags))

    def _flag_seen(self, flag_id: str) -> None:
        app = self._app
        app.update_settings(seen_flags=frozenset(app.settings.seen_flags) | {flag_id})

    def log_by_hand(self) -> None:
        now = self._app.clock.wall()
        blank = Episode(started=now - timedelta(minutes=5), duration_s=60.0, place="calf",
                        side="unknown")
        dialog = EpisodeDialog(blank, self._app.zone(), self._step_titles(blank),
                               "Log a cramp", self._app.window)
        if dialog.exec() == EpisodeDialog.DialogCode.Accepted:
            self._save_new(dialog.episode())

    def edit(self, episode: Episode) -> None:
        app = self._app
        dialog = EpisodeDialog(episode, app.zone(), self._step_titles(episode), "Edit entry",
                               app.window)
        if dialog.exec() == EpisodeDialog.DialogCode.Accepted:
            changed = dialog.episode()
            self._write("The change could not be saved", lambda d: d.update_episode(changed))

    def delete(self, episode: Episode) -> None:
        """Deleted at once, with Undo offered in the notice strip."""
        app = self._app
        episode_id = episode.id
        if episode_id is None:
            return
        removed = self._write("The entry could not be deleted",
                              lambda d: d.delete_episode(episode_id))
        if removed is None:
            return
        when = removed.started.astimezone(app.zone())
        app.window.notice_bar.add_action(f"Deleted the cramp of {when:%d %b %H:%M}.", "Undo",
                                         lambda: self.undo_delete(removed))

    def undo_delete(self, episode: Episode) -> None:
        self._write("The entry could not be put back", lambda d: d.restore_episode(episode))

    # -- export ----------------------------------------------------------------

    def export(self) -> None:
        app = self._app
        chosen, _filter = QFileDialog.getSaveFileName(
            app.window, "Export your diary", str(Path.home() / "cramp-diary.pdf"),
            "Report for the doctor (*.pdf);;Spreadsheet (*.csv)")
        if chosen:
            self.export_to(Path(chosen))

    def export_to(self, path: Path) -> None:
        """The file dialog already asked before replacing an existing file."""
        from coach.export_cli import export_file

        app = self._app
        try:
            count = export_file(path, force=True)
        except (ExportError, DiaryError, OSError, ValueError) as exc:
            QMessageBox.warning(app.window, "Export failed", str(exc))
            return
        app.notices.post("info", f"Exported {count} entries to {path}.")

    # -- tips ------------------------------------------------------------------

    def open_tips(self) -> None:
        app = self._app
        if self.tips is None:
            self.tips = TipsScreen()
            self.tips.back.connect(app.go_home)
            self.tips.print_card.connect(app.print_bedside_card)
            app.window.add_screen("tips", self.tips, "Tips")
        self.tips.show_tips(app.library.tips, app.profile, app.library.warning_signs,
                            app.contacts())
        app.window.show_screen("tips")
