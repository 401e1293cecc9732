"""Emergency mode rules, driven by a fake clock: holds, the clot check, the
10-minute escalation, the profile, and after-care."""

from __future__ import annotations

from coach.core.clock import FakeClock
from coach.core.emergency import PREP_S, Cue, EmergencySession, Phase, Screen
from coach.core.model import (
    Action,
    Caution,
    Evidence,
    Library,
    Protocol,
    Provenance,
    Step,
    Text,
    Tip,
)
from coach.core.profile import Condition

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
LIBRARY = Library(protocols=(CALF, INFO_FIRST, WATER), aftercare=AFTER)


def session(**kwargs: object) -> tuple[EmergencySession, FakeClock]:
    clock = FakeClock()
    return EmergencySession(LIBRARY, clock, **kwargs), clock  # type: ignore[arg-type]


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
    s.answer_clot_check(True)
    assert s.screen is Screen.CLOT_WARNING
    assert s.next() == [] and s.screen is Screen.CLOT_WARNING
    clock.advance(700)
    s.tick()
    assert s.screen is Screen.CLOT_WARNING
    outcome = s.outcome()
    assert outcome is not None and outcome.clot_signs


def test_info_step_first_asks_only_when_a_physical_step_comes() -> None:
    s, _ = session()
    s.choose("foot")
    assert s.screen is Screen.STEP
    s.next()
    assert s.screen is Screen.CLOT_CHECK
    s.answer_clot_check(False)
    assert s.view().step.step.id == "spread"  # type: ignore[union-attr]


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
    assert s.tick() == [Cue.START, Cue.END]
    assert s.view().phase is Phase.DONE
    assert s.view().step.step.id == "pull"  # type: ignore[union-attr]


def test_auto_advance_moves_on_when_the_last_hold_ends() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(2 * (PREP_S + 30))
    s.tick()
    assert s.view().step.step.id == "stand"  # type: ignore[union-attr]


def test_a_late_tick_neither_adds_nor_loses_time() -> None:
    s, clock = session(auto_advance=False)
    s.choose("foot")
    s.next()
    s.answer_clot_check(False)
    clock.advance(PREP_S + 4.7)  # the tick arrives 4.7 s into a 10 s hold
    s.tick()
    assert s.view().remaining == 6  # ceil(10 - 4.7)
    clock.advance(5.3)
    assert s.tick() == [Cue.END]


def test_back_next_and_finish_reach_aftercare() -> None:
    s, _ = session(auto_advance=False)
    s.choose("calf")
    s.answer_clot_check(False)
    s.next()
    s.next()
    s.back()
    assert s.view().step.step.id == "stand"  # type: ignore[union-attr]
    s.next()
    s.next()
    assert s.view().step_number == 4
    s.next()
    assert s.screen is Screen.AFTERCARE
    outcome = s.outcome()
    assert outcome is not None
    assert outcome.steps_used == ("pull", "stand", "massage", "raise")


def test_it_has_passed_works_from_the_clot_check_and_any_step() -> None:
    s, clock = session()
    s.choose("calf")
    clock.advance(42)
    s.passed()
    assert s.screen is Screen.AFTERCARE
    clock.advance(100)
    assert s.view().elapsed == 42  # the stopwatch stopped when it passed


def test_ten_minutes_escalates_once() -> None:
    s, clock = session()
    s.choose("calf")
    s.answer_clot_check(False)
    clock.advance(599)
    s.tick()
    assert s.screen is not Screen.URGENT
    clock.advance(1)
    s.tick()
    assert s.screen is Screen.URGENT
    s.dismiss_urgent()
    assert s.screen is Screen.STEP
    clock.advance(300)
    s.tick()
    assert s.screen is not Screen.URGENT


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
        ids.append(s.view().step.step.id)  # type: ignore[union-attr]
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
