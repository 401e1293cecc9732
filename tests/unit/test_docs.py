"""The architecture map stays true: every module it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"`(coach/[\w/]+\.py|coach/[\w/]+/)`")


def named_paths(document: str) -> list[str]:
    return NAMED.findall((ROOT / "docs" / document).read_text(encoding="utf-8"))


def test_every_module_the_architecture_names_exists() -> None:
    named = named_paths("architecture.md")
    assert len(named) > 30, "the map should name the modules it describes"
    missing = [path for path in named if not (ROOT / path).exists()]
    assert missing == []


def test_every_module_the_glossary_names_exists() -> None:
    missing = [path for path in named_paths("glossary.md") if not (ROOT / path).exists()]
    assert missing == []


def test_the_night_rules_the_glossary_names_are_the_code_s() -> None:
    from coach.core import insights, nighttime, schedule

    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert f"{nighttime.NIGHT_STARTS_HOUR:02d}:00 to {nighttime.NIGHT_ENDS_HOUR:02d}:00" in text
    assert f"from {schedule.DAY_BREAK:%H:%M} one day" in text
    assert f"from {insights.NIGHT_ROLLOVER_HOUR:02d}:00 one day" in text
