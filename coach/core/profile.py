"""The safety profile: which advice is unsafe or needs care for this person.

Content carries caution tags; the rules that turn a tag plus a condition into
"hide" or "flag" live here, in one table, so emergency mode and the routines
apply exactly the same judgement and the reason can always be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from coach.core.i18n import N_, _
from coach.core.model import Caution


class Condition(str, Enum):
    VARICOSE_VEINS = "varicose_veins"
    CLOT_HISTORY = "clot_history"
    NEUROPATHY = "neuropathy"
    PREGNANCY = "pregnancy"
    DIURETICS_STATINS = "diuretics_statins"
    UNSTEADY = "unsteady"

    @property
    def label(self) -> str:
        """In the current language."""
        return _(CONDITION_LABELS[self])


CONDITION_LABELS = {
    Condition.VARICOSE_VEINS: N_("Varicose veins"),
    Condition.CLOT_HISTORY: N_("A blood clot in the past, or taking blood thinners"),
    Condition.NEUROPATHY: N_("Diabetes or nerve damage (neuropathy) in the legs"),
    Condition.PREGNANCY: N_("Pregnancy"),
    Condition.DIURETICS_STATINS: N_("Taking water tablets (diuretics) or a statin (a medicine "
                                    "that lowers cholesterol)"),
    Condition.UNSTEADY: N_("Unsteady on my feet, or had a fall"),
}
"""In English, marked for the catalogue: shown through :attr:`Condition.label`."""


class Effect(str, Enum):
    HIDE = "hide"
    FLAG = "flag"
    SUPPORTED = "supported"
    """A flag that also puts the step's supported version first, where it has
    one: on screen, in the voice and on the bedside card alike."""


@dataclass(frozen=True)
class Rule:
    caution: Caution
    conditions: frozenset[Condition]
    effect: Effect
    reason: str
    """In English, marked for the catalogue; :func:`assess` translates it."""


RULES: tuple[Rule, ...] = (
    Rule(Caution.VARICOSE_VEINS, frozenset({Condition.VARICOSE_VEINS}), Effect.HIDE,
         N_("Left out because of varicose veins: do not massage the leg muscles.")),
    Rule(Caution.CLOT_HISTORY, frozenset({Condition.CLOT_HISTORY}), Effect.HIDE,
         N_("Left out because of a clot history or blood thinners: massage could dislodge "
            "a clot or cause bruising.")),
    Rule(Caution.NEUROPATHY, frozenset({Condition.NEUROPATHY}), Effect.HIDE,
         N_("Left out because of reduced feeling in the feet: heat can burn without "
            "you noticing.")),
    Rule(Caution.PREGNANCY, frozenset({Condition.PREGNANCY}), Effect.SUPPORTED,
         N_("In pregnancy, sitting or lying on your side is safer than standing or lying "
            "flat on your back.")),
    Rule(Caution.BALANCE, frozenset({Condition.PREGNANCY, Condition.NEUROPATHY,
                                     Condition.UNSTEADY}), Effect.FLAG,
         N_("Hold on to something steady: balance may be less sure.")),
    Rule(Caution.DIURETICS_STATINS, frozenset({Condition.DIURETICS_STATINS}), Effect.FLAG,
         N_("On water tablets or a statin, call your doctor or pharmacist today about "
            "muscle pain, tenderness or weakness you can't explain.")),
)


@dataclass(frozen=True)
class Assessment:
    hidden: bool
    reasons: tuple[str, ...]
    supported: bool = False
    """A rule asks for the supported version (see :attr:`Effect.SUPPORTED`)."""


def parse_conditions(values: Iterable[str]) -> frozenset[Condition]:
    """Known condition ids only: an id from a newer version is ignored, not fatal."""
    known = {c.value for c in Condition}
    return frozenset(Condition(v) for v in values if v in known)


def assess(cautions: Iterable[Caution], profile: Iterable[Condition]) -> Assessment:
    """Hide wins over flag: when a step is hidden, only the reasons for hiding it
    are shown, because a flag on something not shown would only confuse. The
    reasons are in the current language."""
    tags, conditions = set(cautions), set(profile)
    matching = [rule for rule in RULES if rule.caution in tags and rule.conditions & conditions]
    hiding = [_(rule.reason) for rule in matching if rule.effect is Effect.HIDE]
    if hiding:
        return Assessment(True, tuple(hiding))
    return Assessment(False, tuple(_(rule.reason) for rule in matching),
                      any(rule.effect is Effect.SUPPORTED for rule in matching))


def flags_as_done(cautions: frozenset[Caution], profile: Iterable[Condition], *,
                  standing: bool) -> tuple[str, ...]:
    """The flags of a step or exercise as this person does it: "hold on to
    something steady" (``balance``) only when it is done standing, or
    standing is offered beside it. Beside a seated version alone it would
    only confuse."""
    return assess(cautions if standing else cautions - {Caution.BALANCE}, profile).reasons


class Posture(str, Enum):
    """How a step done standing is offered (see :func:`standing_step`)."""

    AS_WRITTEN = "as_written"
    SEATED_FIRST = "seated_first"
    LEFT_OUT = "left_out"


# Translators: {step} is the step's instruction or the exercise's name, without a
# full stop at its end.
UNSTEADY_LEFT_OUT = N_("Left out: “{step}”. It is done standing, with no seated version, "
                       "and you are unsteady on your feet.")
# The version shown may be done sitting or lying (on the side): "not standing"
# fits both.
SEATED_BECAUSE_UNSTEADY = N_("Not standing, because you are unsteady on your feet.")
SEATED_AT_NIGHT = N_("Not standing, at first: at night, a dizzy moment on standing can cause a "
                     "fall.")


def standing_step(cautions: Iterable[Caution], has_seated_version: bool,
                  profile: Iterable[Condition], *, night: bool, name: str = ""
                  ) -> tuple[Posture, str]:
    """Falls are the main danger of getting out of bed in the dark, above all
    after 60. A step done standing (tagged ``balance``) is therefore offered
    in its seated or supported version first at night, and always for someone
    unsteady on their feet; for them a standing step with no such version is
    left out. Returns the posture and the reason to show, in the current
    language ("" when none); a step left out is named by ``name``, as the
    reason is shown on another step (the first)."""
    if Caution.BALANCE not in set(cautions):
        return Posture.AS_WRITTEN, ""
    unsteady = Condition.UNSTEADY in set(profile)
    if not (unsteady or night):
        return Posture.AS_WRITTEN, ""
    if has_seated_version:
        return Posture.SEATED_FIRST, _(SEATED_BECAUSE_UNSTEADY if unsteady else SEATED_AT_NIGHT)
    if unsteady:
        return Posture.LEFT_OUT, _(UNSTEADY_LEFT_OUT).format(step=name.strip().rstrip("."))
    return Posture.AS_WRITTEN, ""
