from __future__ import annotations

from datetime import datetime, timezone

from coach.core.emergency import Outcome
from coach.core.episodes import draft

STARTED = datetime(2026, 3, 2, 2, 10, tzinfo=timezone.utc)


def test_draft_carries_what_the_session_knows() -> None:
    episode = draft(Outcome("thigh-back", STARTED, 192.34, ("lean", "massage"), False))
    assert (episode.place, episode.duration_s, episode.steps_used) == (
        "thigh-back", 192.3, ("lean", "massage"))
    assert episode.side == "unknown" and episode.severity is None and not episode.symptoms


def test_clot_signs_become_swelling_for_the_red_flags() -> None:
    episode = draft(Outcome("calf", STARTED, 30, (), True))
    assert episode.symptoms == {"swelling"} and "clot" in episode.notes


def test_unknown_protocols_are_other() -> None:
    assert draft(Outcome("water", STARTED, 5, (), False)).place == "other"
