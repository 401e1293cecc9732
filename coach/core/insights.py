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
from coach.core.i18n import N_, _, ngettext, pgettext
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
CAVEAT: Final = N_("Evidence for stretching is mixed; cramps also come and go on their own, "
                   "so this is not proof either way.")
"""In English, marked for the catalogue: the summary says it in the current language."""

_ROLLOVER: Final = timedelta(hours=NIGHT_ROLLOVER_HOUR)
_MEDICINE_TITLES: Final = {
    "diuretic": N_("Cramps while taking a diuretic (water tablet)"),
    "statin": N_("Cramps while taking a statin (a medicine that lowers cholesterol)"),
    "other": N_("Cramps while taking a medicine that can cause cramps"),
}
# The symptoms noted with a cramp, as they read in a red flag: every
# combination is worded whole, so each language can join them its own way.
_SYMPTOM_TITLES: Final = {
    ("swelling",): N_("Cramp with swelling"),
    ("numbness",): N_("Cramp with numbness"),
    ("weakness",): N_("Cramp with weakness"),
    ("swelling", "numbness"): N_("Cramp with swelling and numbness"),
    ("swelling", "weakness"): N_("Cramp with swelling and weakness"),
    ("numbness", "weakness"): N_("Cramp with numbness and weakness"),
    ("swelling", "numbness", "weakness"): N_("Cramp with swelling, numbness and weakness"),
}
_SYMPTOM_NOTED: Final = {
    # Translators: what a person noted with a cramp, used in "On the night of
    # {night} you noted {symptoms} with the cramp."
    ("swelling",): N_("swelling"),
    ("numbness",): N_("numbness"),
    ("weakness",): N_("weakness"),
    ("swelling", "numbness"): N_("swelling and numbness"),
    ("swelling", "weakness"): N_("swelling and weakness"),
    ("numbness", "weakness"): N_("numbness and weakness"),
    ("swelling", "numbness", "weakness"): N_("swelling, numbness and weakness"),
}


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
    night: date | None = None
    """The night it is about, where it is about one: a report names the
    nights of the same finding once, rather than repeating it."""


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
        missing.append(_("Complete the bedtime routine once to start the comparison."))
    else:
        earliest = night_of(min([e.started for e in episodes] + firsts), zone)
        since = min(tracking_since, earliest) if tracking_since else earliest
        before_days = (started - since).days
        if before_days < BEFORE_NIGHTS:
            # Translators: {weeks} is a number of weeks with its noun ("2 weeks").
            missing.append(ngettext(
                "It needs {weeks} of diary before your first bedtime routine; "
                "yours covers {n} day.",
                "It needs {weeks} of diary before your first bedtime routine; "
                "yours covers {n} days.", before_days).format(
                    weeks=wording.weeks(BEFORE_NIGHTS // 7), n=before_days))
        after_days = (today - started).days
        if after_days < CHECK_AFTER_DAYS:
            left = CHECK_AFTER_DAYS - after_days
            # Translators: {weeks} is a number of weeks with its noun ("6 weeks").
            missing.append(ngettext(
                "It needs {weeks} since you started the routine; {n} day to go.",
                "It needs {weeks} since you started the routine; {n} days to go.",
                left).format(weeks=wording.weeks(CHECK_AFTER_DAYS // 7), n=left))
    if started is None or missing:
        # Translators: {missing} is one or two sentences saying what the check still needs.
        summary = _("Not enough diary yet to compare the weeks before and after the "
                    "bedtime routine began. {missing}").format(
            missing=" ".join(missing))
        return SixWeekCheck(False, started, None, None, tuple(missing), summary)
    moments = [e.started for e in episodes]
    before_starts = _night_starts(started - timedelta(days=BEFORE_NIGHTS), BEFORE_NIGHTS, zone)
    before = sum(1 for _night in _nights(before_starts, moments)) / (BEFORE_NIGHTS / 7)
    # Tonight has not happened yet, so the recent window ends with last night.
    recent_starts = _night_starts(today - timedelta(days=RECENT_NIGHTS), RECENT_NIGHTS, zone)
    recent = sum(1 for _night in _nights(recent_starts, moments)) / (RECENT_NIGHTS / 7)
    if recent < before:
        change = _("That is fewer than before.")
    elif recent > before:
        change = _("That is more than before.")
    else:
        change = _("That is the same as before.")
    # Translators: {before_weeks} and {recent_weeks} are numbers of weeks with
    # their noun ("2 weeks"); {before} and {recent} are rates such as "3 cramps
    # a week" or "no cramps"; {change} is "That is fewer than before." or the
    # like, and {caveat} the sentences on what the comparison cannot prove.
    summary = _("In the {before_weeks} before you started the bedtime routine you logged "
                "{before}; in the last {recent_weeks}, {recent}. {change} {caveat}").format(
        before_weeks=wording.weeks(BEFORE_NIGHTS // 7), before=_rate(before),
        recent_weeks=wording.weeks(RECENT_NIGHTS // 7), recent=_rate(recent), change=change,
        caveat=_(CAVEAT))
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
    flags += _frequent_flags({night for night, _e in recent})
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
    """The day as "Monday 5 January": the start of a week."""
    return wording.weekday_date(day)


def _rate(per_week: float) -> str:
    """"no cramps", "1 cramp a week", "1.5 cramps a week"."""
    if per_week == 0:
        # Translators: a rate, in "you logged no cramps; in the last 2 weeks, ...".
        return _("no cramps")
    amount = wording.decimal(per_week)
    if per_week != int(per_week):
        # Translators: {amount} is a number with a fraction, such as 1.5.
        return pgettext("fraction", "{amount} cramps a week").format(amount=amount)
    return ngettext("{amount} cramp a week", "{amount} cramps a week",
                    int(per_week)).format(amount=amount)


def _key(episode: Episode) -> str:
    """A finding about one episode is keyed by its diary id, which survives edits."""
    if episode.id is not None:
        return str(episode.id)
    return episode.started.astimezone(timezone.utc).isoformat()


def _symptom_flag(night: date, episode: Episode, contacts: Contacts,
                  signs: Mapping[str, str]) -> RedFlag:
    noted = tuple(s for s in ("swelling", "numbness", "weakness") if s in episode.symptoms)
    message = _("On the night of {night} you noted {symptoms} with the cramp. That is "
                "worth checking with a doctor soon: these signs can have causes other than an "
                "ordinary cramp, and a doctor can rule them out.").format(
        night=wording.night(night), symptoms=_(_SYMPTOM_NOTED[noted]))
    vein = "swelling" in episode.symptoms
    nerve = bool({"numbness", "weakness"} & episode.symptoms)
    if vein:
        message += " " + care.line(Care.SAME_DAY, contacts, [Sign.LEG_CHANGED])
    if "weakness" in episode.symptoms and "wasting-or-twitching" in signs:
        message += " " + signs["wasting-or-twitching"]
    if vein and nerve:
        who = _("Your GP (family doctor) first; they may refer you to a vein specialist "
                "(phlebologist); they may refer you to a nerve specialist (neurologist).")
    elif vein:
        who = _("Your GP (family doctor) first; they may refer you to a vein specialist "
                "(phlebologist).")
    elif nerve:
        who = _("Your GP (family doctor) first; they may refer you to a nerve specialist "
                "(neurologist).")
    else:
        who = _("Your GP (family doctor) first.")
    return RedFlag(f"symptoms:{_key(episode)}", _(_SYMPTOM_TITLES[noted]), message, who,
                   night)


def _long_flag(night: date, episode: Episode, contacts: Contacts) -> RedFlag:
    minutes = round(episode.duration_s / 60)
    limit = round(care.URGENT_AFTER_S / 60)
    title = ngettext("A cramp that lasted over {minutes} minute",
                     "A cramp that lasted over {minutes} minutes", limit).format(minutes=limit)
    # Translators: {sign} is "a cramp lasting over 10 minutes"; {service} says
    # where to get help today, as a sentence of its own, e.g. "Call NHS 111".
    message = ngettext(
        "The cramp on the night of {night} lasted about {minutes} minute. Most cramps ease "
        "within a few minutes; {sign} needs checking the same day. If it has not been "
        "checked yet, get help today. {service}.",
        "The cramp on the night of {night} lasted about {minutes} minutes. Most cramps ease "
        "within a few minutes; {sign} needs checking the same day. If it has not been "
        "checked yet, get help today. {service}.", minutes).format(
        night=wording.night(night), minutes=minutes, sign=care.sign_text(Sign.LONG_CRAMP),
        service=_(contacts.same_day))
    return RedFlag(f"long:{_key(episode)}", title, message, care.action(Care.SAME_DAY, contacts),
                   night)


def _medicine_flags(recent: Sequence[tuple[date, Episode]], starts: Mapping[str, date],
                    signs: Mapping[str, str]) -> list[RedFlag]:
    flags = []
    for medicine in MEDICINES:
        began = starts.get(medicine)
        if began is not None and any(night >= began for night, _e in recent):
            message = _("Cramps can be a side effect of some medicines, and you have logged "
                        "cramps since you started it on {day}. That is worth checking with a "
                        "doctor or pharmacist soon: there may be another option. Don't stop "
                        "or change a medicine on your own.").format(
                day=wording.long_date(began))
        elif any(medicine in e.medicines for _night, e in recent):
            message = _("Cramps can be a side effect of some medicines, and some of your "
                        "cramp entries mention it. That is worth checking with a doctor or "
                        "pharmacist soon: there may be another option. Don't stop or change "
                        "a medicine on your own.")
        else:
            continue
        if medicine == "statin" and "dark-urine" in signs:
            message += " " + signs["dark-urine"]
        flags.append(RedFlag(f"medicine:{medicine}", _(_MEDICINE_TITLES[medicine]), message,
                             _("The doctor who prescribed it, your pharmacist, or your GP.")))
    return flags


def _frequent_flags(nights: set[date]) -> list[RedFlag]:
    """One flag per run of 2 or more weeks in a row with cramps on
    :data:`FREQUENT_NIGHTS` or more nights, keyed by the run's first week so a
    run that goes on keeps its id."""
    per_week = Counter(week_start(night) for night in nights)
    busy = sorted(week for week, n in per_week.items() if n >= FREQUENT_NIGHTS)
    runs: list[list[date]] = []
    for week in busy:
        if runs and week - runs[-1][-1] == timedelta(weeks=1):
            runs[-1].append(week)
        else:
            runs.append([week])
    return [RedFlag(
        f"frequent:{run[0].isoformat()}",
        # Translators: {nights} is 3, as in the message below.
        _("Cramps on {nights} or more nights a week").format(nights=FREQUENT_NIGHTS),
        # Translators: {nights} is 3, in "on 3 or more nights a week"; {weeks} counts the weeks.
        ngettext("You logged cramps on {nights} or more nights a week for {weeks} week in a "
                 "row, starting the week of {day}. Frequent cramps are worth checking with a "
                 "doctor, who can look for causes that can be treated, such as a medicine or "
                 "the balance of salts in the blood.",
                 "You logged cramps on {nights} or more nights a week for {weeks} weeks in a "
                 "row, starting the week of {day}. Frequent cramps are worth checking with a "
                 "doctor, who can look for causes that can be treated, such as a medicine or "
                 "the balance of salts in the blood.", len(run)).format(
            nights=FREQUENT_NIGHTS, weeks=len(run), day=_day(run[0])),
        _("Your GP (family doctor) first, or a physiotherapist. If blood tests raise a "
          "hormone or diabetes question, they may refer you to an endocrinologist."))
        for run in reversed(runs) if len(run) >= 2]
