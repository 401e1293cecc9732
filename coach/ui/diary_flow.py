"""The diary as the person meets it: the quick log after a cramp, the history
with its insights, editing and deleting (with undo), exporting, and the tips.

Every change goes through :class:`coach.app.diary.DiaryService`, which
reports every failure; the history redraws itself when told that the diary
changed. Imported on first use; nothing here is needed for the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from coach.app.diary import PERIOD_WEEKS
from coach.app.navigation import Screen
from coach.core import wording
from coach.core.diary import DiaryError, Episode
from coach.core.emergency import Outcome
from coach.core.episodes import draft
from coach.core.export_csv import ExportError
from coach.core.i18n import _, ngettext
from coach.core.notices import Wording, worded
from coach.core.profile import parse_conditions
from coach.ui.context import Context
from coach.ui.episode_dialog import EpisodeDialog
from coach.ui.quick_log import QuickLogScreen
from coach.ui.tips_screen import TipsScreen

if TYPE_CHECKING:
    from coach.ui.history_screen import HistoryScreen


class DiaryFlow(QObject):
    """``print_card`` is how Tips offers the bedside card."""

    def __init__(self, ctx: Context, print_card: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._print_card = print_card
        self.quick_log: QuickLogScreen | None = None
        self.history: HistoryScreen | None = None
        self.tips: TipsScreen | None = None
        ctx.diary.subscribe(self.refresh_history)
        ctx.settings.subscribe(lambda _s, _c: self.refresh_history(),
                               ["country", "medicines_started", "profile"])
        ctx.content.subscribe(lambda _library: self.refresh_history())

    def _step_titles(self, episode: Episode) -> dict[str, str]:
        """The entry's steps by their key (a step id alone repeats across
        protocols: "pull-toes" is a calf step and an in-water one), in the
        words the guide showed: "Sit on the edge of the bed…" for a step
        done its seated way, not the standing instruction."""
        library = self._ctx.content.library
        titles = {}
        for key in episode.steps_used:
            step = library.step(key, episode.place)
            if step is None:
                titles[key] = key
            elif key in episode.steps_other_way and step.supported is not None:
                titles[key] = str(step.supported)
            else:
                titles[key] = str(step.instruction)
        return titles

    # -- after a cramp ---------------------------------------------------------

    def offer_quick_log(self, outcome: Outcome | None) -> None:
        """After emergency mode: the quick log, prefilled. No stopwatch (a
        read-ahead card) means nothing to log."""
        navigation = self._ctx.navigation
        if outcome is None:
            navigation.home()
            return
        if self.quick_log is None:
            self.quick_log = QuickLogScreen(self._ctx.timers)
            self.quick_log.saved.connect(self._save_new)
            self.quick_log.skipped.connect(navigation.home)
            self.quick_log.more.connect(self._more_details)
            navigation.add(Screen.QUICK_LOG, self.quick_log, _("Log this cramp"))
        entry = draft(outcome)
        self.quick_log.set_draft(entry, self._step_titles(entry))
        navigation.show(Screen.QUICK_LOG)
        self.quick_log.setFocus()

    def _dialog(self, episode: Episode, title: str,
                cancelled: Callable[[Episode], object] | None = None) -> Episode | None:
        """The entry as the dialog left it, or None if it was cancelled; then
        ``cancelled`` gets what it held."""
        dialog = EpisodeDialog(episode, self._ctx.zone(), self._step_titles(episode), title,
                               self._ctx.navigation.parent(), confirm_discard=cancelled is None)
        if dialog.exec() == EpisodeDialog.DialogCode.Accepted:
            return dialog.episode()
        if cancelled is not None:
            cancelled(dialog.episode())
        return None

    def _more_details(self, episode: Episode) -> None:
        filled = self._dialog(episode, _("Log this cramp"), cancelled=self._back_to_quick_log)
        if filled is not None:
            self._save_new(filled)

    def _back_to_quick_log(self, episode: Episode) -> None:
        """A reflex Esc in "More details…" keeps what was typed: the quick log
        holds it, and saves it, or shows it again in the dialog."""
        if self.quick_log is not None:
            self.quick_log.set_draft(episode, self._step_titles(episode))

    def _save_new(self, episode: Episode) -> None:
        saved = self._ctx.diary.add_episode(episode, failed=lambda problem: self._not_saved(
            episode, problem))
        if saved is None:
            return
        self._show_in_history(saved)
        if self._ctx.is_night():
            self._ctx.notices.post("info", lambda: _("Saved to your diary. Sleep well."))
        else:  # a cramp at the desk, or one logged from memory in the day
            self._ctx.notices.post("info", lambda: _("Saved to your diary."))
        if self._ctx.navigation.current() is not Screen.HISTORY:
            self._ctx.navigation.home()

    def _not_saved(self, episode: Episode, problem: Wording) -> None:
        """The quick log stays, holding the entry as last filled in (from
        "More details…" too), and says why it was not saved."""
        if self.quick_log is not None and self._ctx.navigation.current() is Screen.QUICK_LOG:
            self.quick_log.set_draft(episode, self._step_titles(episode))
            self.quick_log.show_problem(worded(problem))

    # -- history ---------------------------------------------------------------

    def open_history(self) -> None:
        from coach.ui.history_screen import HistoryScreen

        navigation = self._ctx.navigation
        if self.history is None:
            self.history = HistoryScreen()
            self.history.back.connect(navigation.home)
            self.history.log_requested.connect(self.log_by_hand)
            self.history.edit_requested.connect(self.edit)
            self.history.delete_requested.connect(self.delete)
            self.history.export_requested.connect(self.export)
            self.history.flag_seen.connect(self._flag_seen)
            navigation.add(Screen.HISTORY, self.history, _("Diary"))
        self.refresh_history()
        navigation.show(Screen.HISTORY)

    def refresh_history(self) -> None:
        if self.history is None:
            return
        entries = self._ctx.diary.entries()
        if entries is None:
            self.history.show_unavailable(worded(self._ctx.diary.problem or ""))
            return
        episodes, sessions = entries
        self.history.show_data(episodes, self._ctx.diary.insights(episodes, sessions),
                               zone=self._ctx.zone(),
                               seen_flags=frozenset(self._ctx.settings.current.seen_flags))

    def _flag_seen(self, flag_id: str) -> None:
        settings = self._ctx.settings
        settings.update(seen_flags=frozenset(settings.current.seen_flags) | {flag_id})

    def log_by_hand(self) -> None:
        now = self._ctx.clock.wall()
        blank = Episode(started=now - timedelta(minutes=5), duration_s=60.0, place="calf",
                        side="unknown")
        filled = self._dialog(blank, _("Log a cramp"))
        if filled is not None:
            self._save_new(filled)

    def edit(self, episode: Episode) -> None:
        changed = self._dialog(episode, _("Edit entry"))
        if changed is not None:
            self._ctx.diary.update_episode(changed)

    def delete(self, episode: Episode) -> None:
        """Deleted at once, with Undo offered in the notice strip."""
        if episode.id is None:
            return
        removed = self._ctx.diary.delete_episode(episode.id)
        if removed is None:
            return
        zone = self._ctx.zone()
        # Worded when shown, and again in a new language: it may stay a while.
        self._ctx.navigation.offer(
            # Translators: {when} is the entry's date and time ("Tue 3 Mar 2026, 02:14").
            lambda: _("Deleted the cramp of {when}.").format(
                when=wording.when(removed.started, zone)),
            lambda: _("Undo"), lambda: self._show_in_history(
                self._ctx.diary.restore_episode(removed)))

    def _show_in_history(self, episode: Episode | None) -> None:
        """An entry just added or put back is the one selected, with the
        focus on the list, where the person looks next."""
        if (episode is not None and episode.id is not None and self.history is not None
                and self._ctx.navigation.current() is Screen.HISTORY):
            self.history.show_entry(episode.id)

    # -- export ----------------------------------------------------------------

    def export(self) -> None:
        if self._ctx.diary.entries() is None:  # before a file is chosen for nothing
            QMessageBox.warning(self._ctx.navigation.parent(), _("Export failed"),
                                worded(self._ctx.diary.problem or ""))
            return
        formats = ";;".join((
            # Translators: a file type to save as; {patterns} is "*.pdf", kept as it is.
            _("Report for the doctor ({patterns})").format(patterns="*.pdf"),
            # Translators: a file type to save as; {patterns} is "*.csv", kept as it is.
            _("Spreadsheet ({patterns})").format(patterns="*.csv")))
        dialog = QFileDialog(self._ctx.navigation.parent(), _("Export your diary"),
                             str(Path.home() / "cramp-diary.pdf"), formats)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        # A name typed without its ending gets the chosen kind's (it had ended
        # in "Export failed"), before the dialog asks about replacing a file.
        dialog.setDefaultSuffix("pdf")
        dialog.filterSelected.connect(
            lambda kind: dialog.setDefaultSuffix("csv" if "*.csv" in kind else "pdf"))
        if dialog.exec() == QFileDialog.DialogCode.Accepted and dialog.selectedFiles():
            self.export_to(Path(dialog.selectedFiles()[0]))

    def export_to(self, path: Path) -> None:
        """The file dialog already asked before replacing an existing file."""
        from coach.render.export import UnknownFormat, write_export

        ctx = self._ctx
        entries = ctx.diary.entries()
        if entries is None:
            QMessageBox.warning(ctx.navigation.parent(), _("Export failed"),
                                worded(ctx.diary.problem or ""))
            return
        episodes, sessions = entries
        try:
            count = write_export(path, episodes, lambda: ctx.diary.insights(episodes, sessions),
                                 ctx.zone(), force=True)
        except (ExportError, DiaryError, OSError, UnknownFormat) as exc:
            QMessageBox.warning(ctx.navigation.parent(), _("Export failed"), str(exc))
            return
        if path.suffix.lower() == ".pdf":  # the report covers recent weeks, not every entry
            ctx.notices.post("info", lambda: ngettext(
                # Translators: {weeks} is the report's weeks (12); {n} the entries in them.
                "Saved the report of the last {weeks} weeks ({n} entry) to {path}.",
                "Saved the report of the last {weeks} weeks ({n} entries) to {path}.",
                count).format(weeks=PERIOD_WEEKS, n=count, path=path))
            return
        ctx.notices.post("info", lambda: ngettext("Exported {n} entry to {path}.",
                                                  "Exported {n} entries to {path}.",
                                                  count).format(n=count, path=path))

    # -- tips ------------------------------------------------------------------

    def open_tips(self) -> None:
        ctx = self._ctx
        if self.tips is None:
            self.tips = TipsScreen()
            self.tips.back.connect(ctx.navigation.home)
            self.tips.print_card.connect(self._print_card)
            ctx.navigation.add(Screen.TIPS, self.tips, _("Tips"))
        library, settings = ctx.content.library, ctx.settings.current
        self.tips.show_tips(library.tips, parse_conditions(settings.profile),
                            library.warning_signs, settings.contacts())
        ctx.navigation.show(Screen.TIPS)
