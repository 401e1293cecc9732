"""Prevention tips from the seed articles, each with its evidence level, and
with anything the safety profile rules out shown as left out, with why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from coach.core import care
from coach.core.countries import Contacts
from coach.core.i18n import _
from coach.core.model import Tip, WarningSign
from coach.core.profile import Condition, assess
from coach.ui.basics import button, label
from coach.ui.widgets import provenance_text, rich_text_area


class TipsScreen(QWidget):
    back = Signal()
    print_card = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 16)
        column.addWidget(label(_("Tips to prevent night cramps"), "title"))
        self._text, self._scroll = rich_text_area(_("Tips"))
        column.addWidget(self._scroll, 1)
        row = QHBoxLayout()
        # Translators: a button that goes back to the home screen.
        row.addWidget(button(_("Back"), self.back.emit, tip=_("Home (Esc)")))
        row.addStretch(1)
        row.addWidget(button(_("Print a bedside card…"), self.print_card.emit,
                             tip=_("Emergency steps on one page, for nights the computer "
                                   "is off")))
        column.addLayout(row)

    def show_tips(self, tips: Sequence[Tip], profile: Iterable[Condition],
                  signs: Sequence[WarningSign] = (), contacts: Contacts | None = None) -> None:
        """The warning signs come first, each with who to see (worded by the
        care rule with the person's own numbers), then the tips."""
        conditions = frozenset(profile)
        parts: list[str] = []
        if signs and contacts is not None:
            items = "".join(f"<li><b>{escape(care.sign_line(str(sign.sign), sign.care, contacts))}"
                            f"</b><br><span style='font-size:11pt'>"
                            f"{escape(provenance_text(sign.provenance))}</span></li>"
                            for sign in signs)
            signs_heading = escape(_("Signs that a cramp may not be an ordinary one"))
            tips_heading = escape(_("To make night cramps less likely"))
            parts.append(f"<h3>{signs_heading}</h3><ul>{items}</ul><h3>{tips_heading}</h3>")
        for tip in tips:
            verdict = assess(tip.cautions, conditions)
            if verdict.hidden:
                # Translators: {tip} is the tip's title, {reasons} why the safety
                # profile leaves it out; the tip's title is shown in bold.
                left_out = escape(_("{tip}: left out. {reasons}")).format(
                    tip=f"<b>{escape(str(tip.title))}</b>",
                    reasons=escape(" ".join(verdict.reasons)))
                parts.append(f"<p style='color:gray'>{left_out}</p>")
                continue
            flags = "".join(f"<br><i>{escape(r)}</i>" for r in verdict.reasons)
            parts.append(f"<p><b>{escape(str(tip.title))}.</b> {escape(str(tip.text))}"
                         f"{flags}<br><span style='font-size:11pt'>"
                         f"{escape(provenance_text(tip.provenance))}</span></p>")
        self._text.setText("".join(parts))

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it shows it: the tips take the
        focus, so the arrows and Page Down scroll them at once."""
        self._scroll.setFocus(event.reason())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
        else:
            super().keyPressEvent(event)
