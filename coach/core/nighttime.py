"""When the night look applies: between 20:00 and 08:00 local time by default.

Kept in the core so the rule is tested without a display and so the UI only
schedules a single wake-up at the next switch instead of polling the clock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal

NIGHT_STARTS = time(20, 0)
NIGHT_ENDS = time(8, 0)

Theme = Literal["day", "night"]


def is_night(local: datetime) -> bool:
    moment = local.time()
    return moment >= NIGHT_STARTS or moment < NIGHT_ENDS


def resolve(setting: str, local: datetime) -> Theme:
    """``setting`` is "day", "night" or "auto"; anything else counts as auto."""
    if setting in ("day", "night"):
        return "night" if setting == "night" else "day"
    return "night" if is_night(local) else "day"


def next_switch(local: datetime) -> datetime:
    """The next local moment the automatic theme changes (08:00 or 20:00)."""
    for days in (0, 1):
        day = local.date() + timedelta(days=days)
        for boundary in (NIGHT_ENDS, NIGHT_STARTS):
            candidate = datetime.combine(day, boundary, tzinfo=local.tzinfo)
            if candidate > local:
                return candidate
    raise AssertionError("unreachable: a boundary always exists within a day")
