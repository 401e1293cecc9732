"""Weekly counts, the six-week check and red flags, in the person's own time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coach.core.countries import contacts
from coach.core.diary import Episode, RoutineSession
from coach.core.insights import (
    CAVEAT,
    RedFlag,
    Week,
    night_of,
    red_flags,
    six_week_check,
    weekly,
)

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
BEDTIME = "bedtime"

UK = contacts("GB")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0,
          minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def cramp(started: datetime, episode_id: int | None = None, **changes: Any) -> Episode:
    return Episode(started=started, duration_s=90.0, place="calf", side="left",
                   id=episode_id)._replace(**changes)


def routine(started: datetime, *, completed: bool = True,
            routine_id: str = BEDTIME) -> RoutineSession:
    return RoutineSession(started=started, routine_id=routine_id, routine_title="Bedtime",
                          completed=completed, duration_s=300.0)


def on_night(night: date, zone: ZoneInfo = LONDON, hour: int = 3) -> datetime:
    """A cramp at ``hour`` o'clock in the morning after the evening ``night``."""
    return datetime.combine(night + timedelta(days=1), datetime.min.time(),
                            zone).replace(hour=hour)


# -- nights and weeks -------------------------------------------------------


def test_a_night_runs_from_local_noon_to_local_noon() -> None:
    assert night_of(local(LONDON, 2026, 1, 6, 3, 0), LONDON) == date(2026, 1, 5)
    assert night_of(local(LONDON, 2026, 1, 6, 11, 59), LONDON) == date(2026, 1, 5)
    assert night_of(local(LONDON, 2026, 1, 6, 12, 0), LONDON) == date(2026, 1, 6)
    assert night_of(local(LONDON, 2026, 1, 5, 22, 30), LONDON) == date(2026, 1, 5)


def test_weeks_follow_the_local_night_not_the_utc_date() -> None:
    # New York, just after the clocks went forward on Sunday 8 March 2026.
    episodes = [
        cramp(utc(2026, 3, 9, 3, 0)),    # Sunday 23:00 EDT: Sunday night, week of 2 March
        cramp(utc(2026, 3, 9, 6, 0)),    # Monday 02:00 EDT: still Sunday night
        cramp(utc(2026, 3, 9, 17, 0)),   # Monday 13:00 EDT: Monday night, week of 9 March
    ]
    weeks = weekly(episodes, [], NEW_YORK, today=date(2026, 3, 11), routine_id=BEDTIME,
                   weeks=2)
    assert weeks == [Week(date(2026, 3, 2), 2, 0), Week(date(2026, 3, 9), 1, 0)]


def test_weeks_across_the_spring_clock_change_use_local_noon() -> None:
    # London: 01:00 GMT on Sunday 29 March 2026 becomes 02:00 BST.
    episodes = [
        cramp(utc(2026, 3, 29, 0, 30)),   # 00:30 GMT: Saturday night
        cramp(utc(2026, 3, 29, 1, 30)),   # 02:30 BST: Saturday night
        cramp(utc(2026, 3, 29, 11, 30)),  # 12:30 BST Sunday: Sunday night
        cramp(utc(2026, 3, 30, 10, 30)),  # 11:30 BST Monday: still Sunday night
        cramp(utc(2026, 3, 30, 11, 30)),  # 12:30 BST Monday (11:30 UTC): Monday night
    ]
    weeks = weekly(episodes, [], LONDON, today=date(2026, 4, 1), routine_id=BEDTIME, weeks=2)
    assert weeks == [Week(date(2026, 3, 23), 4, 0), Week(date(2026, 3, 30), 1, 0)]


def test_weeks_across_the_autumn_clock_change_count_the_repeated_hour_once_each() -> None:
    # London: 02:00 BST on Sunday 25 October 2026 becomes 01:00 GMT; 01:30 happens twice.
    episodes = [cramp(utc(2026, 10, 25, 0, 30)), cramp(utc(2026, 10, 25, 1, 30)),
                cramp(utc(2026, 10, 26, 11, 30))]  # 11:30 GMT Monday: Sunday night
    weeks = weekly(episodes, [], LONDON, today=date(2026, 10, 26), routine_id=BEDTIME,
                   weeks=2)
    assert weeks == [Week(date(2026, 10, 19), 3, 0), Week(date(2026, 10, 26), 0, 0)]


def test_weekly_covers_the_requested_weeks_oldest_first_with_zeros() -> None:
    today = date(2026, 5, 14)  # a Thursday
    weeks = weekly([], [], LONDON, today=today, routine_id=BEDTIME)
    assert len(weeks) == 12
    assert [w.start for w in weeks] == [date(2026, 5, 11) - timedelta(weeks=11 - n)
                                        for n in range(12)]
    assert all(w.start.weekday() == 0 for w in weeks)
    assert all(w.cramps == 0 and w.routine_nights == 0 for w in weeks)


def test_weekly_needs_at_least_one_week() -> None:
    with pytest.raises(ValueError, match="weeks must be at least 1"):
        weekly([], [], LONDON, today=date(2026, 5, 14), routine_id=BEDTIME, weeks=0)


def test_weekly_ignores_entries_outside_the_chart() -> None:
    today = date(2026, 5, 14)
    episodes = [cramp(on_night(date(2026, 5, 10))),   # Sunday night before the chart
                cramp(on_night(date(2026, 5, 11))),   # first night of the chart
                cramp(on_night(date(2026, 5, 18)))]   # next week (future)
    weeks = weekly(episodes, [], LONDON, today=today, routine_id=BEDTIME, weeks=1)
    assert weeks == [Week(date(2026, 5, 11), 1, 0)]


def test_routine_nights_count_completed_bedtime_routines_once_per_night() -> None:
    sessions = [
        routine(local(LONDON, 2026, 5, 11, 22, 0)),
        routine(local(LONDON, 2026, 5, 11, 23, 30)),               # same night again
        routine(local(LONDON, 2026, 5, 12, 0, 30)),                # after midnight: same night
        routine(local(LONDON, 2026, 5, 12, 22, 0), completed=False),
        routine(local(LONDON, 2026, 5, 13, 22, 0), routine_id="morning"),
        routine(local(LONDON, 2026, 5, 14, 21, 0)),
        routine(local(LONDON, 2026, 5, 17, 22, 0)),                # Sunday night
    ]
    weeks = weekly([], sessions, LONDON, today=date(2026, 5, 17), routine_id=BEDTIME,
                   weeks=1)
    assert weeks == [Week(date(2026, 5, 11), 0, 3)]


# -- six-week check ---------------------------------------------------------

START = date(2026, 3, 2)  # the first completed bedtime routine (a Monday night)


def started_routine(first: date = START) -> list[RoutineSession]:
    return [routine(local(LONDON, first.year, first.month, first.day, 22, 0)),
            routine(local(LONDON, first.year, first.month, first.day + 1, 22, 0))]


def cramps_on(nights: list[date]) -> list[Episode]:
    return [cramp(on_night(night)) for night in nights]


def test_six_week_check_needs_a_completed_bedtime_routine() -> None:
    stopped = [routine(utc(2026, 3, 2, 22), completed=False),
               routine(utc(2026, 3, 3, 22), routine_id="morning")]
    check = six_week_check(cramps_on([date(2026, 2, 1)]), stopped, LONDON,
                           today=date(2026, 5, 1), routine_id=BEDTIME)
    assert not check.ready
    assert check.started is None
    assert check.before_per_week is None and check.recent_per_week is None
    assert check.missing == ("Complete the bedtime routine once to start the comparison.",)
    assert check.summary.startswith("Not enough diary yet")


def test_six_week_check_waits_for_six_weeks_since_starting() -> None:
    episodes = cramps_on([START - timedelta(days=20)])
    check = six_week_check(episodes, started_routine(), LONDON,
                           today=START + timedelta(days=40), routine_id=BEDTIME)
    assert not check.ready
    assert check.started == START
    assert check.missing == ("It needs 6 weeks since you started the routine; 2 days to go.",)
    assert "2 days to go" in check.summary


def test_six_week_check_needs_two_weeks_of_diary_before_starting() -> None:
    episodes = cramps_on([START - timedelta(days=3)])
    check = six_week_check(episodes, started_routine(), LONDON,
                           today=START + timedelta(days=42), routine_id=BEDTIME)
    assert not check.ready
    assert check.missing == ("It needs 2 weeks of diary before your first bedtime routine; "
                             "yours covers 3 days.",)


def test_the_check_words_its_lengths_from_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """"2 weeks" and "6 weeks" are BEFORE_NIGHTS and CHECK_AFTER_DAYS, in the
    person's language: a longer rule says so."""
    from coach.core import i18n, insights

    assert insights.BEFORE_NIGHTS % 7 == 0 and insights.CHECK_AFTER_DAYS % 7 == 0
    monkeypatch.setattr(insights, "BEFORE_NIGHTS", 21)
    monkeypatch.setattr(insights, "CHECK_AFTER_DAYS", 35)
    check = six_week_check(cramps_on([START - timedelta(days=3)]), started_routine(), LONDON,
                           today=START + timedelta(days=30), routine_id=BEDTIME)
    assert check.missing == (
        "It needs 3 weeks of diary before your first bedtime routine; yours covers 3 days.",
        "It needs 5 weeks since you started the routine; 5 days to go.")
    i18n.set_current("ru")
    try:
        russian = six_week_check(cramps_on([START - timedelta(days=3)]), started_routine(),
                                 LONDON, today=START + timedelta(days=30), routine_id=BEDTIME)
    finally:
        i18n.set_current(i18n.DEFAULT)
    assert "за 3 недели до первой" in russian.missing[0]
    assert "прошло 5 недель;" in russian.missing[1]


def test_six_week_check_says_everything_that_is_missing() -> None:
    check = six_week_check([], started_routine(), LONDON, today=START + timedelta(days=1),
                           routine_id=BEDTIME)
    assert len(check.missing) == 2
    assert "yours covers 0 days" in check.summary and "41 days to go" in check.summary


def test_tracking_since_counts_quiet_nights_before_the_first_entry() -> None:
    today = START + timedelta(days=42)
    check = six_week_check([], started_routine(), LONDON, today=today, routine_id=BEDTIME,
                           tracking_since=START - timedelta(days=14))
    assert check.ready
    assert check.before_per_week == 0 and check.recent_per_week == 0
    assert "you logged no cramps; in the last 2 weeks, no cramps" in check.summary
    assert "That is the same as before." in check.summary


def test_six_week_check_compares_the_two_windows_honestly() -> None:
    today = START + timedelta(days=50)
    before = [START - timedelta(days=d) for d in (1, 2, 4, 6, 9, 14)]  # 6 in 14 nights
    recent = [today - timedelta(days=d) for d in (1, 8)]                # 2 in 14 nights
    ignored = [START - timedelta(days=15), today, today - timedelta(days=15), START]
    check = six_week_check(cramps_on(before + recent + ignored), started_routine(), LONDON,
                           today=today, routine_id=BEDTIME)
    assert check.ready
    assert check.missing == ()
    assert check.started == START
    assert check.before_per_week == 3.0
    assert check.recent_per_week == 1.0
    assert check.summary == (
        "In the 2 weeks before you started the bedtime routine you logged 3 cramps a week; "
        "in the last 2 weeks, 1 cramp a week. That is fewer than before. " + CAVEAT)


def test_the_comparison_takes_its_windows_from_its_rules(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Three weeks either side: the rates are a week's, and the words say so."""
    from coach.core import insights

    monkeypatch.setattr(insights, "BEFORE_NIGHTS", 21)
    monkeypatch.setattr(insights, "RECENT_NIGHTS", 21)
    today = START + timedelta(days=50)
    before = [START - timedelta(days=d) for d in (1, 5, 9, 13, 17, 21)]  # 6 in 21 nights
    recent = [today - timedelta(days=d) for d in (1, 8, 15)]             # 3 in 21 nights
    check = six_week_check(cramps_on(before + recent), started_routine(), LONDON,
                           today=today, routine_id=BEDTIME)
    assert (check.before_per_week, check.recent_per_week) == (2.0, 1.0)
    assert check.summary.startswith(
        "In the 3 weeks before you started the bedtime routine you logged 2 cramps a week; "
        "in the last 3 weeks, 1 cramp a week.")


def test_six_week_check_reports_more_cramps_without_blaming_the_routine() -> None:
    today = START + timedelta(days=42)
    before = [START - timedelta(days=14)]
    recent = [today - timedelta(days=d) for d in (1, 2, 3)]
    check = six_week_check(cramps_on(before + recent), started_routine(), LONDON,
                           today=today, routine_id=BEDTIME)
    assert (check.before_per_week, check.recent_per_week) == (0.5, 1.5)
    assert "0.5 cramps a week" in check.summary and "1.5 cramps a week" in check.summary
    assert "That is more than before." in check.summary
    assert check.summary.endswith(CAVEAT)
    for claim in ("because", "caused", "worked", "helped", "proves"):
        assert claim not in check.summary.lower()


# -- red flags --------------------------------------------------------------

TODAY = date(2026, 6, 10)  # a Wednesday
THIS_WEEK = date(2026, 6, 8)


def flag_ids(episodes: list[Episode]) -> list[str]:
    return [f.id for f in red_flags(episodes, LONDON, today=TODAY, contacts=UK)]


def nights_in_week(monday: date, count: int) -> list[date]:
    return [monday + timedelta(days=d) for d in range(count)]


def test_an_ordinary_diary_raises_no_flags() -> None:
    nights = nights_in_week(THIS_WEEK - timedelta(weeks=1), 2) + nights_in_week(THIS_WEEK, 2)
    episodes = [cramp(on_night(n), i, duration_s=600.0, severity=9)
                for i, n in enumerate(nights)]
    assert red_flags(episodes, LONDON, today=TODAY, contacts=UK) == []


def test_cramps_on_three_nights_two_weeks_running_raise_one_flag() -> None:
    last_week = THIS_WEEK - timedelta(weeks=1)
    nights = nights_in_week(last_week, 3) + nights_in_week(THIS_WEEK, 3)
    twice_a_night = cramps_on(nights) + cramps_on(nights)
    assert flag_ids(twice_a_night) == [f"frequent:{last_week.isoformat()}"]
    flag = red_flags(twice_a_night, LONDON, today=TODAY, contacts=UK)[0]
    assert flag.title == "Cramps on 3 or more nights a week"
    assert "worth checking with a doctor" in flag.message
    assert "endocrinologist" in flag.who_to_see
    assert flag.who_to_see.startswith("Your GP")


def test_the_frequent_flag_words_its_nights_from_its_rule(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.core import insights

    monkeypatch.setattr(insights, "FREQUENT_NIGHTS", 4)
    first = THIS_WEEK - timedelta(weeks=2)
    nights = nights_in_week(first, 4) + nights_in_week(first + timedelta(weeks=1), 4)
    flag = red_flags(cramps_on(nights), LONDON, today=TODAY, contacts=UK)[0]
    assert flag.title == "Cramps on 4 or more nights a week"
    assert "on 4 or more nights a week" in flag.message


def test_a_run_that_goes_on_keeps_its_flag_id() -> None:
    first = THIS_WEEK - timedelta(weeks=2)
    two = nights_in_week(first, 3) + nights_in_week(first + timedelta(weeks=1), 4)
    three = two + nights_in_week(THIS_WEEK, 3)
    assert flag_ids(cramps_on(two)) == flag_ids(cramps_on(three)) == [f"frequent:{first}"]


@pytest.mark.parametrize("nights", [
    nights_in_week(THIS_WEEK - timedelta(weeks=1), 3) + nights_in_week(THIS_WEEK, 2),
    nights_in_week(THIS_WEEK - timedelta(weeks=2), 3) + nights_in_week(THIS_WEEK, 3),
    # Many cramps, but on only two nights a week.
    nights_in_week(THIS_WEEK - timedelta(weeks=1), 2) * 3 + nights_in_week(THIS_WEEK, 2) * 3,
], ids=["second week only two nights", "weeks not in a row", "two nights a week"])
def test_frequent_flag_needs_three_nights_in_each_of_two_weeks_in_a_row(
        nights: list[date]) -> None:
    assert flag_ids(cramps_on(nights)) == []


def test_an_episode_over_ten_minutes_is_flagged() -> None:
    episodes = [cramp(on_night(date(2026, 6, 7)), 41, duration_s=601.0),
                cramp(on_night(date(2026, 6, 8)), 42, duration_s=600.0)]
    flags = red_flags(episodes, LONDON, today=TODAY, contacts=UK)
    assert [f.id for f in flags] == ["long:41"]
    assert "about 10 minutes" in flags[0].message
    assert "the night of 7 to 8 June" in flags[0].message  # both dates: see wording.night
    assert "a cramp lasting over 10 minutes needs checking the same day" in flags[0].message
    assert flags[0].message.endswith("If it has not been checked yet, get help today. "
                                     "Call NHS 111.")
    assert flags[0].who_to_see == "Get help today. Call NHS 111."  # the care rule's words


@pytest.mark.parametrize(("symptoms", "specialist", "other"), [
    ({"swelling"}, "vein specialist (phlebologist)", "neurologist"),
    ({"numbness"}, "nerve specialist (neurologist)", "phlebologist"),
    ({"weakness"}, "nerve specialist (neurologist)", "phlebologist"),
])
def test_cramps_with_swelling_numbness_or_weakness_are_flagged(
        symptoms: set[str], specialist: str, other: str) -> None:
    episodes = [cramp(on_night(date(2026, 6, 7)), 7, symptoms=frozenset(symptoms))]
    [flag] = red_flags(episodes, LONDON, today=TODAY, contacts=UK)
    assert flag.id == "symptoms:7"
    assert flag.title == f"Cramp with {next(iter(symptoms))}"
    assert flag.who_to_see.startswith("Your GP (family doctor) first")
    assert specialist in flag.who_to_see
    assert other not in flag.who_to_see
    assert "worth checking with a doctor" in flag.message


def test_swelling_also_says_when_to_get_help_today() -> None:
    episodes = [cramp(on_night(date(2026, 6, 7)), 7,
                      symptoms=frozenset({"swelling", "numbness", "weakness"}))]
    [flag] = red_flags(episodes, LONDON, today=TODAY, contacts=UK)
    assert flag.title == "Cramp with swelling, numbness and weakness"
    assert flag.message.endswith("One leg swollen, warm, red or darker than the other: "
                                 "get help today. Call NHS 111.")
    assert "phlebologist" in flag.who_to_see and "neurologist" in flag.who_to_see


def test_an_episode_that_lists_a_medicine_is_flagged_once_per_medicine() -> None:
    episodes = [cramp(on_night(date(2026, 6, 1)), 1, medicines=frozenset({"statin"})),
                cramp(on_night(date(2026, 6, 2)), 2, medicines=frozenset({"statin"}))]
    [flag] = red_flags(episodes, LONDON, today=TODAY, contacts=UK)
    assert flag.id == "medicine:statin"
    assert "some of your cramp entries mention it" in flag.message
    assert "Don't stop or change a medicine on your own." in flag.message
    assert flag.who_to_see == "The doctor who prescribed it, your pharmacist, or your GP."
    assert "stop taking" not in flag.message.lower()


def test_cramps_after_starting_a_medicine_are_flagged() -> None:
    episodes = [cramp(on_night(date(2026, 6, 3)), 1)]
    started = {"diuretic": date(2026, 6, 1), "statin": date(2026, 6, 5)}
    flags = red_flags(episodes, LONDON, today=TODAY, contacts=UK, medicine_started=started)
    assert [f.id for f in flags] == ["medicine:diuretic"]
    assert "since you started it on 1 June 2026" in flags[0].message
    assert "diuretic (water tablet)" in flags[0].title


def test_unknown_medicines_are_refused() -> None:
    with pytest.raises(ValueError, match="medicine_started keys must be from diuretic"):
        red_flags([], LONDON, today=TODAY, contacts=UK, medicine_started={"aspirin": TODAY})


def test_old_and_future_episodes_raise_no_flags() -> None:
    old = date(2026, 6, 8) - timedelta(weeks=8)
    episodes = [cramp(on_night(old), 1, duration_s=900.0, symptoms=frozenset({"swelling"})),
                cramp(on_night(TODAY + timedelta(days=1)), 2, duration_s=900.0)]
    assert red_flags(episodes, LONDON, today=TODAY, contacts=UK) == []


def test_flags_never_diagnose_and_have_stable_unique_ids() -> None:
    last_week = THIS_WEEK - timedelta(weeks=1)
    nights = nights_in_week(last_week, 4) + nights_in_week(THIS_WEEK, 3)
    episodes = [cramp(on_night(n), i, duration_s=700.0, symptoms=frozenset({"weakness"}),
                      medicines=frozenset({"other"})) for i, n in enumerate(nights)]
    flags = red_flags(episodes, LONDON, today=TODAY, contacts=UK)
    again = red_flags(list(reversed(episodes)), LONDON, today=TODAY, contacts=UK)
    assert flags == again
    assert len({f.id for f in flags}) == len(flags) == 7 + 7 + 1 + 1
    # Most pressing first: symptoms, then long episodes, medicines, frequency.
    assert [f.id.split(":")[0] for f in flags] == (["symptoms"] * 7 + ["long"] * 7
                                                   + ["medicine", "frequent"])
    assert flags[0].id == "symptoms:6"  # newest first within a kind
    for flag in flags:
        assert isinstance(flag, RedFlag)
        text = f"{flag.title} {flag.message}".lower()
        # Each says it is worth checking (a long cramp, per the care rule, "needs
        # checking the same day": its own test holds the exact words).
        assert "worth checking with a doctor" in text or "needs checking the same day" in text
        for wording in ("you have ", "diagnos", "you are suffering"):
            assert wording not in text


def test_episodes_without_ids_still_get_stable_flag_ids() -> None:
    episode = cramp(utc(2026, 6, 8, 2, 0), duration_s=700.0)
    assert flag_ids([episode]) == ["long:2026-06-08T02:00:00+00:00"]


def test_the_warning_signs_join_the_findings_the_diary_can_see() -> None:
    from coach.core.care import Care
    from coach.core.model import Evidence, Provenance, Text, WarningSign

    nhs = Provenance(Evidence.GUIDELINE, "NHS")
    signs = (WarningSign("dark-urine", Text.plain("Dark, cola-coloured urine with aching "
                                                  "muscles"), Care.SAME_DAY, nhs),
             WarningSign("wasting-or-twitching", Text.plain("Muscles getting thinner"),
                         Care.GP, nhs))
    episodes = [cramp(on_night(date(2026, 6, 1)), 1, medicines=frozenset({"statin"}),
                      symptoms=frozenset({"weakness"}))]
    flags = {f.id: f for f in red_flags(episodes, LONDON, today=TODAY, contacts=UK,
                                        warning_signs=signs)}
    assert flags["medicine:statin"].message.endswith(
        "Dark, cola-coloured urine with aching muscles: get help today. Call NHS 111.")
    assert flags["symptoms:1"].message.endswith(
        "Muscles getting thinner: see your GP (family doctor) in the next few days.")
    assert "a medicine that lowers cholesterol" in flags["medicine:statin"].title
