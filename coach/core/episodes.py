"""Turning an emergency session into a diary entry.

The quick log after a cramp must take at most three taps, so everything the
session already knows (where, when, how long, which steps) is filled in here
and the person only adds what only they know.
"""

from __future__ import annotations

from coach.core.diary import PLACES, Episode
from coach.core.emergency import Outcome
from coach.core.i18n import N_, _

_PLACE_OF_PROTOCOL = {"calf": "calf", "foot": "foot", "thigh-front": "thigh-front",
                      "thigh-back": "thigh-back"}

CLOT_NOTE = N_("Answered yes to the blood-clot check (swollen, warm or red leg, or "
                "breathless).")
"""The entry's note, written in the language the app speaks when it is logged."""


def draft(outcome: Outcome) -> Episode:
    """The entry as far as the session knows it. A "yes" to the clot check is
    kept as swelling, so the red-flag rules see it."""
    place = _PLACE_OF_PROTOCOL.get(outcome.protocol_id, "other")
    assert place in PLACES
    return Episode(
        started=outcome.started, duration_s=round(outcome.duration_s, 1), place=place,
        side="unknown", steps_used=outcome.steps_used, steps_other_way=outcome.steps_other_way,
        symptoms=frozenset({"swelling"}) if outcome.clot_signs else frozenset(),
        notes=_(CLOT_NOTE) if outcome.clot_signs else "",
    )
