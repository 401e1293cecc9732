"""Bedtime reminders: when the next one is due, from the settings, what has
already happened, an aware "now" and a time zone.

Every answer here is a pure function of those four things, so the app keeps a
single timer for :func:`next_fire` and simply recomputes it after anything
changes: a fire, a button, waking from sleep, the system clock or the time zone.
A stale timer can then never survive a clock jump, and because a night is
marked as handled in :class:`NightState` (not in the timer), no recomputation
can remind the same night twice.

How the app drives it
---------------------
* On start, on wake from sleep, after a clock or time-zone change, and before
  saving new reminder settings: call :func:`overdue`, save its ``state`` and
  show its ``late`` fire if there is one (it is already recorded as shown).
* Reminder settings changed while the app is not running (``cramp-coach
  reminder set`` with the app closed): save :func:`settle` of the state, so
  the new settings owe nothing from before the change. (A running app
  catches up under the old settings instead, before it takes up the new.)
* Arm one timer for :func:`next_fire`. When it goes off, show that fire and
  save ``record_fire(state, fire)``.
* Buttons: :func:`snooze` the night of the fire on screen; :func:`skip_night`,
  :func:`mark_done` (the bedtime routine was completed) and
  :func:`pause_until_tomorrow` for :func:`tonight`.
* ``reminder show``: :func:`upcoming`; the machine's zone is
  :func:`coach.core.timezones.local_zone`.

The rules
---------
Nights
    A night is named by the date of its evening: "Monday 00:30" is the bedtime
    early on Tuesday, because that is what a person going to bed after
    midnight means. Bedtimes from :data:`DAY_BREAK` (06:00) onwards fall on
    the night's own date, earlier ones on the next date, and before 06:00
    :func:`tonight` is still the previous evening's night. ``times[0]`` is
    Monday's bedtime. ``enabled`` only gates firing: :func:`bedtime` and
    :func:`upcoming` describe the configured times even while switched off.
Gaps (clocks go forward)
    A bedtime that does not exist that day fires at the first valid local
    time after it: 02:30 on a Berlin spring-forward Sunday fires at 03:00, and
    02:15 on Lord Howe's 30-minute spring-forward at 02:30.
Overlaps (clocks go back)
    A bedtime that happens twice fires once, at the first occurrence
    (``fold=0``).
Lead time
    "15 minutes before" is 15 real minutes before the resolved bedtime, in
    absolute time, even across midnight or a clock change: with bedtime 03:30
    on a Berlin fall-back night and a 120-minute lead the reminder comes at
    02:30 CEST, two hours before, although the wall clocks differ by one.
Late and missed
    A reminder not shown at its time (the machine slept, the app was not
    running, the clock jumped forward) is shown once, late, if :func:`overdue`
    runs within ``grace_minutes`` of it; otherwise its night is recorded as
    missed. Only reminders after ``NightState.settled_until`` count, so a
    brand-new state, a reminder set up after its time, or a night when
    reminders were off never turns into a late reminder or a missed night;
    a change of settings is settled when it is made (:func:`overdue` under
    the old settings, or :func:`settle` where nothing was watching).
Once a night
    A night that is fired, done, skipped or missed never fires again; the only
    repeat is a snooze of a night whose reminder was shown, at most
    :data:`MAX_SNOOZES` times, for one of :data:`SNOOZE_MINUTES`.
Skip and pause
    "Skip tonight" marks the night, so it stays skipped whatever the clock or
    the zone does. "Pause until tomorrow" is a moment instead: nothing at all
    fires before 06:00 at the end of the current night (reminders, snoozes,
    late reminders), and reminders it silences are neither shown nor missed.

All instants handed out are UTC except those made for display
(:func:`bedtime`, :func:`upcoming`), which are in the given zone. Every
comparison here is made in UTC: two aware datetimes sharing one tzinfo compare
by wall time, ignoring ``fold``, and (PEP 495) one in a repeated hour never
equals a datetime in another zone.
"""

from __future__ import annotations

import heapq
import reprlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from itertools import islice
from typing import Literal

from coach.core import wording
from coach.core.i18n import N_, _, ngettext
from coach.core.notices import WordedError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_GROUPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    # Translators: a word the command line's --days accepts for Monday to Friday,
    # as people would type it: one lower-case word. The English word works too.
    (N_("weekdays"), (0, 1, 2, 3, 4)),
    # Translators: a word --days accepts for Saturday and Sunday (see "weekdays").
    (N_("weekends"), (5, 6)),
    # Translators: a word --days accepts for every day of the week (see "weekdays").
    (N_("daily"), tuple(range(7))),
)

DAY_BREAK = time(6, 0)
"""Where one night ends and the next begins, in local time. Early enough that a
day sleeper's morning bedtime is its own day, late enough for night owls; and
with the longest lead (2 h) and the largest DST shift (2 h) a reminder still
stays after the local midnight that opens its night, which :func:`_reminders`
relies on to hand out reminders in order."""

SNOOZE_MINUTES = (5, 10, 15)
QUICK_SNOOZE_MINUTES = 10
"""The snooze a one-tap button offers (notification, reminder window, player)."""
MAX_SNOOZES = 3
MAX_LEAD_MINUTES = 120
MAX_GRACE_MINUTES = 720
"""Half a day: a longer grace could make a late reminder collide with the next
night's own."""

MISSED_LOOKBACK = timedelta(days=7)
"""How far back :func:`overdue` records missed nights. A wildly wrong clock
(a flat CMOS battery jumping years ahead) must not flood the state, and nights
recorded as missed in what turns out to be the future would silence them."""

_DEFAULT_TIMES: tuple[time | None, ...] = (time(22, 0),) * 7
_CONFIG_FIELDS = ("enabled", "times", "lead_minutes", "grace_minutes")
_UTC = timezone.utc
_ONE_DAY = timedelta(days=1)

FireKind = Literal["reminder", "snooze", "late"]


def parse_time(text: str) -> time:
    """Strict 24-hour ``H:MM``/``HH:MM`` only: "10.30" or "1030" would be
    guesses, and a reminder at a guessed time is worse than an error."""
    hours, colon, minutes = text.strip().partition(":")
    if (colon and hours.isascii() and hours.isdigit() and len(hours) <= 2
            and minutes.isascii() and minutes.isdigit() and len(minutes) == 2
            and int(hours) < 24 and int(minutes) < 60):
        return time(int(hours), int(minutes))
    # Translators: {text} is what the person typed, quoted; keep HH:MM as it is.
    raise ValueError(_("{text} is not a time of day; use 24-hour HH:MM, e.g. 22:30").format(
        text=repr(text)))


def day_words() -> dict[str, tuple[int, ...]]:
    """What ``--days`` accepts (0 = Monday), in lower case: the English day
    names and groups always, so a script works in every language, and those
    of the language in use ("пн", "понедельник", "будни")."""
    words: dict[str, tuple[int, ...]] = {"all": tuple(range(7))}
    for day, names in enumerate(zip(DAY_NAMES, _FULL_DAY_NAMES, wording.weekday_abbreviations(),
                                    wording.weekday_names(), strict=True)):
        words.update((name.lower(), (day,)) for name in names)
    for group, days in _DAY_GROUPS:
        words[group] = words[_(group).lower()] = days
    return words


def day_choices() -> str:
    """The words to suggest for ``--days``, in the language in use: "mon,
    tue, wed, thu, fri, sat, sun, weekdays, weekends or daily"."""
    return wording.either([*(name.lower() for name in wording.weekday_abbreviations()),
                           *(_(group).lower() for group, _days in _DAY_GROUPS)])


def parse_days(text: str) -> tuple[int, ...]:
    """For ``--days``: comma-separated names or groups (:func:`day_words`),
    in any order and case, returned sorted and without repeats (0 = Monday)."""
    words = day_words()
    days: set[int] = set()
    for raw in text.split(","):
        word = raw.strip().lower()
        if word in words:
            days.update(words[word])
        elif not word:
            # Translators: {text} is what the person typed, quoted; {choices} the
            # words the command accepts, e.g. "mon, tue, … weekends or daily".
            raise ValueError(_("a day name is missing in {text}; use {choices}").format(
                text=repr(text), choices=day_choices()))
        else:
            # Translators: {text} is what the person typed, quoted; {choices} the
            # words the command accepts, e.g. "mon, tue, … weekends or daily".
            raise ValueError(_("{text} is not a day; use {choices}").format(
                text=repr(raw.strip()), choices=day_choices()))
    return tuple(sorted(days))


def _minutes(name: str, value: object, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        # Translators: {name} is a setting's name as stored ("lead_minutes"); {value}
        # the value found there.
        raise ValueError(_("{name} must be a whole number of minutes from 0 to {maximum}, "
                           "not {value}").format(name=name, maximum=maximum,
                                                 value=reprlib.repr(value)))
    return value


def _times_from(value: object) -> tuple[time | None, ...]:
    """Days left out keep the default, so a hand-written ``{"mon": "23:00"}``
    changes Monday only."""
    if not isinstance(value, Mapping):
        raise ValueError(_('times must map day names (mon ... sun) to "HH:MM" or null, '
                           "not {value}").format(value=reprlib.repr(value)))
    times = list(_DEFAULT_TIMES)
    for day, text in value.items():
        if day not in DAY_NAMES:
            raise ValueError(_("times: {day} is not a day; "
                               "use mon, tue, wed, thu, fri, sat or sun").format(
                day=reprlib.repr(day)))
        if text is not None and not isinstance(text, str):
            raise ValueError(_('times.{day} must be "HH:MM" or null, not {value}').format(
                day=day, value=reprlib.repr(text)))
        try:
            times[DAY_NAMES.index(day)] = None if text is None else parse_time(text)
        except ValueError as error:
            raise ValueError(f"times.{day}: {error}") from None
    return tuple(times)


@dataclass(frozen=True)
class ReminderConfig:
    """The user's reminder settings. Invalid values raise on construction, so
    a config that exists is always one the scheduler can use."""

    enabled: bool = False
    """Off until the user asks for reminders."""
    times: tuple[time | None, ...] = _DEFAULT_TIMES
    """Bedtime per night, Monday first; None means no reminder that night."""
    lead_minutes: int = 0
    grace_minutes: int = 120

    def __post_init__(self) -> None:
        if not isinstance(self.enabled, bool):
            raise ValueError(_("enabled must be true or false, not {value}").format(
                value=reprlib.repr(self.enabled)))
        if not isinstance(self.times, tuple) or len(self.times) != len(DAY_NAMES):
            raise ValueError(_("times needs one entry per day, Monday first (7 in all), "
                               "not {value}").format(value=reprlib.repr(self.times)))
        for day, at in zip(DAY_NAMES, self.times, strict=True):
            if at is not None and (not isinstance(at, time) or at.tzinfo is not None
                                   or at.second or at.microsecond):
                raise ValueError(_("times.{day} must be a local time in whole minutes, "
                                   "not {value}").format(day=day, value=reprlib.repr(at)))
        _minutes("lead_minutes", self.lead_minutes, MAX_LEAD_MINUTES)
        _minutes("grace_minutes", self.grace_minutes, MAX_GRACE_MINUTES)

    def to_dict(self) -> dict[str, object]:
        return {
            "enabled": self.enabled,
            "times": {day: None if at is None else at.strftime("%H:%M")
                      for day, at in zip(DAY_NAMES, self.times, strict=True)},
            "lead_minutes": self.lead_minutes,
            "grace_minutes": self.grace_minutes,
        }

    @classmethod
    def from_dict(cls, data: object) -> ReminderConfig:
        """Fields left out take their defaults (the settings store starts
        with ``{}``); unknown fields are refused, since a misspelt one would
        otherwise be silently ignored. Errors name the field."""
        if not isinstance(data, Mapping):
            # Translators: {fields} are the settings' names as stored, in English.
            raise ValueError(_("reminder settings must be an object with the fields "
                               "{fields}, not {value}").format(
                fields=", ".join(_CONFIG_FIELDS), value=reprlib.repr(data)))
        for key in data:
            if key not in _CONFIG_FIELDS:
                # Translators: {fields} are the settings' names as stored, in English.
                raise ValueError(_("unknown reminder setting {name}; expected {fields}").format(
                    name=reprlib.repr(key), fields=", ".join(_CONFIG_FIELDS)))
        enabled = data.get("enabled", False)
        if not isinstance(enabled, bool):
            raise ValueError(_("enabled must be true or false, not {value}").format(
                value=reprlib.repr(enabled)))
        return cls(
            enabled=enabled,
            times=_times_from(data["times"]) if "times" in data else _DEFAULT_TIMES,
            lead_minutes=_minutes("lead_minutes", data.get("lead_minutes", 0),
                                  MAX_LEAD_MINUTES),
            grace_minutes=_minutes("grace_minutes", data.get("grace_minutes", 120),
                                   MAX_GRACE_MINUTES),
        )

    def with_time(self, at: time | None, days: Iterable[int] | None = None,
                  lead: int | None = None) -> ReminderConfig:
        """For ``reminder set 22:30 --days mon,tue --lead 15``: days default to
        all seven, None as the time turns those days off, and ``enabled`` is
        left alone so switching on stays a separate, explicit step."""
        chosen = tuple(range(7)) if days is None else tuple(days)
        for day in chosen:
            if day not in range(7):
                raise ValueError(f"day {day!r} is not 0 (Monday) to 6 (Sunday)")
        times = tuple(at if index in chosen else old for index, old in enumerate(self.times))
        return replace(self, times=times,
                       lead_minutes=self.lead_minutes if lead is None else lead)


def _aware_utc(moment: datetime, name: str) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not {moment!r}")
    return moment.astimezone(_UTC)


@dataclass(frozen=True)
class Snooze:
    night: date
    count: int
    """Snoozes used that night, 1 to MAX_SNOOZES."""
    until: datetime | None
    """When the reminder comes back; None once it has."""

    def __post_init__(self) -> None:
        if self.until is not None:
            object.__setattr__(self, "until", _aware_utc(self.until, "Snooze.until"))


@dataclass(frozen=True)
class NightState:
    """What has happened, by night. Datetimes are stored in UTC so they
    compare by instant even inside a DST overlap."""

    fired: frozenset[date] = frozenset()
    """A reminder or a late reminder was shown for the night."""
    done: frozenset[date] = frozenset()
    """The bedtime routine was completed that night."""
    skipped: frozenset[date] = frozenset()
    missed: frozenset[date] = frozenset()
    snooze: Snooze | None = None
    """The latest snoozed night; earlier nights' counts no longer matter."""
    paused_until: datetime | None = None
    settled_until: datetime | None = None
    """Every reminder due up to this moment has been dealt with (shown,
    missed, or deliberately not shown); None for a new state."""

    def __post_init__(self) -> None:
        for name in ("paused_until", "settled_until"):
            moment = getattr(self, name)
            if moment is not None:
                object.__setattr__(self, name, _aware_utc(moment, name))


@dataclass(frozen=True)
class Fire:
    at: datetime
    """UTC. For a late fire or a snooze caught up on wake, the moment of catching up."""
    night: date
    kind: FireKind


@dataclass(frozen=True)
class Overdue:
    late: Fire | None
    """Show this now; ``state`` already records it as shown."""
    missed: tuple[date, ...]
    """Nights newly recorded as missed, oldest first."""
    state: NightState


def _resolve(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant of a wall time. ``zoneinfo`` does not normalise
    nonexistent times, so a gap is detected by a round trip through UTC and the
    end of the gap found by bisecting between its two readings (PEP 495:
    ``fold=1`` reads a gap time with the offset after the transition, the
    earlier instant, ``fold=0`` with the one before, the later instant)."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone).astimezone(_UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    other = wall.replace(tzinfo=zone, fold=1).astimezone(_UTC)
    before, after = sorted((int(first.timestamp()), int(other.timestamp())))
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) > wall:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, _UTC)


def _reminder_at(config: ReminderConfig, night: date, zone: tzinfo) -> datetime | None:
    at = config.times[night.weekday()]
    if at is None:
        return None
    day = night if at >= DAY_BREAK else night + _ONE_DAY
    return _resolve(day, at, zone) - timedelta(minutes=config.lead_minutes)


def _reminders(config: ReminderConfig, zone: tzinfo,
               first: date) -> Iterator[tuple[datetime, date]]:
    """Every reminder from night ``first`` on, in time order. Nights are not
    in order by themselves (Monday 05:59 comes after Tuesday 06:00 with a
    long lead), so each one waits in a heap until no later night can come
    before it: none reminds before the local midnight that opens it."""
    if all(at is None for at in config.times):
        return
    queue: list[tuple[datetime, date]] = []
    night = first
    while True:
        at = _reminder_at(config, night, zone)
        if at is not None:
            heapq.heappush(queue, (at, night))
        night += _ONE_DAY
        horizon = _resolve(night, time(0), zone)
        while queue and queue[0][0] < horizon:
            yield heapq.heappop(queue)


def _closed(state: NightState, night: date) -> bool:
    return (night in state.fired or night in state.done or night in state.skipped
            or night in state.missed)


def _paused(state: NightState, moment: datetime) -> bool:
    return state.paused_until is not None and moment < state.paused_until


def paused(state: NightState, now: datetime) -> bool:
    """Reminders are paused (until tomorrow morning) at ``now``."""
    return _paused(state, now)


def resume(state: NightState) -> NightState:
    """Undo a pause: tonight's reminder comes again if it is still due."""
    return replace(state, paused_until=None)


def tonight(now: datetime, zone: tzinfo) -> date:
    """The night a button press at ``now`` means: before 06:00 the one still
    under way, afterwards the coming one."""
    local = _aware_utc(now, "now").astimezone(zone)
    return local.date() - _ONE_DAY if local.time() < DAY_BREAK else local.date()


def coming_night(config: ReminderConfig, now: datetime, zone: tzinfo) -> date:
    """The night "skip tonight" or a finished routine at ``now`` is about:
    :func:`tonight`, unless the next reminder comes before the next day break
    and belongs to a later night, as a day sleeper's does (bedtime 07:00 with
    90 minutes' lead reminds at 05:30, before 06:00 of its own date)."""
    start = _aware_utc(now, "now")
    night = tonight(start, zone)
    day_break = _resolve(night + _ONE_DAY, DAY_BREAK, zone)
    for at, candidate in _reminders(config, zone, night):
        if at > start:
            return candidate if at < day_break and candidate > night else night
    return night


def bedtime(config: ReminderConfig, night: date, zone: tzinfo) -> datetime | None:
    """When that night's reminder fires, in ``zone`` (bedtime less the lead);
    None if the night has no bedtime."""
    at = _reminder_at(config, night, zone)
    return None if at is None else at.astimezone(zone)


def upcoming(config: ReminderConfig, now: datetime, zone: tzinfo,
             count: int = 7) -> list[datetime]:
    """The next reminders after ``now`` as configured, in ``zone``, for
    ``reminder show``; what has happened (skips, pauses) is not applied."""
    start = _aware_utc(now, "now")
    pending = (at.astimezone(zone)
               for at, _night in _reminders(config, zone, tonight(start, zone) - _ONE_DAY)
               if at > start)
    return list(islice(pending, count))


def next_fire(config: ReminderConfig, state: NightState, now: datetime,
              zone: tzinfo) -> Fire | None:
    """The next thing to show strictly after ``now``; anything already due is
    for :func:`overdue`."""
    if not config.enabled:
        return None
    start = _aware_utc(now, "now")
    best: Fire | None = None
    snoozed = state.snooze
    if (snoozed is not None and snoozed.until is not None and snoozed.until > start
            and not _paused(state, snoozed.until)
            and snoozed.night not in state.done and snoozed.night not in state.skipped):
        best = Fire(snoozed.until, snoozed.night, "snooze")
    origin = start if state.paused_until is None else max(start, state.paused_until)
    for at, night in _reminders(config, zone, tonight(origin, zone) - _ONE_DAY):
        if best is not None and at >= best.at:
            break
        if at > start and not _paused(state, at) and not _closed(state, night):
            return Fire(at, night, "reminder")
    return best


def overdue(config: ReminderConfig, state: NightState, now: datetime,
            zone: tzinfo) -> Overdue:
    """Catch up on whatever fell due while nothing was watching: at most one
    late fire (the latest night within grace, else a snooze that ran out
    within grace) and the other unhandled nights as missed. The state comes
    back settled up to ``now``, also after the clock went backwards."""
    end = _aware_utc(now, "now")
    grace = timedelta(minutes=config.grace_minutes)
    late: Fire | None = None
    missed: list[date] = []
    if config.enabled and state.settled_until is not None and state.settled_until < end:
        since = max(state.settled_until, end - MISSED_LOOKBACK)
        for at, night in _reminders(config, zone, tonight(since, zone) - _ONE_DAY):
            if at > end:
                break
            if at <= since or _paused(state, at) or _closed(state, night):
                continue
            if late is not None:
                missed.append(late.night)
                late = None
            if end - at <= grace:
                late = Fire(end, night, "late")
            else:
                missed.append(night)
    snoozed = state.snooze
    if snoozed is not None and snoozed.until is not None and snoozed.until <= end:
        if (late is None and config.enabled and end - snoozed.until <= grace
                and not _paused(state, snoozed.until)
                and snoozed.night not in state.done and snoozed.night not in state.skipped):
            late = Fire(end, snoozed.night, "snooze")
        snoozed = replace(snoozed, until=None)
    caught_up = replace(state, missed=state.missed | frozenset(missed), snooze=snoozed)
    if late is not None:
        caught_up = record_fire(caught_up, late)
    return Overdue(late, tuple(missed), replace(caught_up, settled_until=end))


def settle(state: NightState, now: datetime) -> NightState:
    """For reminder settings changed while nothing was watching them (the
    command line, with the app closed): no one was there to show what fell
    due before the change, so, as on a night with reminders off, nothing up
    to ``now`` is owed, under the old settings or the new."""
    return overdue(ReminderConfig(enabled=False), state, now, _UTC).state


def record_fire(state: NightState, fire: Fire) -> NightState:
    """Record a fire as shown: its night is closed, a snooze it answers is
    used up, and everything up to it is settled."""
    snoozed = state.snooze
    if snoozed is not None and snoozed.night == fire.night:
        snoozed = replace(snoozed, until=None)
    settled = fire.at if state.settled_until is None else max(state.settled_until, fire.at)
    return replace(state, fired=state.fired | {fire.night}, snooze=snoozed,
                   settled_until=settled)


class SnoozeRefused(WordedError, ValueError):
    """Why a snooze was refused, for the person."""


def snooze(state: NightState, night: date, minutes: int, now: datetime) -> NightState:
    """Bring a shown reminder back in ``minutes``. Raises SnoozeRefused for
    other lengths, a night whose reminder was not shown or is finished with,
    and past the nightly limit."""
    if minutes not in SNOOZE_MINUTES:
        # Translators: {choices} is a list such as "5, 10 or 15".
        raise SnoozeRefused(lambda: _("Snooze is {choices} minutes, not {minutes}.").format(
            choices=wording.either([wording.decimal(m) for m in SNOOZE_MINUTES]),
            minutes=repr(minutes)))
    if night not in state.fired or night in state.done or night in state.skipped:
        raise SnoozeRefused(lambda: _("There is no reminder to snooze for that night."))
    used = state.snooze.count if state.snooze and state.snooze.night == night else 0
    if used >= MAX_SNOOZES:
        raise SnoozeRefused(lambda: ngettext(
            "The reminder was already snoozed {n} time tonight.",
            "The reminder was already snoozed {n} times tonight.", MAX_SNOOZES).format(
            n=MAX_SNOOZES))
    until = _aware_utc(now, "now") + timedelta(minutes=minutes)
    return replace(state, snooze=Snooze(night, used + 1, until))


def mark_done(state: NightState, night: date) -> NightState:
    """The bedtime routine was completed: no reminder, snooze or late reminder
    for that night, including one still to come."""
    return replace(state, done=state.done | {night})


def skip_night(state: NightState, night: date) -> NightState:
    return replace(state, skipped=state.skipped | {night})


def pause_until_tomorrow(state: NightState, now: datetime, zone: tzinfo) -> NightState:
    """Silence everything until 06:00 after the current night (see
    :func:`tonight`), wherever ``now`` falls in it."""
    until = _resolve(tonight(now, zone) + _ONE_DAY, DAY_BREAK, zone)
    return replace(state, paused_until=until)
