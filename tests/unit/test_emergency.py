"""Emergency mode rules, driven by a fake clock: holds, the clot check, the
10-minute escalation, the profile, and after-care."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coach.core.care import URGENT_AFTER_S
from coach.core.emergency import PREP_S, Cue, EmergencySession, Phase, Screen, shown_steps
from coach.core.model import (
    Action,
    Caution,
    ClotCheck,
    Evidence,
    Library,
    Protocol,
    Provenance,
    SafetyNote,
    Step,
    Text,
    Tip,
)
from coach.core.profile import Condition
from tests.fakes.clock import FakeClock

SOURCE = Provenance(Evidence.GUIDELINE, "NHS")


def step(step_id: str, action: Action, hold: int | None = None, reps: int = 1,
         cautions: frozenset[Caution] = frozenset()) -> Step:
    return Step(id=step_id, instruction=Text.plain(step_id), action=action,
                provenance=SOURCE, hold=hold, reps=reps, cautions=cautions)


CALF = Protocol(id="calf", title=Text.plain("Calf"), order=1, steps=(
    step("pull", Action.STRETCH, hold=30, reps=2),
    step("stand", Action.WEIGHT),
    step("massage", Action.MASSAGE, hold=60,
         cautions=frozenset({Caution.VARICOSE_VEINS, Caution.CLOT_HISTORY})),
    step("raise", Action.REST, hold=120),
))
INFO_FIRST = Protocol(id="foot", title=Text.plain("Foot"), order=2, steps=(
    step("breathe", Action.INFO), step("spread", Action.STRETCH, hold=10)))
WATER = Protocol(id="water", title=Text.plain("In water"), order=5, read_ahead=True,
                 steps=(step("float", Action.INFO),))
AFTER = (Tip("raise", Text.plain("Raise"), Text.plain("Raise your legs."), SOURCE),
         Tip("bath", Text.plain("Warm bath"), Text.plain("A warm bath."), SOURCE,
             frozenset({Caution.NEUROPATHY})))
CLOT_CHECK = ClotCheck(Text.plain("Quick safety check"),
                       Text.plain("Apart from this cramp: is one leg swollen?"),
                       Text.plain("A clot is more likely after surgery."), SOURCE)
NIGHT_SAFETY = SafetyNote(Text.plain("Turn on a light and sit up first."), SOURCE)
LIBRARY = Library(protocols=(CALF, INFO_FIRST, WATER), aftercare=AFTER, clot_check=CLOT_CHECK,
                  night_safety=NIGHT_SAFETY)


def session(profile: frozenset[Condition] = frozenset(), auto_advance: bool = True,
            night: bool = False) -> tuple[EmergencySession, FakeClock]:
    clock = FakeClock()
    return EmergencySession(LIBRARY, clock, profile=profile, auto_advance=auto_advance,
                            night=lambda: night), clock


def step_id(s: EmergencySession) -> str:
    step = s.view().step
    assert step is not None, s.view()
    return step.step.id


def test_clot_check_comes_before_the_first_stretch() -> None:
    s, _ = session()
    s.choose("calf")
    assert s.screen is Screen.CLOT_CHECK
    s.answer_clot_check(False)
    view = s.view()
    assert view.screen is Screen.STEP and view.step and view.step.step.id == "pull"


def test_a_yes_to_clot_signs_stops_everything() -> None:
    s, clock = session()
    s.choose("calf")
    clock.advance(3)
    assert s.view().stopwatch_shown
    s.answer_clot_check(True)
    assert s.screen is Screen.CLOT_WARNING
    assert s.next() == [] and s.screen is Screen.CLOT_WARNING
    # Nothing ticks here, so the cramp timer is not shown (it would read 0:03
    # for good), though it runs on in case the answer was a mistake.
    assert s.next_wakeup() is None and not s.view().stopwatch_shown and s.timing
    clock.advance(700)
    s.tick()
    assert s.screen is Screen.CLOT_WARNING
    outcome = s.outcome()
    assert outcome is not None and outcome.clot_signs
    s.back()
    assert s.view().screen is Screen.CLOT_CHECK and s.view().stopwatch_shown
    assert s.view().elapsed == 703


def test_a_clot_history_ticked_during_a_guide_takes_massage_out_at_once() -> None:
    """A profile audit's case: ticked in Settings mid-guide, the clot history
    changed nothing until the next guide, and "Rub the calf" still came."""
    s, _ = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    s.next()  # "stand"
    s.set_guidance(frozenset({Condition.CLOT_HISTORY}), auto_advance=False)
    s.next()
    assert step_id(s) == "raise"  # massage, next, is gone
    assert any("clot" in reason for reason in s.view().left_out)
    s.back()
    assert step_id(s) == "stand"  # what was done stays


def test_a_step_on_screen_that_the_new_profile_hides_is_left_at_once() -> None:
    s, _ = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    s.next()
    s.next()
    assert step_id(s) == "massage"
    s.set_guidance(frozenset({Condition.VARICOSE_VEINS}), auto_advance=False)
    assert step_id(s) == "raise" and s.timing


def test_info_step_first_asks_only_when_a_physical_step_comes() -> None:
    s, _ = session()
    s.choose("foot")
    assert s.screen is Screen.STEP
    s.next()
    assert s.view().screen is Screen.CLOT_CHECK  # read afresh: the step moved on
    s.answer_clot_check(False)
    step = s.view().step
    assert step is not None and step.step.id == "spread"


def test_hold_countdown_comes_from_the_deadline() -> None:
    s, clock = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    assert (s.view().phase, s.view().remaining) == (Phase.PREP, PREP_S)
    clock.advance(PREP_S)
    assert s.tick() == [Cue.START]
    assert (s.view().phase, s.view().remaining, s.view().rep) == (Phase.HOLD, 30, 1)
    clock.advance(0.4)
    assert s.view().remaining == 30
    clock.advance(0.6)
    assert s.view().remaining == 29
    clock.advance(29)
    assert s.tick() == [Cue.END]
    assert (s.view().phase, s.view().rep) == (Phase.PREP, 2)
    clock.advance(PREP_S + 30)
    assert s.tick() == [Cue.START, Cue.DONE, Cue.PASSED_HINT]
    assert s.view().phase is Phase.DONE
    assert step_id(s) == "pull"


def test_auto_advance_moves_on_when_the_last_hold_ends() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(2 * (PREP_S + 30))
    s.tick()
    assert step_id(s) == "stand"


def test_auto_advance_never_moves_into_rest_so_the_cramp_stays_timed() -> None:
    """A clinical review's case: for someone unsteady the walking step is left
    out, so the massage's hold ran straight into "lie down", which stopped
    the cramp timer after two or three minutes; a cramp still going on then
    never reached the 10-minute card. Moving on into rest is the person's."""
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    while step_id(s) != "massage":
        s.next()
    clock.advance(PREP_S + 60)
    assert s.tick() == [Cue.START, Cue.DONE, Cue.PASSED_HINT]  # waits, saying how to end
    assert step_id(s) == "massage" and s.view().phase is Phase.DONE and s.timing
    assert s.view().asks_if_passed
    clock.advance(URGENT_AFTER_S)
    s.tick()
    assert s.screen is Screen.URGENT
    s.dismiss_urgent()
    s.next()  # the person moves on: the cramp has passed
    assert step_id(s) == "raise" and not s.timing and not s.view().asks_if_passed


def test_a_late_tick_neither_adds_nor_loses_time() -> None:
    s, clock = session(auto_advance=False)
    s.choose("foot")
    s.next()
    s.answer_clot_check(False)
    clock.advance(PREP_S + 4.7)  # the tick arrives 4.7 s into a 10 s hold
    s.tick()
    assert s.view().remaining == 6  # ceil(10 - 4.7)
    clock.advance(5.3)
    assert s.tick() == [Cue.DONE, Cue.PASSED_HINT]


def test_back_next_and_finish_reach_aftercare() -> None:
    s, _ = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    s.next()
    s.next()
    s.back()
    assert step_id(s) == "stand"
    s.next()
    s.next()
    assert s.view().step_number == 4
    s.next()
    assert s.screen is Screen.AFTERCARE
    outcome = s.outcome()
    assert outcome is not None
    assert outcome.steps_used == ("calf/pull", "calf/stand", "calf/massage", "calf/raise")


def test_it_has_passed_works_from_the_clot_check_and_any_step() -> None:
    s, clock = session()
    s.choose("calf")
    clock.advance(42)
    s.passed()
    assert s.screen is Screen.AFTERCARE
    clock.advance(100)
    assert s.view().elapsed == 42  # the stopwatch stopped when it passed
    # After-care says how long it lasted; the timer in the corner is gone
    # rather than frozen, which read as a cramp still going on.
    assert not s.view().stopwatch_shown


def test_ten_minutes_escalates_once() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(599)
    s.tick()
    assert s.screen is not Screen.URGENT
    clock.advance(1)
    s.tick()
    assert s.view().screen is Screen.URGENT
    s.dismiss_urgent()
    assert s.screen is Screen.STEP
    clock.advance(300)
    s.tick()
    assert s.view().screen is not Screen.URGENT


def test_a_suspend_in_the_middle_of_a_cramp_counts_toward_it() -> None:
    """A time audit's case: an automatic suspend, the lid opened an hour
    later, and the cramp read 3 minutes, with no 10-minute card ever."""
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(180)
    clock.suspend(3600)
    clock.advance(1)
    s.tick()
    assert s.screen is Screen.URGENT and s.view().elapsed == pytest.approx(3781)
    s.passed()
    outcome = s.outcome()
    assert outcome is not None and outcome.duration_s == pytest.approx(3781)


def test_next_wakeup_points_at_the_urgent_threshold_and_whole_seconds() -> None:
    s, clock = session()
    s.choose("calf")
    clock.advance(0.25)
    wait = s.next_wakeup()
    assert wait is not None and abs(wait - 0.75) < 1e-9


def test_varicose_profile_removes_massage_and_says_why() -> None:
    s, _ = session(profile=frozenset({Condition.VARICOSE_VEINS}), auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    view = s.view()
    assert view.step_total == 3
    assert any("varicose veins" in reason for reason in view.left_out)
    ids = []
    while s.screen is Screen.STEP:
        ids.append(step_id(s))
        s.next()
    assert ids == ["pull", "stand", "raise"]


def test_neuropathy_profile_hides_heat_in_aftercare() -> None:
    s, _ = session(profile=frozenset({Condition.NEUROPATHY}))
    s.choose("calf")
    s.passed()
    assert [t.id for t in s.view().aftercare] == ["raise"]
    plain, _ = session()
    plain.choose("calf")
    plain.passed()
    assert [t.id for t in plain.view().aftercare] == ["raise", "bath"]


def test_someone_unsteady_is_not_told_to_walk_in_the_aftercare() -> None:
    """A profile audit's case: the guide left the walk out for someone
    unsteady on their feet, and the after-care then said "Walk a little"."""
    from coach.app import content

    library = content.load()
    assert "gentle-walk" in [tip.id for tip in library.aftercare]
    for profile, walks in ((frozenset({Condition.UNSTEADY}), False), (frozenset(), True),
                           (frozenset({Condition.NEUROPATHY}), True)):
        s = EmergencySession(library, FakeClock(), profile=profile)
        s.choose("calf")
        s.passed()
        assert ("gentle-walk" in [t.id for t in s.view().aftercare]) is walks, profile


def test_read_ahead_card_has_no_stopwatch() -> None:
    s, clock = session()
    s.choose("water")
    clock.advance(1000)
    s.tick()
    assert s.screen is Screen.READ_AHEAD and s.view().elapsed == 0
    assert s.next_wakeup() is None


def test_leave_returns_to_places_and_forgets_the_session() -> None:
    s, _ = session()
    s.choose("calf")
    s.leave()
    assert s.screen is Screen.PLACES and s.outcome() is None


# -- the cramp timer measures the cramp ------------------------------------------

def test_the_cramp_timer_stops_at_the_first_resting_step() -> None:
    s, clock = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(50)
    s.next()
    s.next()
    clock.advance(20)
    s.next()  # "raise": the cramp has passed, so the timer stops here
    assert step_id(s) == "raise"
    assert not s.timing and s.view().elapsed == 70
    clock.advance(1000)
    s.tick()
    assert s.screen is Screen.STEP and s.view().elapsed == 70
    s.next()
    outcome = s.outcome()
    assert outcome is not None and outcome.duration_s == 70


def test_the_urgent_card_never_appears_after_the_timer_stopped() -> None:
    """The review's case: the legs-up rest runs past 10 minutes of session."""
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(400)  # a long cramp, but under 10 minutes
    s.tick()
    while step_id(s) != "raise":
        s.next()
    screens = set()
    for _ in range(300):  # on past 600 s since the start, during the rest
        clock.advance(1)
        s.tick()
        screens.add(s.screen)
    assert screens == {Screen.STEP}
    assert s.view().elapsed == pytest.approx(400)


def test_it_has_passed_also_stops_the_timer_before_any_rest() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(33)
    s.passed()
    clock.advance(900)
    s.tick()
    assert s.screen is Screen.AFTERCARE and s.view().elapsed == 33


# -- cues for the voice ------------------------------------------------------------

def test_cues_mark_each_moment_of_a_step() -> None:
    s, clock = session()
    s.choose("calf")
    assert s.answer_clot_check(False) == [Cue.STEP]
    clock.advance(PREP_S)
    assert s.tick() == [Cue.START]
    clock.advance(20)
    assert s.tick() == [Cue.TEN_LEFT]
    clock.advance(10)
    assert s.tick() == [Cue.END]
    clock.advance(PREP_S + 30)
    assert s.tick() == [Cue.START, Cue.DONE, Cue.PASSED_HINT, Cue.NEXT, Cue.STEP]
    assert step_id(s) == "stand"


def test_ten_seconds_is_not_said_in_a_short_hold() -> None:
    s, clock = session(auto_advance=False)
    s.choose("foot")
    s.next()
    s.answer_clot_check(False)
    cues = []
    for _ in range(20):
        clock.advance(1)
        cues += s.tick()
    assert Cue.TEN_LEFT not in cues and Cue.START in cues


def test_the_passed_hint_is_given_once_a_session() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    cues = []
    for _ in range(400):
        clock.advance(1)
        cues += s.tick()
    assert cues.count(Cue.PASSED_HINT) == 1


def test_restarting_a_hold_does_not_read_the_step_again() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(PREP_S + 12)
    s.tick()
    assert s.restart_hold() == []
    assert (s.view().phase, s.view().remaining, s.view().rep) == (Phase.PREP, PREP_S, 1)


def test_the_clot_check_is_announced() -> None:
    s, _ = session()
    assert s.choose("calf") == [Cue.CHECK]


# -- falls-safe at night ------------------------------------------------------------

STANDING = Protocol(id="thigh", title=Text.plain("Thigh"), order=3, steps=(
    step("sit-stretch", Action.STRETCH, hold=30),
    Step(id="stand", instruction=Text.plain("Stand on it"), action=Action.WEIGHT,
         provenance=SOURCE, hold=30, cautions=frozenset({Caution.BALANCE}),
         supported=Text.plain("Sit on the edge of the bed and press the foot down")),
    step("walk", Action.WALK, cautions=frozenset({Caution.BALANCE})),
    step("rest", Action.REST, hold=60),
))
FALLS_LIBRARY = Library(protocols=(STANDING,), clot_check=CLOT_CHECK)


def shown(profile: frozenset[Condition], night: bool) -> list[tuple[str, bool, bool]]:
    s = EmergencySession(FALLS_LIBRARY, FakeClock(), profile=profile, auto_advance=False,
                         night=lambda: night)
    s.choose("thigh")
    s.answer_clot_check(False)
    out = []
    while s.screen is Screen.STEP:
        view = s.view()
        assert view.step is not None
        out.append((view.step.step.id, view.step.seated, view.step.stand_up_next))
        s.next()
    return out


def test_the_outcome_names_the_steps_shown_their_seated_way() -> None:
    """So the diary says "Sit on the edge of the bed…" for what the person
    was told, not the standing instruction."""
    for profile, night, other_way in ((frozenset(), False, set()),
                                      (frozenset(), True, {"thigh/stand"}),
                                      (frozenset({Condition.UNSTEADY}), False, {"thigh/stand"})):
        s = EmergencySession(FALLS_LIBRARY, FakeClock(), profile=profile, auto_advance=False,
                             night=(lambda: True) if night else (lambda: False))
        s.choose("thigh")
        s.answer_clot_check(False)
        while s.screen is Screen.STEP:
            s.next()
        outcome = s.outcome()
        assert outcome is not None
        assert outcome.steps_other_way == other_way, (profile, night)
        assert set(outcome.steps_other_way) <= set(outcome.steps_used)


def test_by_day_standing_steps_are_as_written() -> None:
    assert shown(frozenset(), night=False) == [
        ("sit-stretch", False, False), ("stand", False, False), ("walk", False, False),
        ("rest", False, False)]


def test_at_night_a_standing_step_is_seated_first_after_a_warning() -> None:
    assert shown(frozenset(), night=True) == [
        ("sit-stretch", False, True), ("stand", True, False), ("walk", False, False),
        ("rest", False, False)]


def test_unsteady_never_sees_a_standing_step_first_and_loses_walking() -> None:
    for night in (False, True):
        assert shown(frozenset({Condition.UNSTEADY}), night=night) == [
            ("sit-stretch", False, True), ("stand", True, False), ("rest", False, False)]
    s = EmergencySession(FALLS_LIBRARY, FakeClock(), profile=frozenset({Condition.UNSTEADY}))
    s.choose("thigh")
    s.answer_clot_check(False)
    # Shown on the first step, so it names the step it is about.
    assert s.view().left_out == (
        "Left out: “walk”. It is done standing, with no seated version, and you are "
        "unsteady on your feet.",)


def test_only_a_step_seated_against_falls_offers_standing_instead() -> None:
    """Seated because it is night, someone who feels steady may stand.
    Someone unsteady on their feet is not offered it: the walk is left out
    for them, and "if you feel steady, stand on it" would undo that. Seated
    because of pregnancy, the step as written is the one to avoid."""
    both = Protocol(id="p", title=Text.plain("P"), order=1, steps=(replace(
        STANDING.steps[1], cautions=frozenset({Caution.BALANCE, Caution.PREGNANCY})),))
    for profile, night, may_stand in (
            (frozenset({Condition.UNSTEADY}), False, False),
            (frozenset({Condition.UNSTEADY}), True, False), (frozenset(), True, True),
            (frozenset({Condition.PREGNANCY}), False, False),
            (frozenset({Condition.PREGNANCY}), True, False)):
        steps, _left_out = shown_steps(both, profile, night=night)
        assert [(s.seated, s.may_stand) for s in steps] == [(True, may_stand)], profile


def test_a_seated_version_drops_what_only_standing_needs() -> None:
    """An audit's case: for someone unsteady, "Sit on the edge of a chair…"
    came with the standing version's how ("bend the other knee, hold on to a
    chair with the other hand") and "hold on to something steady". Both go
    when nothing is done standing; with standing offered (at night, someone
    steady), "hold on" stays, for that."""
    from coach.app import content
    from coach.core.profile import RULES

    hold_on = next(rule.reason for rule in RULES if rule.caution is Caution.BALANCE)
    thigh = next(p for p in content.load().protocols if p.id == "thigh-back")
    for profile, night, standing_offered in ((frozenset({Condition.UNSTEADY}), False, False),
                                             (frozenset({Condition.PREGNANCY}), False, False),
                                             (frozenset({Condition.NEUROPATHY}), True, True)):
        steps, _left_out = shown_steps(thigh, profile, night=night)
        lean = steps[0]
        assert lean.step.id == "heel-forward-lean" and lean.as_supported, profile
        assert lean.how is None and lean.may_stand is standing_offered, profile
        assert (hold_on in lean.flags) is standing_offered, profile
    as_written, _left_out = shown_steps(thigh, frozenset(), night=False)
    assert as_written[0].how == as_written[0].step.how is not None


def test_a_standing_first_step_carries_its_own_warning() -> None:
    first_standing = Library(protocols=(Protocol(
        id="p", title=Text.plain("P"), order=1, steps=STANDING.steps[1:]),))
    s = EmergencySession(first_standing, FakeClock(), night=lambda: True)
    s.choose("p")
    s.answer_clot_check(False)
    view = s.view()
    assert view.step is not None and view.step.stand_up_next and view.step.seated


def test_a_profile_that_hides_every_step_goes_to_aftercare() -> None:
    only_massage = Library(protocols=(Protocol(
        id="m", title=Text.plain("M"), order=1, steps=(CALF.steps[2],)),), aftercare=AFTER)
    s = EmergencySession(only_massage, FakeClock(),
                         profile=frozenset({Condition.VARICOSE_VEINS}))
    s.choose("m")
    view = s.view()
    assert view.screen is Screen.AFTERCARE and view.left_out
    assert [t.id for t in view.aftercare] == ["raise", "bath"]


def test_i_answered_by_mistake_goes_back_to_the_question() -> None:
    s, _ = session()
    s.choose("calf")
    s.answer_clot_check(True)
    s.back()
    assert s.screen is Screen.CLOT_CHECK
    s.answer_clot_check(False)
    assert s.view().screen is Screen.STEP
    outcome = s.outcome()
    assert outcome is not None and not outcome.clot_signs
