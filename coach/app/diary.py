"""What the diary says, worked out once for the history screen, the PDF
report and the command line.

Before this module each of them asked :mod:`coach.core.insights` on its own,
with its own arguments, and they drifted: the screen told the six-week check
when the diary began and the report did not, so for the same diary the screen
said "ready" and the report "Not enough diary yet". Now each asks
:func:`insights_for` with the same settings and content, and gets the same
answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Final

from coach.core import insights
from coach.core.diary import Episode, RoutineSession
from coach.core.model import WarningSign
from coach.core.profile import Condition, parse_conditions
from coach.core.reminders import BEDTIME_ROUTINE
from coach.core.settings import Settings

PERIOD_WEEKS: Final = 12
"""The weeks the history chart and the report cover."""


@dataclass(frozen=True)
class PeriodSummary:
    """What the diary says about the period's weeks, up to ``today``."""

    weeks: tuple[insights.Week, ...]
    first: date  # the Monday the period starts
    today: date
    episodes: tuple[Episode, ...]  # in the period, oldest first
    nights: int  # nights in the period so far, tonight included
    routine_nights: int
    sessions: tuple[RoutineSession, ...]  # in the period, any routine

    @property
    def cramps(self) -> int:
        return len(self.episodes)

    @property
    def per_week(self) -> float:
        return self.cramps * 7 / self.nights

    @property
    def average_s(self) -> float | None:
        if not self.episodes:
            return None
        return sum(e.duration_s for e in self.episodes) / len(self.episodes)

    @property
    def longest(self) -> Episode | None:
        return max(self.episodes, key=lambda e: e.duration_s, default=None)

    @property
    def adherence(self) -> float:
        return self.routine_nights / self.nights


def period_summary(episodes: Sequence[Episode], sessions: Sequence[RoutineSession],
                   zone: tzinfo, *, today: date, routine_id: str = BEDTIME_ROUTINE,
                   weeks: int = PERIOD_WEEKS) -> PeriodSummary:
    """The last ``weeks`` calendar weeks up to today, bucketed by night exactly
    as the weekly chart is (see :mod:`coach.core.insights`). Rates count the
    nights so far, tonight included, so a week in progress is not read as a
    quiet one."""
    chart = tuple(insights.weekly(episodes, sessions, zone, today=today,
                                  routine_id=routine_id, weeks=weeks))
    first = chart[0].start
    end = first + timedelta(weeks=weeks)
    chosen = sorted((e for e in episodes
                     if first <= insights.night_of(e.started, zone) < end),
                    key=lambda e: e.started)
    runs = sorted((s for s in sessions
                   if first <= insights.night_of(s.started, zone) < end),
                  key=lambda s: s.started)
    return PeriodSummary(weeks=chart, first=first, today=today, episodes=tuple(chosen),
                         nights=(today - first).days + 1,
                         routine_nights=sum(w.routine_nights for w in chart),
                         sessions=tuple(runs))


@dataclass(frozen=True)
class Insights:
    """Everything the history screen and the report show about a diary."""

    period: PeriodSummary
    six_week: insights.SixWeekCheck
    flags: tuple[insights.RedFlag, ...]
    profile: frozenset[Condition]
    medicines_started: Mapping[str, date]


def medicine_dates(raw: Mapping[str, str]) -> dict[str, date]:
    """ISO dates from the settings (already checked when they were read)."""
    return {name: date.fromisoformat(text) for name, text in raw.items()}


def insights_for(episodes: Sequence[Episode], sessions: Sequence[RoutineSession], *,
                 zone: tzinfo, today: date, settings: Settings,
                 warning_signs: Sequence[WarningSign] = (),
                 weeks: int = PERIOD_WEEKS) -> Insights:
    """The one answer to "what does this diary say?". The diary counts from
    the night of its first entry (a cramp or a routine): a night with nothing
    logged only counts as cramp-free once the diary was in use."""
    started = [e.started for e in episodes] + [s.started for s in sessions]
    since = insights.night_of(min(started), zone) if started else None
    medicines = medicine_dates(settings.medicines_started)
    return Insights(
        period=period_summary(episodes, sessions, zone, today=today, weeks=weeks),
        six_week=insights.six_week_check(episodes, sessions, zone, today=today,
                                         routine_id=BEDTIME_ROUTINE, tracking_since=since),
        flags=tuple(insights.red_flags(episodes, zone, today=today,
                                       contacts=settings.contacts(),
                                       medicine_started=medicines,
                                       warning_signs=warning_signs)),
        profile=parse_conditions(settings.profile),
        medicines_started=medicines)
