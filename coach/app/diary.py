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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Final, TypeVar

from coach.app.settings import SettingsModel
from coach.core import insights
from coach.core.clock import Clock
from coach.core.diary import Diary, DiaryError, Episode, RoutineSession, damaged_notice
from coach.core.i18n import N_, _
from coach.core.model import WarningSign
from coach.core.notices import Notices, Wording, worded
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
    counted_from: date  # the period's first night, or the diary's if it began later
    nights: int  # nights counted so far (from counted_from), tonight included
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
                   zone: tzinfo, *, today: date, since: date | None = None,
                   routine_id: str = BEDTIME_ROUTINE,
                   weeks: int = PERIOD_WEEKS) -> PeriodSummary:
    """The last ``weeks`` calendar weeks up to today, bucketed by night exactly
    as the weekly chart is (see :mod:`coach.core.insights`). Rates count the
    nights so far, tonight included, so a week in progress is not read as a
    quiet one; and only from ``since``, the diary's first night, so nights
    before it was kept are not read as nights without a cramp (7 cramps in
    the 15 nights of a new diary are 3.3 a week, not the 0.6 of 78 nights)."""
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
    counted_from = first if since is None else min(max(first, since), today)
    return PeriodSummary(weeks=chart, first=first, today=today, episodes=tuple(chosen),
                         counted_from=counted_from, nights=(today - counted_from).days + 1,
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
        period=period_summary(episodes, sessions, zone, today=today, since=since,
                              weeks=weeks),
        six_week=insights.six_week_check(episodes, sessions, zone, today=today,
                                         routine_id=BEDTIME_ROUTINE, tracking_since=since),
        flags=tuple(insights.red_flags(episodes, zone, today=today,
                                       contacts=settings.contacts(),
                                       medicine_started=medicines,
                                       warning_signs=warning_signs)),
        profile=parse_conditions(settings.profile),
        medicines_started=medicines)


T = TypeVar("T")

WRITE_PROBLEMS: Final = (DiaryError, ValueError, KeyError)
"""What a change can fail with: storage trouble, or an entry the diary refuses."""


class DiaryService:
    """The diary as the screens and the command line use it.

    Opened on first use (the first screen never waits for it). Every change
    goes through :meth:`write`, which reports every failure, never just the
    first, and returns None so the screen the person is on can stay and keep
    what they entered. Subscribers hear after each change that was saved, so
    the history redraws itself.
    """

    def __init__(self, path: Path, clock: Clock, notices: Notices, settings: SettingsModel,
                 zone: Callable[[], tzinfo],
                 warning_signs: Callable[[], Sequence[WarningSign]] = tuple,
                 diary: Diary | None = None) -> None:
        self._path = path
        self._clock = clock
        self._notices = notices
        self._settings = settings
        self._zone = zone
        self._warning_signs = warning_signs
        self._diary = diary
        self._owned = diary is None
        self._listeners: list[Callable[[], None]] = []
        self._problem: Wording | None = None

    def diary(self) -> Diary | None:
        """The open diary; a problem opening it is reported once, and the app
        goes on without a diary rather than failing."""
        if self._diary is None:
            try:
                self._diary = Diary.open(self._path, clock=self._clock)
            except DiaryError as exc:
                self._problem = exc.wording
                self._notices.post("error", exc.wording, key="diary-open")
                return None
            self._problem = None
            kept = self._diary.kept
            if kept is not None:
                self._notices.post("warning", lambda: damaged_notice(kept), key="diary-moved")
        return self._diary

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    @property
    def problem(self) -> Wording | None:
        """Why the diary cannot be opened or read just now, or None."""
        return self._problem

    def write(self, failure: str, change: Callable[[Diary], T],
              failed: Callable[[Wording], object] | None = None) -> T | None:
        """Make one change; ``failure`` (a sentence marked with ``N_``, "The
        cramp could not be saved") starts the message when it fails, which is
        posted, and given to ``failed`` for a screen the notices do not reach
        (the quick log). The message is worded when shown, so it follows a
        change of language."""
        diary = self.diary()
        reason: Wording
        if diary is None:
            assert self._problem is not None
            reason = self._problem
        else:
            try:
                result = change(diary)
            except WRITE_PROBLEMS as exc:
                # An entry the diary refuses (ValueError, KeyError) says why in its own words.
                reason = exc.wording if isinstance(exc, DiaryError) else str(exc)
            else:
                for listener in list(self._listeners):
                    listener()
                return result

        def message() -> str:
            # Translators: {failure} is what failed, e.g. "The cramp could not be saved";
            # {reason} says why, as a sentence of its own.
            return _("{failure}: {reason}").format(failure=_(failure), reason=worded(reason))

        self._notices.post("error", message)
        if failed is not None:
            failed(message)
        return None

    def add_episode(self, episode: Episode,
                    failed: Callable[[Wording], object] | None = None) -> Episode | None:
        return self.write(N_("The cramp could not be saved"), lambda d: d.add_episode(episode),
                          failed)

    def update_episode(self, episode: Episode) -> Episode | None:
        return self.write(N_("The change could not be saved"),
                          lambda d: d.update_episode(episode))

    def delete_episode(self, episode_id: int) -> Episode | None:
        """The deleted entry, for Undo."""
        return self.write(N_("The entry could not be deleted"),
                          lambda d: d.delete_episode(episode_id))

    def restore_episode(self, episode: Episode) -> Episode | None:
        return self.write(N_("The entry could not be put back"),
                          lambda d: d.restore_episode(episode))

    def record_routine(self, routine_id: str, title: str, completed: bool, started: datetime,
                       active_s: float) -> RoutineSession | None:
        record = RoutineSession(started=started, routine_id=routine_id, routine_title=title,
                                completed=completed, duration_s=active_s)
        return self.write(N_("This routine could not be recorded"),
                          lambda d: d.add_routine_session(record))

    def entries(self) -> tuple[list[Episode], list[RoutineSession]] | None:
        """Every episode and routine session, or None (reported once) when the
        diary cannot be read."""
        diary = self.diary()
        if diary is None:
            return None
        try:
            read = diary.episodes(), diary.routine_sessions()
        except DiaryError as exc:
            self._problem = exc.wording
            self._notices.post("error", exc.wording, key="diary-read")
            return None
        self._problem = None
        return read

    def today(self) -> date:
        return self._clock.wall().astimezone(self._zone()).date()

    def insights(self, episodes: Sequence[Episode], sessions: Sequence[RoutineSession],
                 weeks: int = PERIOD_WEEKS) -> Insights:
        """:func:`insights_for` with this app's clock, zone, settings and content."""
        return insights_for(episodes, sessions, zone=self._zone(), today=self.today(),
                            settings=self._settings.current,
                            warning_signs=self._warning_signs(), weeks=weeks)

    def close(self) -> None:
        if self._diary is not None and self._owned:
            self._diary.close()
            self._diary = None
