"""What the diary says: weekly counts, the six-week check and red flags.

Pure functions over what the diary returns, so the rules are tested without a
database or a display. Everything is bucketed by *night* in the person's own
time zone: a cramp at 03:00 and the bedtime routine at 22:30 the evening
before belong to the same night, named by the evening's local date (the same
convention as the reminder log). Nothing here claims that a routine caused a
change or names a condition: the wording says what was logged and who could
look into it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Final, NamedTuple

from coach.core import care, wording
from coach.core.care import Care, Sign
from coach.core.countries import Contacts
from coach.core.diary import MEDICINES, Episode, RoutineSession
from coach.core.model import WarningSign

#: Local hour at which one night ends and the next begins.
NIGHT_ROLLOVER_HOUR: Final = 12
#: Red flags look at this many calendar weeks up to today: they are about what
#: is happening now, and an old episode already acted on should not resurface.
RED_FLAG_WEEKS: Final = 8
FREQUENT_NIGHTS: Final = 3
BEFORE_NIGHTS: Final = 14
RECENT_NIGHTS: Final = 14
CHECK_AFTER_DAYS: Final = 42
CAVEAT: Final = ("Evidence for stretching is mixed; cramps also come and go on their own, "
                 "so this is not proof either way.")

_ROLLOVER: Final = timedelta(hours=NIGHT_ROLLOVER_HOUR)
_GP_FIRST: Final = "Your GP (family doctor) first"
_MEDICINE_NAMES: Final = {"diuretic": "a diuretic (water tablet)",
                          "statin": "a statin (a medicine that lowers cholesterol)",
                          "other": "a medicine that can cause cramps"}


class Week(NamedTuple):
    """One bar of the weekly chart."""

    start: date  # the Monday
    cramps: int  # episodes logged on the week's nights
    routine_nights: int  # nights with the bedtime routine completed


@dataclass(frozen=True)
class SixWeekCheck:
    """Cramps a week before starting the bedtime routine against the last two weeks.

    ``ready`` is False until there are 2 weeks of diary before the first
    completed routine and 6 weeks since it; ``missing`` then says what is
    still needed and the rates are None.
    """

    ready: bool
    started: date | None  # the night of the first completed bedtime routine
    before_per_week: float | None
    recent_per_week: float | None
    missing: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class RedFlag:
    """A pattern worth showing to a doctor. ``id`` stays the same for the same
    finding, so the UI can show each one once."""

    id: str
    title: str
    message: str
    who_to_see: str


def night_of(moment: datetime, zone: tzinfo) -> date:
    """The local date of the evening a moment's night began."""
    return (moment.astimezone(zone) - _ROLLOVER).date()


def week_start(day: date) -> date:
    """The Monday of the week containing ``day``."""
    return day - timedelta(days=day.weekday())


def weekly(episodes: Iterable[Episode], sessions: Iterable[RoutineSession], zone: tzinfo,
           *, today: date, routine_id: str, weeks: int = 12) -> list[Week]:
    """The last ``weeks`` calendar weeks up to the one containing ``today``,
    oldest first; weeks with nothing logged are included as zeros."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    first = week_start(today) - timedelta(weeks=weeks - 1)
    starts = _night_starts(first, weeks * 7, zone)
    cramps = Counter(n // 7 for n in _nights(starts, (e.started for e in episodes)))
    done = set(_nights(starts, (s.started for s in sessions
                                if s.completed and s.routine_id == routine_id)))
    routine = Counter(n // 7 for n in done)
    return [Week(first + timedelta(weeks=w), cramps[w], routine[w]) for w in range(weeks)]


def six_week_check(episodes: Sequence[Episode], sessions: Sequence[RoutineSession],
                   zone: tzinfo, *, today: date, routine_id: str,
                   tracking_since: date | None = None) -> SixWeekCheck:
    """Compare cramps a week in the 14 nights before the first completed bedtime
    routine with the 14 nights up to last night.

    ``tracking_since`` is the first night the person used the diary (e.g. the
    first launch); without it the earliest entry stands in, because a night
    with nothing logged only counts as cramp-free once the diary was in use.
    """
    firsts = [s.started for s in sessions if s.completed and s.routine_id == routine_id]
    started = night_of(min(firsts), zone) if firsts else None
    missing: list[str] = []
    if started is None:
        missing.append("Complete the bedtime routine once to start the six-week check.")
    else:
        earliest = night_of(min([e.started for e in episodes] + firsts), zone)
        since = min(tracking_since, earliest) if tracking_since else earliest
        before_days = (started - since).days
        if before_days < BEFORE_NIGHTS:
            missing.append("It needs 2 weeks of diary before your first bedtime routine; "
                           f"yours covers {_days(before_days)}.")
        after_days = (today - started).days
        if after_days < CHECK_AFTER_DAYS:
            missing.append("It needs 6 weeks since you started the routine; "
                           f"{_days(CHECK_AFTER_DAYS - after_days)} to go.")
    if started is None or missing:
        summary = "Not enough diary yet for the six-week check. " + " ".join(missing)
        return SixWeekCheck(False, started, None, None, tuple(missing), summary)
    moments = [e.started for e in episodes]
    before_starts = _night_starts(started - timedelta(days=BEFORE_NIGHTS), BEFORE_NIGHTS, zone)
    before = sum(1 for _ in _nights(before_starts, moments)) / 2
    # Tonight has not happened yet, so the recent window ends with last night.
    recent_starts = _night_starts(today - timedelta(days=RECENT_NIGHTS), RECENT_NIGHTS, zone)
    recent = sum(1 for _ in _nights(recent_starts, moments)) / 2
    if recent < before:
        change = "That is fewer than before."
    elif recent > before:
        change = "That is more than before."
    else:
        change = "That is the same as before."
    summary = (f"In the 2 weeks before you started the bedtime routine you logged "
               f"{_rate(before)}; in the last 2 weeks, {_rate(recent)}. {change} {CAVEAT}")
    return SixWeekCheck(True, started, before, recent, (), summary)


def red_flags(episodes: Iterable[Episode], zone: tzinfo, *, today: date,
              contacts: Contacts, medicine_started: Mapping[str, date] | None = None,
              warning_signs: Sequence[WarningSign] = ()) -> list[RedFlag]:
    """Patterns in the last :data:`RED_FLAG_WEEKS` weeks that are worth
    checking with a doctor, most pressing first.

    Where to go is worded by :mod:`coach.core.care` with ``contacts``, so a
    card here says what the cards in emergency mode say. ``warning_signs``
    (from the content) add the sign that goes with a finding the diary can
    see: muscle breakdown with a statin, wasting with weakness.
    ``medicine_started`` maps a medicine id (see ``diary.MEDICINES``) to the
    day the person started taking it.
    """
    starts = dict(medicine_started or {})
    unknown = sorted(set(starts) - set(MEDICINES))
    if unknown:
        raise ValueError(f"medicine_started keys must be from {', '.join(MEDICINES)}; "
                         f"unknown: {', '.join(unknown)}")
    first = week_start(today) - timedelta(weeks=RED_FLAG_WEEKS - 1)
    window = _night_starts(first, (today - first).days + 1, zone)
    chosen = sorted((e for e in episodes if window[0] <= e.started < window[-1]),
                    key=lambda e: e.started, reverse=True)
    recent = [(night_of(e.started, zone), e) for e in chosen]
    signs = {sign.id: care.sign_line(str(sign.sign), sign.care, contacts)
             for sign in warning_signs}
    flags = [_symptom_flag(night, e, contacts, signs) for night, e in recent if e.symptoms]
    flags += [_long_flag(night, e, contacts) for night, e in recent
              if e.duration_s > care.URGENT_AFTER_S]
    flags += _medicine_flags(recent, starts, signs)
    flags += _frequent_flags({night for night, _ in recent})
    return flags


def _night_starts(first: date, nights: int, zone: tzinfo) -> list[datetime]:
    """The UTC instants at which each of ``nights`` nights from ``first`` begins,
    then the end of the last: computed per night, so DST is always right."""
    noon = time(NIGHT_ROLLOVER_HOUR)
    return [datetime.combine(first + timedelta(days=n), noon, zone).astimezone(timezone.utc)
            for n in range(nights + 1)]


def _nights(starts: Sequence[datetime], moments: Iterable[datetime]) -> Iterator[int]:
    """For each moment inside ``starts``, the number of its night from the first.

    A binary search over the night boundaries instead of a time-zone
    conversion per moment: weekly counts over 10,000 episodes stay cheap.
    """
    begin, end = starts[0], starts[-1]
    for moment in moments:
        if begin <= moment < end:
            yield bisect_right(starts, moment) - 1


def _day(day: date) -> str:
    """The day as "Monday 5 January"."""
    return wording.weekday_date(day)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _rate(per_week: float) -> str:
    if per_week == 0:
        return "no cramps"
    amount = wording.decimal(per_week)
    return f"{amount} cramp a week" if per_week == 1 else f"{amount} cramps a week"


def _key(episode: Episode) -> str:
    """A finding about one episode is keyed by its diary id, which survives edits."""
    if episode.id is not None:
        return str(episode.id)
    return episode.started.astimezone(timezone.utc).isoformat()


def _symptom_flag(night: date, episode: Episode, contacts: Contacts,
                  signs: Mapping[str, str]) -> RedFlag:
    noted = [s for s in ("swelling", "numbness", "weakness") if s in episode.symptoms]
    listed = " and ".join(noted) if len(noted) < 3 else "swelling, numbness and weakness"
    message = (f"On the night of {_day(night)} you noted {listed} with the cramp. That is "
               "worth checking with a doctor soon: these signs can have causes other than an "
               "ordinary cramp, and a doctor can rule them out.")
    who = [_GP_FIRST]
    if "swelling" in episode.symptoms:
        message += " " + care.line(Care.SAME_DAY, contacts, [Sign.LEG_CHANGED])
        who.append("they may refer you to a vein specialist (phlebologist)")
    if {"numbness", "weakness"} & episode.symptoms:
        who.append("they may refer you to a nerve specialist (neurologist)")
    if "weakness" in episode.symptoms and "wasting-or-twitching" in signs:
        message += " " + signs["wasting-or-twitching"]
    return RedFlag(f"symptoms:{_key(episode)}", f"Cramp with {listed}", message,
                   "; ".join(who) + ".")


def _long_flag(night: date, episode: Episode, contacts: Contacts) -> RedFlag:
    minutes = round(episode.duration_s / 60)
    return RedFlag(
        f"long:{_key(episode)}", f"A cramp that lasted over {round(care.URGENT_AFTER_S / 60)} "
                                 "minutes",
        f"The cramp on the night of {_day(night)} lasted about {minutes} minutes. Most "
        f"cramps ease within a few minutes; {care.sign_text(Sign.LONG_CRAMP)} needs "
        "checking the same day. If it has not been checked yet, "
        + _lower_first(care.action(Care.SAME_DAY, contacts)),
        care.action(Care.SAME_DAY, contacts))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _medicine_flags(recent: Sequence[tuple[date, Episode]], starts: Mapping[str, date],
                    signs: Mapping[str, str]) -> list[RedFlag]:
    flags = []
    for medicine in MEDICINES:
        began = starts.get(medicine)
        if began is not None and any(night >= began for night, _ in recent):
            why = f"you have logged cramps since you started it on {wording.long_date(began)}"
        elif any(medicine in e.medicines for _, e in recent):
            why = "some of your cramp entries mention it"
        else:
            continue
        name = _MEDICINE_NAMES[medicine]
        message = (f"Cramps can be a side effect of some medicines, and {why}. That is worth "
                   "checking with a doctor or pharmacist soon: there may be another option. "
                   "Don't stop or change a medicine on your own.")
        if medicine == "statin" and "dark-urine" in signs:
            message += " " + signs["dark-urine"]
        flags.append(RedFlag(f"medicine:{medicine}", f"Cramps while taking {name}", message,
                             "The doctor who prescribed it, your pharmacist, or your GP."))
    return flags


def _frequent_flags(nights: set[date]) -> list[RedFlag]:
    """One flag per run of 2 or more weeks in a row with cramps on 3+ nights,
    keyed by the run's first week so a run that goes on keeps its id."""
    per_week = Counter(week_start(night) for night in nights)
    busy = sorted(week for week, n in per_week.items() if n >= FREQUENT_NIGHTS)
    runs: list[list[date]] = []
    for week in busy:
        if runs and week - runs[-1][-1] == timedelta(weeks=1):
            runs[-1].append(week)
        else:
            runs.append([week])
    return [RedFlag(
        f"frequent:{run[0].isoformat()}", "Cramps on 3 or more nights a week",
        f"You logged cramps on {FREQUENT_NIGHTS} or more nights a week for {len(run)} weeks "
        f"in a row, starting the week of {_day(run[0])}. Frequent cramps are worth checking "
        "with a doctor, who can look for causes that can be treated, such as a medicine or "
        "the balance of salts in the blood.",
        _GP_FIRST + ", or a physiotherapist. If blood tests raise a hormone or diabetes "
        "question, they may refer you to an endocrinologist.")
        for run in reversed(runs) if len(run) >= 2]
