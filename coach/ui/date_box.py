"""Date and time boxes as a person expects them: Tab leaves the box, as from
any other field, and dates read as the person writes them.

Qt's own boxes move Tab through their parts first (day, month, year, hour,
minute): five Tabs from a diary entry's date landed in its minutes box, where
typing "7" changed how long the cramp lasted (a diary audit). The arrow keys
still move between the parts, and up and down change the one chosen.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QTimeEdit, QWidget


class _TabLeaves:
    def focusNextPrevChild(self, next: bool) -> bool:
        assert isinstance(self, QWidget)
        return QWidget.focusNextPrevChild(self, next)


class DateTimeBox(_TabLeaves, QDateTimeEdit):
    pass


class DateBox(_TabLeaves, QDateEdit):
    pass


class TimeBox(_TabLeaves, QTimeEdit):
    pass


def date_format(with_time: bool) -> str:
    """A date box's format as the person writes dates (30.11.2026, 30/11/2026),
    as the diary shows them, not ISO's (a Russian audit); always with the
    century, which a two-figure year ("11/30/26") would leave to guessing."""
    locale = QLocale()
    short = QLocale.FormatType.ShortFormat
    shown = locale.dateTimeFormat(short) if with_time else locale.dateFormat(short)
    return re.sub(r"(?<!y)yy(?!y)", "yyyy", shown)
