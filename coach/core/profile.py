"""The safety profile: which advice is unsafe or needs care for this person.

Content carries caution tags; the rules that turn a tag plus a condition into
"hide" or "flag" live here, in one table, so emergency mode and the routines
apply exactly the same judgement and the reason can always be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from coach.core.model import Caution


class Condition(str, Enum):
    VARICOSE_VEINS = "varicose_veins"
    CLOT_HISTORY = "clot_history"
    NEUROPATHY = "neuropathy"
    PREGNANCY = "pregnancy"
    DIURETICS_STATINS = "diuretics_statins"

    @property
    def label(self) -> str:
        return CONDITION_LABELS[self]


CONDITION_LABELS = {
    Condition.VARICOSE_VEINS: "Varicose veins",
    Condition.CLOT_HISTORY: "A blood clot in the past, or taking blood thinners",
    Condition.NEUROPATHY: "Diabetes or nerve damage (neuropathy) in the legs",
    Condition.PREGNANCY: "Pregnancy",
    Condition.DIURETICS_STATINS: "Taking water tablets (diuretics) or statins",
}


class Effect(str, Enum):
    HIDE = "hide"
    FLAG = "flag"


@dataclass(frozen=True)
class Rule:
    caution: Caution
    conditions: frozenset[Condition]
    effect: Effect
    reason: str


RULES: tuple[Rule, ...] = (
    Rule(Caution.VARICOSE_VEINS, frozenset({Condition.VARICOSE_VEINS}), Effect.HIDE,
         "Left out because of varicose veins: do not massage the leg muscles."),
    Rule(Caution.CLOT_HISTORY, frozenset({Condition.CLOT_HISTORY}), Effect.HIDE,
         "Left out because of a clot history or blood thinners: massage could dislodge "
         "a clot or cause bruising."),
    Rule(Caution.NEUROPATHY, frozenset({Condition.NEUROPATHY}), Effect.HIDE,
         "Left out because of reduced feeling in the feet: heat can burn without "
         "you noticing."),
    Rule(Caution.PREGNANCY, frozenset({Condition.PREGNANCY}), Effect.FLAG,
         "In pregnancy, use the supported version."),
    Rule(Caution.BALANCE, frozenset({Condition.PREGNANCY, Condition.NEUROPATHY}), Effect.FLAG,
         "Hold on to something steady: balance may be less sure."),
    Rule(Caution.DIURETICS_STATINS, frozenset({Condition.DIURETICS_STATINS}), Effect.FLAG,
         "With water tablets or statins, stop if the muscle pain is unusual and tell "
         "your doctor."),
)


@dataclass(frozen=True)
class Assessment:
    hidden: bool
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return not self.hidden and bool(self.reasons)


def parse_conditions(values: Iterable[str]) -> frozenset[Condition]:
    """Known condition ids only: an id from a newer version is ignored, not fatal."""
    known = {c.value for c in Condition}
    return frozenset(Condition(v) for v in values if v in known)


def assess(cautions: Iterable[Caution], profile: Iterable[Condition]) -> Assessment:
    """Hide wins over flag: when a step is hidden, only the reasons for hiding it
    are shown, because a flag on something not shown would only confuse."""
    tags, conditions = set(cautions), set(profile)
    matching = [rule for rule in RULES if rule.caution in tags and rule.conditions & conditions]
    hiding = [rule.reason for rule in matching if rule.effect is Effect.HIDE]
    if hiding:
        return Assessment(True, tuple(hiding))
    return Assessment(False, tuple(rule.reason for rule in matching))
