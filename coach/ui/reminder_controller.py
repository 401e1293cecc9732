"""Runs the bedtime reminder: loads and saves its record, keeps one timer armed
for the next reminder, and records every outcome in the diary.

All decisions come from :class:`coach.core.reminders.Reminders`; this class
only decides *when* to ask it (start, timer, wake, clock jump, a button).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from PySide6.QtCore import QObject, Signal

from coach.core.clock import Clock
from coach.core.diary import Diary, DiaryError, ReminderEvent
from coach.core.i18n import _
from coach.core.notices import Notices, Wording, worded
from coach.core.reminders import BEDTIME_ROUTINE, Outcome, Reminders, ReminderStateStore
from coach.core.schedule import Fire, ReminderConfig, SnoozeRefused, tonight
from coach.core.timezones import zone_key
from coach.ui.reminder_clock import ReminderClock
from coach.ui.timers import Timers

ON_TIME = timedelta(seconds=60)
"""A timer that goes off this close to its moment shows the reminder as such;
later than that (the machine slept), the catch-up rules decide."""


class ReminderController(QObject):
    remind = Signal(object)
    """A :class:`Fire` to show now."""
    changed = Signal()
    """The next reminder moved (for the tray's "next reminder" line)."""
    clock_moved = Signal()
    """The computer woke, or its clock or time zone changed: what else waits
    for a time of day (the night look) must look again."""

    def __init__(self, clock: Clock, store: ReminderStateStore,
                 config: Callable[[], ReminderConfig], zone: Callable[[], tzinfo],
                 diary: Callable[[], Diary | None], notices: Notices, timers: Timers,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._store = store
        self._config = config
        self._zone = zone
        self._diary = diary
        self._notices = notices
        self.reminders = Reminders(config(), store.load(), zone())
        self._next: Fire | None = None
        self._watch = ReminderClock(clock, lambda: zone_key(zone(), clock.wall()), timers, self)
        self._watch.due.connect(self._on_due)
        self._watch.recheck.connect(self.refresh)
        self._watch.recheck.connect(self.clock_moved)

    def start(self) -> None:
        diary = self._diary()
        if diary is not None:
            since = self._clock.wall() - timedelta(days=2)
            try:
                sessions = diary.routine_sessions(since=since)
            except DiaryError as exc:
                self._notices.post("error", exc.wording, key="diary-read")
                sessions = []
            self.reminders.sync_done(s.started for s in sessions
                                     if s.completed and s.routine_id == BEDTIME_ROUTINE)
        self._watch.start()
        self.refresh()

    def stop(self) -> None:
        self._watch.stop()

    @property
    def next_fire(self) -> Fire | None:
        return self._next

    def refresh(self) -> None:
        """Catch up (a late reminder, missed nights), then arm for the next one.
        Called on start, on wake, after a clock or zone change and whenever the
        reminder settings change."""
        self.reminders.config = self._config()
        self.reminders.zone = self._zone()
        now = self._clock.wall()
        late, outcomes = self.reminders.catch_up(now)
        self._commit(outcomes, now)
        if late is not None:
            self.remind.emit(late)
        self._arm(now)

    def _arm(self, now: datetime) -> None:
        self._next = self.reminders.next_fire(now)
        self._watch.arm(None if self._next is None
                        else (self._next.at - now).total_seconds())
        self.changed.emit()

    def _on_due(self) -> None:
        now = self._clock.wall()
        fire = self._next
        if fire is not None and fire.at - ON_TIME <= now <= fire.at + ON_TIME:
            self._commit([self.reminders.fired(fire)], now)
            self.remind.emit(fire)
            self._arm(now)
        else:
            self.refresh()

    # -- buttons -----------------------------------------------------------------

    def snooze(self, minutes: int) -> Wording | None:
        """None on success, else the reason for the user (limit reached...)."""
        now = self._clock.wall()
        try:
            outcome = self.reminders.snooze(minutes, now)
        except SnoozeRefused as exc:
            return exc.wording
        self._commit([outcome], now)
        self._arm(now)
        return None

    def night_over(self, fire: Fire) -> bool:
        """Whether the night ``fire`` reminded of has ended (past the next
        morning's day break): its notification's buttons no longer apply."""
        return tonight(self._clock.wall(), self._zone()) > fire.night

    def can_snooze(self) -> bool:
        return self.reminders.can_snooze(self._clock.wall())

    def skip_tonight(self) -> None:
        now = self._clock.wall()
        self._commit([self.reminders.skip_tonight(now)], now)
        self._arm(now)

    def pause_until_tomorrow(self) -> None:
        now = self._clock.wall()
        self._commit([self.reminders.pause_until_tomorrow(now)], now)
        self._arm(now)

    def resume(self) -> None:
        """Undo :meth:`pause_until_tomorrow`."""
        now = self._clock.wall()
        self._commit([self.reminders.resume(now)], now)
        self._arm(now)

    def paused(self) -> bool:
        return self.reminders.paused(self._clock.wall())

    def routine_completed(self, routine_id: str, finished: datetime) -> None:
        if routine_id != BEDTIME_ROUTINE:
            return
        self._commit([self.reminders.routine_done(finished)], self._clock.wall())
        self._arm(self._clock.wall())

    def _commit(self, outcomes: list[Outcome], now: datetime) -> None:
        self._store.save(self.reminders.state)
        diary = self._diary() if outcomes else None
        if diary is None:
            return
        try:
            for outcome in outcomes:
                diary.add_reminder_event(ReminderEvent(night=outcome.night,
                                                       kind=outcome.kind, at=now))
        except DiaryError as exc:
            reason = exc.wording
            # Translators: {reason} is why, e.g. "The disk is full".
            self._notices.post("error", lambda: _("A reminder event could not be recorded: "
                                                  "{reason}").format(reason=worded(reason)),
                               key="diary-reminder-event")
