"""The bedside card: emergency mode on paper, for the night the computer is off.

The card says what the guide would say to this person at night: the same
steps (seated first, nothing their safety profile rules out), the clot
question, and where to go with their own numbers. It is built here from the
content and the rules, never retyped, so the paper and the screen agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.core import care
from coach.core.countries import Contacts
from coach.core.emergency import shown_steps
from coach.core.i18n import N_, _
from coach.core.model import Action, Library
from coach.core.profile import Condition

TITLE = N_("If a cramp wakes you")
FOOTER = N_("Cramp Coach · general first aid for ordinary leg cramps, not a diagnosis")
"""The card's own words, in English: :func:`bedside_card` words them in the
current language."""
MOVES_PER_PLACE = 6


@dataclass(frozen=True)
class CardPlace:
    title: str
    image: str | None
    """Relative to the assets folder."""
    moves: tuple[str, ...]


@dataclass(frozen=True)
class BedsideCard:
    title: str
    places: tuple[CardPlace, ...]
    clot_title: str
    clot_question: str
    emergency: str
    same_day: str
    footer: str


def bedside_card(library: Library, profile: frozenset[Condition],
                 contacts: Contacts) -> BedsideCard:
    places = []
    for protocol in library.protocols:
        if protocol.read_ahead:
            continue
        steps, _left_out = shown_steps(protocol, profile, night=True)
        doing = [s for s in steps if s.step.action is not Action.INFO][:MOVES_PER_PLACE]
        moves = tuple(str(s.instruction) for s in doing)
        image = next((s.image for s in doing if s.image), protocol.image)
        places.append(CardPlace(str(protocol.title), image, moves))
    check = library.clot_check
    emergency, same_day = care.where_to_go(contacts)
    return BedsideCard(
        title=_(TITLE), places=tuple(places),
        clot_title=str(check.title) if check else "",
        clot_question=str(check.question) if check else "",
        emergency=emergency, same_day=same_day, footer=_(FOOTER))
