"""Content safety filters: what the shipped content may never say, in English
and in Russian (the seed articles are Russian, so a future translation must
not bring their folk advice back).

* Needles, pins and pricking the muscle: never, not even as a warning.
* Quinine, alcohol, vodka, spirit, tinctures: a warning may name them
  ("quinine is no longer recommended because of serious side effects"), but
  never advice to take them or rub them on. A sentence naming one must carry a
  warning, and any verb of using them in it must be negated.
* Doses: no number with a unit of medicine (mg, g, ml, IU, tablets, drops...),
  and no talk of doses.

The filters test themselves below (strings that must be caught, strings that
must pass, in both languages), then run over every user-facing string of the
shipped content and every line of the shipped files.
"""

from __future__ import annotations

import re

import pytest

from coach import resources
from coach.core.loader import load_library
from coach.core.model import Library
from coach.core.sources import content_files
from tests.unit.test_shipped_content import strings_in

# -- the filters -------------------------------------------------------------------

NEEDLES = re.compile(
    r"\b(?:needles?|pins?|hairpins?|safety[- ]pins?|prick\w*|acupunct\w*"
    r"|игл\w*|иголк\w*|булавк\w*|шпильк\w*|уколо\w*|уколи\w*|проколи\w*)\b",
    re.IGNORECASE,
)
"""Pricking the cramped muscle: the seeds' most dangerous advice."""

SUBSTANCE = re.compile(
    r"\b(?:quinine|alcohol\w*|vodka|spirits?|tinctures?"
    r"|хинин\w*|водк\w*|спирт\w*|алкогол\w*|настойк\w*)\b",
    re.IGNORECASE,
)
"""May be named only in a warning."""

_USE = (r"(?:take|takes|taking|took|drink|drinks|drinking|rub|rubs|rubbing|apply|applies"
        r"|applying|use|uses|using|try|trying|massage|massaging|soak|soaking|compress\w*"
        r"|принима\w*|прими\w*|прием\w*|приём\w*|выпе\w*|выпи\w*|пей\w*|пить|пьют|натр\w*|натир\w*"
        r"|натер\w*|растир\w*|разотр\w*|втир\w*|смаз\w*|смаж\w*|компресс\w*|использ\w*"
        r"|примен\w*)")
USE = re.compile(rf"\b{_USE}\b", re.IGNORECASE)
NEGATED_USE = re.compile(
    rf"\b(?:do not|don't|dont|never|no need to|avoid|stop|не|нельзя|никогда не|избегайте)"
    rf"\s+(?:\w+\s+){{0,2}}?{_USE}\b",
    re.IGNORECASE,
)
WARNING = re.compile(
    r"\b(?:no longer (?:recommended|advised|used)|not (?:recommended|advised|safe|proven)"
    r"|not be used|serious side effects?|side effects?|dangerous|harmful|do not|don't|never"
    r"|avoid|больше не (?:рекоменду|назнача|применя)\w*|не рекоменду\w*|не советую\w*"
    r"|опас\w*|вред\w*|побочн\w*|нельзя|никогда не|не (?:принимайте|пейте|используйте"
    r"|натирайте|растирайте|применяйте)|избегайте)",
    re.IGNORECASE,
)

_NUMBER = (r"(?:\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?"
           r"|one|two|three|four|five|six|seven|eight|nine|ten|half an?|a couple of"
           r"|один|одн[аоуй]\w*|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять"
           r"|пол|половин\w*)")
_UNIT = (r"(?:mg|mcg|µg|micrograms?|milligrams?|g|grams?|grammes?|kg|ml|millilit\w*|l|litres?"
         r"|liters?|iu|units?|tablets?|tabs?|pills?|capsules?|caps|drops?|sachets?|ampoules?"
         r"|ampules?|teaspoons?(?:ful)?|tablespoons?(?:ful)?|tsp|tbsp|spoons?(?:ful)?"
         r"|мг|мкг|г|гр|грамм\w*|кг|мл|л|литр\w*|ме|ед|единиц\w*|таблет\w*|капсул\w*"
         r"|капел\w*|капл\w*|кап|пакетик\w*|саше|ампул\w*|ложк\w*|драже)")
DOSE = re.compile(
    rf"(?<![\w-]){_NUMBER}\s*{_UNIT}(?!\w)|\b(?:dos(?:e|es|ed|ing|age|ages)|доз\w*)\b",
    re.IGNORECASE,
)
"""A number with a unit of medicine, or talk of doses."""

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def substance_advice(text: str) -> str | None:
    """The first sentence that names quinine, alcohol and the like other than in
    a warning: with no warning in it, or with a verb of using it not negated."""
    for sentence in sentences(text):
        if not SUBSTANCE.search(sentence):
            continue
        if not WARNING.search(sentence):
            return sentence
        uses = {m.start() for m in USE.finditer(sentence)}
        negated = set()
        for m in NEGATED_USE.finditer(sentence):
            verb = USE.search(sentence, m.start(), m.end())
            while verb is not None and verb.end() < m.end():
                verb = USE.search(sentence, verb.end(), m.end())
            if verb is not None:
                negated.add(verb.start())
        if uses - negated:
            return sentence
    return None


def problems(text: str) -> list[str]:
    """Everything the filters object to in one text."""
    found = [f"needle: {m.group(0)!r}" for m in NEEDLES.finditer(text)]
    found += [f"dose: {m.group(0)!r}" for m in DOSE.finditer(text)]
    if (sentence := substance_advice(text)) is not None:
        found.append(f"advice to use: {sentence!r}")
    return found


# -- the filters test themselves ------------------------------------------------------

MUST_BE_CAUGHT = [
    # needles and pricking
    "Prick it with a PIN",
    "Keep a safety pin in your swimming trunks.",
    "a needle applicator",
    "Уколите мышцу иглой.",
    "Носите булавку в плавках.",
    "Кольните шпилькой или иголкой.",
    # advice to take or rub on quinine or alcohol
    "Quinine helps night cramps.",
    "Take quinine at bedtime.",
    "Rub the calf with vodka.",
    "A compress with alcohol eases the cramp.",
    "Try a wormwood tincture on the legs; it is not harmful.",
    "Don't worry, rub a little vodka on the calf.",
    "Vodka compresses are an old and trusted cure.",
    "Quinine is no longer recommended, but you can take it if nothing else works.",
    "Хинин помогает от судорог.",
    "Принимайте хинин на ночь.",
    "Натрите икры водкой.",
    "Компресс со спиртом снимает спазм.",
    "Настойка на водке: растирайте ноги перед сном.",
    "Спирт не опасен, натирайте им икры.",
    # doses
    "200 mg",
    "Take 2 tablets twice a day.",
    "a 5 ml spoon",
    "1000 IU of vitamin D",
    "10 drops in water",
    "two tablets at night",
    "half a teaspoon of salt",
    "the dose",
    "Magvital 365 mg",
    "По 1 таблетке два раза в день.",
    "200 мг магния",
    "10 капель на стакан воды",
    "две таблетки на ночь",
    "5 мл раствора",
    "Соблюдайте дозировку.",
]

MUST_PASS = [
    "pinch the muscle",
    "spine",
    "spinning",
    "magnesium",
    "doesn't",
    "Water tablets (diuretics) can bring on cramps.",
    "Hold for 30 seconds, 2 times.",
    "Stand 40-50 cm from the wall.",
    "Ten minutes with your feet in warm water.",
    "The muscle may be tender for up to 24 hours.",
    "Quinine is no longer recommended because of serious side effects.",
    "Quinine is not recommended for ordinary night cramps.",
    "Don't rub vodka or alcohol on your legs.",
    "Never take quinine unless a doctor prescribed it.",
    "Avoid alcohol in the evening.",
    "Хинин больше не рекомендуется из-за серьёзных побочных эффектов.",
    "Не натирайте ноги водкой или спиртом.",
    "Алкоголь вреден при судорогах.",
    "Избегайте алкоголя вечером.",
    "Держите 30 секунд, 2 раза.",
    "Мочегонные таблетки могут вызывать судороги.",
    "Щипните мышцу несколько раз.",
    "Английская речь",
]


@pytest.mark.parametrize("text", MUST_BE_CAUGHT)
def test_the_filters_catch_what_they_should(text: str) -> None:
    assert problems(text), text


@pytest.mark.parametrize("text", MUST_PASS)
def test_the_filters_let_warnings_and_ordinary_words_pass(text: str) -> None:
    assert problems(text) == [], text


# -- the filters run over the shipped content -------------------------------------------

@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([resources.exercises_dir()], resources.assets_dir())


def test_no_shipped_text_pricks_doses_or_advises_quinine_or_alcohol(library: Library) -> None:
    strings = list(strings_in(library))
    assert len(strings) > 100
    found = [(s, p) for s in strings for p in problems(s)]
    assert found == []


def test_no_needle_or_dose_even_in_the_raw_files() -> None:
    """Comments and keys too. (Warnings are judged by sentence on the loaded
    text above; a folded sentence is split across lines here.)"""
    for path in content_files([resources.exercises_dir()]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not NEEDLES.search(line), f"{path.name}:{number}: {line.strip()}"
            assert not DOSE.search(line), f"{path.name}:{number}: {line.strip()}"
