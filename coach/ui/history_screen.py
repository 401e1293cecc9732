"""The diary screen: red flags worth a doctor's look, the weekly chart, the
six-week check and every logged cramp, newest first.

The screen shows what :mod:`coach.core.insights` works out and forwards what
the person asks for (log, edit, delete, export, back) as signals; the app owns
the diary, undo and the file dialogs. The list is a model/view pair rather
than a QTableWidget because a diary of 10,000 entries must open at once: the
model formats a cell only when the view asks for it, which is only for the
rows on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone, tzinfo
from itertools import pairwise
from operator import attrgetter
from typing import Final

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coach.app.diary import Insights
from coach.core import insights, wording
from coach.core.diary import SEVERITY_MAX, Episode
from coach.core.i18n import N_, _, ngettext
from coach.core.labels import PLACE_LABELS, SIDE_LABELS, labels, place_label, side_label
from coach.core.wording import minutes_seconds
from coach.ui.basics import button, label
from coach.ui.chart import WeeklyChart
from coach.ui.widgets import ShrinkingScreen

MAX_CARDS: Final = 1
"""Red-flag cards shown at once; the next appears when one is dismissed, so a
bad month does not push the diary itself off the screen."""
COLUMNS: Final = (N_("When"), N_("How long"), N_("Where"), N_("Which leg"), N_("How bad"),
                  N_("Notes"))
"""The column headings, in English (marked): worded with ``_`` where shown."""
WHEN, DURATION, PLACE, SIDE, SEVERITY, NOTES = range(len(COLUMNS))
_LONGEST_WHEN: Final = datetime(2026, 9, 30, 23, 59, tzinfo=timezone.utc)
"""A Wednesday in September at 23:59: about the widest date and time there is."""


def _widest() -> dict[int, str]:
    """The widest value each fixed column can show, in the language in use,
    to size it without reading rows."""
    return {WHEN: wording.when(_LONGEST_WHEN, timezone.utc), DURATION: "10:00",
            SEVERITY: f"{SEVERITY_MAX}/{SEVERITY_MAX}",
            PLACE: max(labels(PLACE_LABELS).values(), key=len),
            SIDE: max(labels(SIDE_LABELS).values(), key=len)}
_ROOT: Final = QModelIndex()
LOG_A_CRAMP: Final = N_("Log a cramp…")
"""The button's words, which the empty diary's sentence names too."""
_EMPTY: Final = N_("Nothing logged yet. Cramps you log after emergency mode appear here; "
                   "use “{button}” to add one from memory.")


def when_text(episode: Episode, zone: tzinfo) -> str:
    """Local date and time, e.g. "Tue, 3 Mar 2026, 02:14"."""
    return wording.when(episode.started, zone)


class EpisodeModel(QAbstractTableModel):
    """Episodes, one row each, in the order given."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._episodes: Sequence[Episode] = ()
        self._zone: tzinfo | None = None

    def set_episodes(self, episodes: Sequence[Episode], zone: tzinfo) -> None:
        self.beginResetModel()
        self._episodes = episodes
        self._zone = zone
        self.endResetModel()

    def episode(self, row: int) -> Episode:
        return self._episodes[row]

    def row_of(self, episode_id: int) -> int | None:
        return next((row for row, e in enumerate(self._episodes) if e.id == episode_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._episodes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        episode, column = self._episodes[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(episode, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(episode, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTES and episode.notes:
            return episode.notes
        if role == Qt.ItemDataRole.ToolTipRole and column in (PLACE, SIDE):
            return self._text(episode, column)  # whole, where a narrow column cuts it
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DURATION, SEVERITY):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def _text(self, episode: Episode, column: int) -> str:
        if column == WHEN:
            assert self._zone is not None  # set together with the episodes
            return when_text(episode, self._zone)
        if column == DURATION:
            return minutes_seconds(round(episode.duration_s))
        if column == PLACE:
            return place_label(episode.place)
        if column == SIDE:
            return side_label(episode.side)
        if column == SEVERITY:
            return "" if episode.severity is None else f"{episode.severity}/{SEVERITY_MAX}"
        return next(iter(episode.notes.splitlines()), "")

    def _spoken(self, episode: Episode, column: int) -> str:
        """What a screen reader says: "1:05" and "7/10" read badly aloud."""
        if column == DURATION:
            minutes, seconds = divmod(round(episode.duration_s), 60)
            # Translators: said by a screen reader: write the units out if the
            # abbreviations read badly aloud in your language.
            spoken_minutes = ngettext("{n} min", "{n} min", minutes).format(n=minutes)
            # Translators: said by a screen reader, after the minutes ("11 min 0 s").
            spoken_seconds = ngettext("{n} s", "{n} s", seconds).format(n=seconds)
            # Translators: how long a cramp lasted, said by a screen reader:
            # "11 min" and "0 s".
            return _("{minutes} {seconds}").format(minutes=spoken_minutes,
                                                   seconds=spoken_seconds)
        if column == SEVERITY:
            if episode.severity is None:
                # Translators: how bad a cramp was, when no number was chosen.
                return _("Not rated")
            # Translators: how bad a cramp was, said by a screen reader ("7 out of 10").
            return _("{severity} out of {maximum}").format(severity=episode.severity,
                                                           maximum=SEVERITY_MAX)
        return self._text(episode, column)


class _EpisodeTable(QTableView):
    """Enter edits and Delete deletes the current row; Tab leaves the table
    instead of walking its cells, so the buttons stay one key away. It asks
    for no more height than its rows, up to :data:`MIN_HEIGHT`: with a short
    diary the red-flag card above it had to scroll beside an empty table."""

    MIN_HEIGHT = 160
    """The least a long diary's list gets: header and four rows."""

    edit_key = Signal()
    delete_key = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Cramp episodes"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)
        self._fit_columns()

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            for change in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                change.connect(self.updateGeometry)

    def _rows_height(self) -> int:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        return (self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
                + rows * self.verticalHeader().defaultSectionSize())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(),
                     min(self.MIN_HEIGHT, self._rows_height()))

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._rows_height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_key.emit()
        elif key == Qt.Key.Key_Delete:
            self.delete_key.emit()
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # e.g. the theme's larger type
            self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Size the columns from the widest value they can hold, not from the
        rows: measuring 10,000 rows would cost more than opening the screen.
        Where that is wider than the table (Russian at 1024×600, any language
        at 150%), the place and the leg give way, cut short with the whole
        word in their tooltip, so that the notes keep some room and nothing
        scrolls sideways; dates and numbers stay whole."""
        cell, head = self.fontMetrics(), self.horizontalHeader().fontMetrics()
        widths = {column: max(cell.horizontalAdvance(widest),
                              head.horizontalAdvance(_(COLUMNS[column]))) + 28
                  for column, widest in _widest().items()}
        over = sum(widths.values()) + cell.horizontalAdvance("M" * 8) - self.viewport().width()
        for column in (PLACE, SIDE):
            narrowest = head.horizontalAdvance(_(COLUMNS[column])) + 28
            given = min(max(over, 0), widths[column] - narrowest)
            widths[column] -= given
            over -= given
        for column, width in widths.items():
            self.setColumnWidth(column, width)
        self.verticalHeader().setDefaultSectionSize(cell.height() + 12)


class HistoryScreen(ShrinkingScreen):
    """``edit_requested`` and ``delete_requested`` carry the :class:`Episode`;
    ``flag_seen`` carries a red flag's id once the person has read it."""

    log_requested = Signal()
    edit_requested = Signal(object)
    delete_requested = Signal(object)
    export_requested = Signal()
    back = Signal()
    flag_seen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Dismissed here as well as in the settings, so a card read once stays
        # gone for this session even if the settings could not be saved.
        self._dismissed: set[str] = set()
        self._flags: list[insights.RedFlag] = []
        self._cards: list[tuple[QFrame, QPushButton]] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 16)
        column.setSpacing(10)
        column.addWidget(label(_("Your cramp diary"), "title"))
        # The flag card, chart and check scroll rather than squeeze when the
        # window is short, so no sentence is ever cut off.
        top = QWidget()
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        self._card_column = QVBoxLayout()
        self._card_column.setSpacing(8)
        top_column.addLayout(self._card_column)

        overview = QHBoxLayout()
        self.chart = WeeklyChart()
        # The chart keeps its size; spare height goes to the list.
        self.chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        overview.addWidget(self.chart, 3)
        check_box = QFrame()
        check_box.setProperty("role", "banner")
        check_column = QVBoxLayout(check_box)
        # The check's name says what it asks, not how long it waits: that is
        # the rule's (insights.CHECK_AFTER_DAYS), and its sentences say it.
        check_column.addWidget(label(_("Is the bedtime routine helping?"), "flag"))
        self.check = label("", "notice")
        self.check.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        check_column.addWidget(self.check, 1)
        overview.addWidget(check_box, 2)
        top_column.addLayout(overview)
        scroller = QScrollArea()
        scroller.setWidget(top)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.addWidget(scroller)

        self._empty = label(_(_EMPTY).format(button=_(LOG_A_CRAMP)), "muted")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self._empty, 1)
        self.model = EpisodeModel(self)
        self.table = _EpisodeTable()
        self.table.setModel(self.model)
        self.table.edit_key.connect(self._edit)
        self.table.delete_key.connect(self._delete)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        self.table.selectionModel().currentRowChanged.connect(
            lambda _now, _before: self._update_buttons())
        column.addWidget(self.table, 1)

        row = QHBoxLayout()
        # Translators: a button that goes back to the home screen.
        self._back = button(_("Back"), self.back.emit, tip=_("Home (Esc)"))
        row.addWidget(self._back)
        row.addStretch(1)
        self._log = button(_(LOG_A_CRAMP), self.log_requested.emit,
                           tip=_("Add a cramp you did not log at the time"))
        self._edit_button = button(_("Edit…"), self._edit,
                                   tip=_("Change the selected entry (Enter)"))
        self._delete_button = button(
            _("Delete"), self._delete,
            # Translators: "(Delete)" is the Delete key.
            tip=_("Delete the selected entry (Delete); it can be undone"))
        self._export = button(_("Export…"), self.export_requested.emit,
                              tip=_("Save a PDF report for your doctor, or a spreadsheet"))
        for widget in (self._log, self._edit_button, self._delete_button, self._export):
            row.addWidget(widget)
        column.addLayout(row)
        self._update_buttons()
        self._order_tabs()

    def show_data(self, episodes: Sequence[Episode], report: Insights, *, zone: tzinfo,
                  seen_flags: frozenset[str]) -> None:
        """Fill the screen from the diary's entries (in any order) and what
        :func:`coach.app.diary.insights_for` made of them (the report shows the
        same), keeping the selected entry selected when it is still there."""
        ordered = sorted(episodes, key=attrgetter("started"), reverse=True)
        self._empty.setText(_(_EMPTY).format(button=_(LOG_A_CRAMP)))
        self.chart.set_weeks(report.period.weeks)
        self.check.setText(report.six_week.summary)
        flags = list(report.flags)
        hidden = seen_flags | self._dismissed
        self._flags = [f for f in flags if f.id not in hidden]
        self._show_cards()
        self._order_tabs()
        self._fill_table(ordered, zone)

    def show_unavailable(self, problem: str) -> None:
        """The diary could not be opened or read: said where the entries would
        be. "Nothing logged yet" there would read as months of notes lost."""
        # Translators: {problem} says why, as whole sentences.
        self._empty.setText(_("Your diary cannot be shown just now, so this screen is empty. "
                              "The diary file has been left as it is. {problem}").format(
            problem=problem))
        self.chart.set_weeks(())
        self.check.setText("")
        self._flags = []
        self._show_cards()
        self._fill_table((), timezone.utc)

    # -- the list --------------------------------------------------------------

    def _fill_table(self, ordered: Sequence[Episode], zone: tzinfo) -> None:
        previous = self._current()
        previous_row = self.table.currentIndex().row()
        self.model.set_episodes(ordered, zone)
        found = None if previous is None or previous.id is None else \
            self.model.row_of(previous.id)
        if found is None:
            found = min(max(previous_row, 0), len(ordered) - 1)
        has_rows = bool(ordered)
        self._empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)
        if has_rows:
            self.table.selectRow(found)
            self.table.scrollTo(self.model.index(found, 0))
        self._update_buttons()

    def show_entry(self, episode_id: int) -> None:
        row = self.model.row_of(episode_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _current(self) -> Episode | None:
        index = self.table.currentIndex()
        return self.model.episode(index.row()) if index.isValid() else None

    def _edit(self) -> None:
        episode = self._current()
        if episode is not None:
            self.edit_requested.emit(episode)

    def _delete(self) -> None:
        episode = self._current()
        if episode is not None:
            self.delete_requested.emit(episode)

    def _update_buttons(self) -> None:
        chosen = self.table.currentIndex().isValid()
        self._edit_button.setEnabled(chosen)
        self._delete_button.setEnabled(chosen)

    # -- red flags -------------------------------------------------------------

    def _show_cards(self) -> None:
        for card, _got_it in self._cards:
            card.hide()
            card.deleteLater()
        self._cards = [self._card(flag, n) for n, flag in enumerate(self._flags[:MAX_CARDS])]
        for card, _got_it in self._cards:
            self._card_column.addWidget(card)
            card.show()  # now, not on the layout's deferred show: one paint, no jump

    def _card(self, flag: insights.RedFlag, number: int) -> tuple[QFrame, QPushButton]:
        card = QFrame()
        card.setProperty("role", "danger")
        card.setProperty("flag_id", flag.id)
        card.setAccessibleName(flag.title)
        column = QVBoxLayout(card)
        column.setContentsMargins(16, 12, 16, 12)
        heading = QHBoxLayout()
        title = label(flag.title)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        heading.addWidget(title, 1)
        if len(self._flags) > 1:
            # Translators: which of the warning cards this is ("1 of 3").
            position = _("{number} of {total}").format(number=number + 1,
                                                       total=len(self._flags))
            heading.addWidget(label(position, wrap=False), 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(heading)
        column.addWidget(label(flag.message, "notice"))
        row = QHBoxLayout()
        # Translators: {who} says whom to see or where to go, as a sentence or two
        # ("Your GP (family doctor) first", "Get help today. Call NHS 111.").
        row.addWidget(label(_("Who to see: {who}").format(who=flag.who_to_see), "notice"), 1)
        got_it = button(_("Got it"), lambda: self._dismiss(flag.id),
                        # Translators: {title} is the warning card's title.
                        tip=_("Hide this and don't show it again: {title}").format(
                            title=flag.title))
        row.addWidget(got_it, 0, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(row)
        return card, got_it

    def _dismiss(self, flag_id: str) -> None:
        focused = QApplication.focusWidget()
        had_focus = focused is not None and any(card.isAncestorOf(focused)
                                                for card, _got_it in self._cards)
        self._dismissed.add(flag_id)
        self._flags = [f for f in self._flags if f.id != flag_id]
        self._show_cards()
        self._order_tabs()
        self.flag_seen.emit(flag_id)
        if had_focus:  # keep the keyboard user in the same place, not lost at the top
            following = self._cards[0][1] if self._cards else self._landing()
            following.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keyboard --------------------------------------------------------------

    def _order_tabs(self) -> None:
        """The cards' buttons, the chart, the list, then the buttons in reading
        order; set again whenever cards come and go."""
        chain: list[QWidget] = [got_it for _card, got_it in self._cards]
        chain += [self.chart, self.table, self._back, self._log, self._edit_button,
                  self._delete_button, self._export]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _landing(self) -> QWidget:
        return self.table if self.model.rowCount() else self._log

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it opens it: the list takes the
        focus (or "Log a cramp…" while it is empty), so arrows and Enter work
        at once. Not a focus proxy: Qt would put the screen itself in the tab
        chain, and Tab would jump back to the list from the last button."""
        self._landing().setFocus(event.reason())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
        else:
            super().keyPressEvent(event)
