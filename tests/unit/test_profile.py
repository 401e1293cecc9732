"""The safety profile's table: hide wins over flag, and a reason is always given."""

from __future__ import annotations

from coach.core.model import Caution
from coach.core.profile import Condition, assess, parse_conditions


def test_no_profile_means_nothing_hidden_or_flagged() -> None:
    verdict = assess({Caution.VARICOSE_VEINS, Caution.PREGNANCY}, set())
    assert not verdict.hidden and verdict.reasons == ()


def test_massage_is_hidden_for_varicose_veins_and_clot_history() -> None:
    massage = {Caution.VARICOSE_VEINS, Caution.CLOT_HISTORY}
    for condition in (Condition.VARICOSE_VEINS, Condition.CLOT_HISTORY):
        verdict = assess(massage, {condition})
        assert verdict.hidden and len(verdict.reasons) == 1


def test_heat_is_hidden_with_neuropathy() -> None:
    assert assess({Caution.NEUROPATHY}, {Condition.NEUROPATHY}).hidden


def test_pregnancy_flags_with_a_reason_and_hiding_wins() -> None:
    flagged = assess({Caution.PREGNANCY, Caution.BALANCE}, {Condition.PREGNANCY})
    assert not flagged.hidden and len(flagged.reasons) == 2
    both = assess({Caution.PREGNANCY, Caution.VARICOSE_VEINS},
                  {Condition.PREGNANCY, Condition.VARICOSE_VEINS})
    assert both.hidden and all("varicose" in r for r in both.reasons)


def test_unknown_condition_ids_are_ignored() -> None:
    assert parse_conditions(["pregnancy", "from_the_future"]) == {Condition.PREGNANCY}


def test_a_standing_step_is_seated_first_at_night_and_for_the_unsteady() -> None:
    from coach.core.profile import Posture, standing_step

    balance = {Caution.BALANCE}
    assert standing_step(balance, True, set(), night=False)[0] is Posture.AS_WRITTEN
    assert standing_step(balance, True, set(), night=True)[0] is Posture.SEATED_FIRST
    assert standing_step(balance, False, set(), night=True)[0] is Posture.AS_WRITTEN
    unsteady = {Condition.UNSTEADY}
    for night in (False, True):
        assert standing_step(balance, True, unsteady, night=night)[0] is Posture.SEATED_FIRST
        posture, why = standing_step(balance, False, unsteady, night=night)
        assert posture is Posture.LEFT_OUT and "unsteady" in why
    assert standing_step(set(), False, unsteady, night=True) == (Posture.AS_WRITTEN, "")


def test_the_statin_flag_never_says_to_stop_a_medicine() -> None:
    reasons = assess({Caution.DIURETICS_STATINS}, {Condition.DIURETICS_STATINS}).reasons
    assert reasons and all("stop" not in r.lower() for r in reasons)
