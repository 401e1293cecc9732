"""How diary values read to a person: one wording for the screens, the PDF
report and anything else, so the same entry never reads two ways."""

from __future__ import annotations

from typing import Final

PLACE_LABELS: Final = {"calf": "Calf", "foot": "Foot & toes", "thigh-front": "Front of thigh",
                       "thigh-back": "Back of thigh", "other": "Other"}
SIDE_LABELS: Final = {"unknown": "Not noted", "left": "Left leg", "right": "Right leg",
                      "both": "Both legs"}
TRIGGER_LABELS: Final = {"hard_day": "A hard day on my legs", "heat": "Heat or sweating",
                         "little_water": "Little to drink", "new_shoes": "New shoes or heels",
                         "cold": "Cold"}
MEDICINE_LABELS: Final = {"diuretic": "Water tablets (diuretic)", "statin": "A statin",
                          "other": "Another medicine"}
SYMPTOM_LABELS: Final = {"swelling": "Swelling", "numbness": "Numbness", "weakness": "Weakness"}
