"""How diary values read to a person: one wording for the screens, the PDF
report and anything else, so the same entry never reads two ways.

The tables hold the English, marked for the catalogue; they are made at
import time, so they are translated where shown: ask :func:`place_label` and
its siblings (or :func:`label`), which word them in the current language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from coach.core.i18n import N_, _

PLACE_LABELS: Final = {
    # Translators: where in the leg a cramp was (a diary entry's place).
    "calf": N_("Calf"),
    "foot": N_("Foot & toes"),
    "thigh-front": N_("Front of thigh"),
    "thigh-back": N_("Back of thigh"),
    # Translators: a cramp's place: another part of the leg than those listed.
    "other": N_("Other"),
}
SIDE_LABELS: Final = {
    # Translators: which leg a cramp was in, when the person did not say.
    "unknown": N_("Not noted"),
    "left": N_("Left leg"),
    "right": N_("Right leg"),
    "both": N_("Both legs"),
}
TRIGGER_LABELS: Final = {
    "hard_day": N_("A hard day on my legs"),
    "heat": N_("Heat or sweating"),
    "little_water": N_("Little to drink"),
    "new_shoes": N_("New shoes or heels"),
    # Translators: what may have brought a cramp on: being cold.
    "cold": N_("Cold"),
}
MEDICINE_LABELS: Final = {
    "diuretic": N_("Water tablets (diuretic)"),
    "statin": N_("A statin"),
    "other": N_("Another medicine"),
}
SYMPTOM_LABELS: Final = {
    # Translators: something noticed in the leg with a cramp (also "Numbness", "Weakness").
    "swelling": N_("Swelling"),
    "numbness": N_("Numbness"),
    "weakness": N_("Weakness"),
}


def label(labels: Mapping[str, str], key: str) -> str:
    """The label for ``key`` in one of the tables above, in the current
    language; an id the table does not know (from a newer version) as it is."""
    english = labels.get(key)
    return key if english is None else _(english)


def labels(table: Mapping[str, str]) -> dict[str, str]:
    """A whole table in the current language, in its order: for a list of
    choices."""
    return {key: _(english) for key, english in table.items()}


def place_label(key: str) -> str:
    return label(PLACE_LABELS, key)


def side_label(key: str) -> str:
    return label(SIDE_LABELS, key)


def medicine_label(key: str) -> str:
    return label(MEDICINE_LABELS, key)
