"""Where to send someone: one rule, said the same way everywhere.

The clot card, the 10-minute card, the after-care and the diary's red flags
all tell a person where to go. When each wrote its own sentence they drifted
apart (one sent a red, swollen leg to the emergency number, another to the
same-day line), so the rule lives here once and every card builds its words
from it:

* **Call the emergency number now**: chest pain, breathlessness, coughing up
  blood, fainting. These can mean a clot has reached the lungs (NHS:
  pulmonary embolism, "call 999").
* **Get help today** (a doctor, or the country's urgent line): a leg that is
  swollen, warm, red or darker than the other (NHS: DVT, "ask for an urgent
  GP appointment or get help from 111"), or a cramp lasting longer than
  :data:`~coach.core.emergency.URGENT_AFTER_S` (NHS "Leg cramps").

Numbers come from :mod:`coach.core.countries`, never from a list of three.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import Final

from coach.core import wording
from coach.core.countries import Contacts
from coach.core.i18n import _

URGENT_AFTER_S: Final = 600.0
"""A cramp longer than 10 minutes needs help the same day. The current NHS
"Leg cramps" page lists it under non-urgent "see a GP"; Cramp Coach keeps
the more cautious older NHS wording ("ask for an urgent appointment"), as
nidirect does ("seek immediate medical help"): see docs/content-sources.md,
"Doubts"."""


class Care(str, Enum):
    """How soon, and where, from most to least urgent."""

    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    GP = "gp"


class Sign(str, Enum):
    CHEST_PAIN = "chest_pain"
    BREATHLESS = "breathless"
    COUGHING_BLOOD = "coughing_blood"
    FAINTING = "fainting"
    LEG_CHANGED = "leg_changed"
    LONG_CRAMP = "long_cramp"


RULE: Final[Mapping[Sign, Care]] = MappingProxyType({
    Sign.CHEST_PAIN: Care.EMERGENCY,
    Sign.BREATHLESS: Care.EMERGENCY,
    Sign.COUGHING_BLOOD: Care.EMERGENCY,
    Sign.FAINTING: Care.EMERGENCY,
    Sign.LEG_CHANGED: Care.SAME_DAY,
    Sign.LONG_CRAMP: Care.SAME_DAY,
})


def sign_text(sign: Sign) -> str:
    """How a sign reads inside a sentence ("chest pain, ... or fainting")."""
    if sign is Sign.LONG_CRAMP:
        return _("a cramp lasting over {minutes} minutes").format(
            minutes=round(URGENT_AFTER_S / 60))
    return {
        Sign.CHEST_PAIN: _("chest pain"),
        Sign.BREATHLESS: _("shortness of breath"),
        Sign.COUGHING_BLOOD: _("coughing up blood"),
        Sign.FAINTING: _("fainting"),
        Sign.LEG_CHANGED: _("one leg swollen, warm, red or darker than the other"),
    }[sign]


def signs_for(care: Care) -> tuple[Sign, ...]:
    return tuple(sign for sign, level in RULE.items() if level is care)


def emergency_numbers(contacts: Contacts) -> str:
    """"999", "112 or 103", or the words when no number is known."""
    if not contacts.emergency:
        return _("your local emergency number")
    return wording.either(contacts.emergency)


def action(care: Care, contacts: Contacts) -> str:
    """What to do for a level, with this country's numbers: the sentence a
    card puts in large type."""
    if care is Care.EMERGENCY:
        return _("Call {numbers} now.").format(numbers=emergency_numbers(contacts))
    if care is Care.SAME_DAY:
        return _("Get help today. {service}.").format(service=_(contacts.same_day))
    return _("See your GP (family doctor) in the next few days.")


def line(care: Care, contacts: Contacts, signs: Sequence[Sign] | None = None) -> str:
    """One rule line: the signs, then what to do ("Chest pain, ...: call 999 now.")."""
    chosen = signs_for(care) if signs is None else signs
    return sign_line(wording.either([sign_text(s) for s in chosen]), care, contacts)


def sign_line(sign: str, care: Care, contacts: Contacts) -> str:
    """Any sign in words (a warning sign from the content, say), then what to
    do for its level, worded exactly as the rule's own lines are: one whole
    sentence per level, so each language can word it its own way."""
    sign = sign.rstrip(".")
    signs = sign[:1].upper() + sign[1:]
    if care is Care.EMERGENCY:
        return _("{signs}: call {numbers} now.").format(
            signs=signs, numbers=emergency_numbers(contacts))
    if care is Care.SAME_DAY:
        return _("{signs}: get help today. {service}.").format(
            signs=signs, service=_(contacts.same_day))
    return _("{signs}: see your GP (family doctor) in the next few days.").format(signs=signs)


def where_to_go(contacts: Contacts) -> tuple[str, str]:
    """The emergency line and the same-day line, in that order: every card
    that says where to go shows both, so none can disagree with another."""
    return line(Care.EMERGENCY, contacts), line(Care.SAME_DAY, contacts)
