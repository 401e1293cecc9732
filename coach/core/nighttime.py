"""When the night look applies: from 20:00 to 08:00 local time.

Kept in the core so the rule is tested without a display and so the UI only
schedules a single wake-up at the next switch instead of polling the clock.
The night starts and ends on the hour, so the rule needs only the hour of
the local clock: a start for a cramp asks it with ``time.localtime()``
before ``datetime`` has loaded (:mod:`coach.ui.first_paint`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import datetime

NIGHT_STARTS_HOUR = 20
NIGHT_ENDS_HOUR = 8

Theme = Literal["day", "night"]


def is_night_hour(hour: int) -> bool:
    """``hour`` of the local clock, 0 to 23."""
    return hour >= NIGHT_STARTS_HOUR or hour < NIGHT_ENDS_HOUR


def is_night(local: datetime) -> bool:
    return is_night_hour(local.hour)


def resolve(setting: str, hour: int) -> Theme:
    """``setting`` is "day", "night" or "auto"; anything else counts as auto.
    ``hour`` is the local clock's."""
    if setting in ("day", "night"):
        return "night" if setting == "night" else "day"
    return "night" if is_night_hour(hour) else "day"


def next_switch(local: datetime) -> datetime:
    """The next local moment the automatic theme changes (08:00 or 20:00)."""
    from datetime import timedelta  # here: the first paint never schedules

    for days in (0, 1):
        day = local + timedelta(days=days)
        for boundary in (NIGHT_ENDS_HOUR, NIGHT_STARTS_HOUR):
            candidate = day.replace(hour=boundary, minute=0, second=0, microsecond=0, fold=0)
            if candidate > local:
                return candidate
    raise AssertionError("unreachable: a boundary always exists within a day")
