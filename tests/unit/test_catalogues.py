"""The translations are complete and in step with the code: a sentence added
or changed in the code fails here until ``python scripts/catalogues.py`` has
merged it and a translator has filled it in."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from coach.core import i18n

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = sorted(p.name for p in (ROOT / "coach" / "locale").iterdir() if p.is_dir())
MNEMONIC = re.compile(r"&\w")
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def catalogue(language: str) -> Catalog:
    with (ROOT / "coach" / "locale" / language / "LC_MESSAGES" / "coach.po").open("rb") as f:
        return read_po(f)


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def test_russian_is_shipped() -> None:
    assert "ru" in LANGUAGES
    assert "ru" in i18n.available()


def test_the_catalogues_match_the_code() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogues.py"),
                             "--check"], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, (
        result.stdout + result.stderr + "\nrun: python scripts/catalogues.py")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sentence_is_translated(language: str) -> None:
    messages: list[Message] = [m for m in catalogue(language) if m.id]
    assert messages
    missing = [m.id for m in messages if not all(forms(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert missing == [], f"{len(missing)} untranslated"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy (check, then remove the fuzzy flag)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_its_placeholders(language: str) -> None:
    """A lost ``{minutes}`` would print a sentence without its number; a
    misspelt one would raise KeyError on screen."""
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        wanted = {name for text in forms(message.id) for name in PLACEHOLDER.findall(text)}
        for text in forms(message.string):
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                wrong.append((message.id, text))
            # One plural form may leave out {n} ("одну минуту"), but a
            # singular sentence must keep every other field.
            if text and isinstance(message.id, str) and set(
                    PLACEHOLDER.findall(text)) != wanted:
                wrong.append((message.id, text))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_sentences_have_every_form(language: str) -> None:
    cat = catalogue(language)
    for message in cat:
        if message.id and message.pluralizable:
            assert len(forms(message.string)) == cat.num_plurals, message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_mnemonics_and_line_breaks_survive(language: str) -> None:
    for message in catalogue(language):
        if not message.id or not isinstance(message.id, str):
            continue
        text = forms(message.string)[0]
        # "&Save" underlines S for Alt+S; "Foot & toes" is just an ampersand.
        assert bool(MNEMONIC.search(message.id)) == bool(MNEMONIC.search(text)), message.id
        assert message.id.count("\n") == text.count("\n"), message.id
