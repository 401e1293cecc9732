"""The content Cramp Coach ships: it loads cleanly, it is complete, and it keeps
the promises made in docs/content-sources.md (no massage for people with
varicose veins or a clot history, no heat for people with numb feet, a seated
version of standing steps, sources a person recognises, plain words). The
word filters (needles, doses, quinine and alcohol only in warnings) live in
test_content_safety.py."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import resources
from coach.core.care import URGENT_AFTER_S
from coach.core.loader import load_library
from coach.core.model import (
    Action,
    Caution,
    Exercise,
    Library,
    Sides,
    Step,
    Text,
    Tip,
)
from coach.core.sources import content_files

EXPECTED_PLACES = ["calf", "foot", "thigh-front", "thigh-back", "water"]

# The player's fixed gaps (see the routine description and the schema README):
GET_READY_S = 5  # once, before the first exercise
RELAX_S = 5  # between two holds of the same exercise on the same side
SWITCH_S = 5  # between the left and the right side of a `sides: each` exercise

HEAT = re.compile(
    r"\b(heat\w*|hot[- ]water|warm water|baths?|showers?|compress\w*|soak\w*|heating pads?)\b",
    re.IGNORECASE,
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "content-sources.md"

# Every name a `source:` may show. docs/content-sources.md lists each one (in
# backticks) and says what it is and how it was checked.
GUIDELINE_BODIES = {
    "NHS",  # the NHS website and NHS services in the UK
    "HSE",  # Ireland's health service
    "NICE CKS",  # NICE Clinical Knowledge Summaries
    "AAFP",  # American Academy of Family Physicians (American Family Physician)
    "RNLI",  # the UK and Irish lifeboat charity: water safety
}
CLINICS = {
    "Mayo Clinic",  # Mayo Clinic patient self-care pages: professional advice, not a guideline
}
STUDIES = {"Cochrane", "Hallegraeff 2012", "Coppin 2005"}
PLAIN_NAMES = {
    "Physiotherapy advice",  # ordinary exercises physiotherapists teach
    "Popular health advice",  # the seed articles, when they are the main basis
}
KNOWN_SOURCES = GUIDELINE_BODIES | CLINICS | STUDIES | PLAIN_NAMES
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
# Per language: every language a `supported` text is written in needs both.
SITTING_OR_LYING = {
    "en": re.compile(r"\b(sit|sits|sitting|seated|lie|lies|lying)\b", re.IGNORECASE),
    "ru": re.compile(r"\b(сяд\w*|сид\w*|сесть|ляг\w*|леж\w*|лёж\w*)", re.IGNORECASE),
}
STANDING_OR_WALKING = {
    "en": re.compile(r"\b(stand\w*|walk\w*|step back)\b", re.IGNORECASE),
    "ru": re.compile(r"\b(вста[нвё]\w*|сто[яйи]\w*|ход\w*|пройд\w*|шаг\w*)",
                     re.IGNORECASE),
}
WALKING_EXERCISES = {"heel-toe-walk"}
FORBIDDEN_SVG = {"style", "filter", "mask", "clipPath", "linearGradient", "radialGradient",
                 "pattern", "text", "image", "script", "foreignObject", "use"}
ALLOWED_SVG = {"svg", "g", "path", "line", "circle", "ellipse", "rect", "polyline", "polygon"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([resources.exercises_dir()], resources.assets_dir())


def all_steps(library: Library) -> Iterator[Step]:
    for protocol in library.protocols:
        yield from protocol.steps


def all_tips(library: Library) -> Iterator[Tip]:
    yield from library.tips
    yield from library.aftercare


def strings_in(value: object) -> Iterator[str]:
    """Every user-facing string inside a content object, in every language."""
    if isinstance(value, Text):
        for _language, string in value.values:
            yield string
    elif isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from strings_in(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name))


def planned_seconds(library: Library, routine_id: str) -> float:
    """The routine's length, spelled out: holds x reps, a relax between repeated
    holds, both sides plus a switch for `each`, tempo x reps, and the rest
    between exercises (not after the last one)."""
    routine = library.routine(routine_id)
    total: float = GET_READY_S
    for index, item in enumerate(routine.items):
        exercise = library.exercise(item.exercise)
        reps = item.reps if item.reps is not None else exercise.reps
        one_side: float
        if exercise.hold is not None:
            hold = item.hold if item.hold is not None else exercise.hold
            one_side = hold * reps + RELAX_S * (reps - 1)
        else:
            assert exercise.tempo is not None
            one_side = exercise.tempo * reps
        if exercise.sides is Sides.EACH:
            total += one_side + SWITCH_S + one_side
        else:
            total += one_side
        if index < len(routine.items) - 1:
            total += item.rest if item.rest is not None else routine.rest
    return total


def referenced_images(library: Library) -> set[str]:
    images = {p.image for p in library.protocols if p.image}
    images |= {s.image for s in all_steps(library) if s.image}
    images |= {s.supported_image for s in all_steps(library) if s.supported_image}
    images |= {e.image for e in library.exercises if e.image}
    images |= {e.supported_image for e in library.exercises if e.supported_image}
    return images


# -- it loads ------------------------------------------------------------------

def test_every_shipped_file_loads_without_errors(library: Library) -> None:
    assert [str(e) for e in library.errors] == []
    assert library.skipped_files == ()
    assert len(content_files([resources.exercises_dir()])) >= 4


# -- it is complete --------------------------------------------------------------

def test_the_five_places_come_in_order(library: Library) -> None:
    assert [p.id for p in library.protocols] == EXPECTED_PLACES
    assert [p.order for p in library.protocols] == [1, 2, 3, 4, 5]
    assert [p.read_ahead for p in library.protocols] == [False, False, False, False, True]
    for protocol in library.protocols:
        assert protocol.image == f"images/place_{protocol.id.replace('-', '_')}.svg"
        assert len(protocol.steps) >= 3, protocol.id


def test_calf_protocol_starts_with_the_guideline_stretch(library: Library) -> None:
    first = library.protocol("calf").steps[0]
    assert first.action is Action.STRETCH
    assert first.hold == 30 and first.reps == 2
    assert first.provenance.evidence.value == "guideline"
    assert "NHS" in first.provenance.source


def test_there_are_at_least_twelve_exercises(library: Library) -> None:
    assert len(library.exercises) >= 12


def test_the_three_routines_exist(library: Library) -> None:
    ids = {r.id for r in library.routines}
    assert {"bedtime", "desk-break", "gentle"} <= ids
    assert library.routine("bedtime").source


def test_aftercare_and_tips_are_there(library: Library) -> None:
    assert len(library.aftercare) >= 5
    assert len(library.tips) >= 8


# -- routines -----------------------------------------------------------------------

def test_bedtime_routine_takes_five_to_eight_minutes(library: Library) -> None:
    seconds = planned_seconds(library, "bedtime")
    assert 5 * 60 <= seconds <= 8 * 60, seconds


def test_bedtime_routine_length_is_spelled_out(library: Library) -> None:
    # wall calf stretch 20 s x 3, each side: 2 x (60 + 2 x 5) + 5 = 145
    # standing back-of-thigh stretch, the same:                     145
    # towel calf stretch 20 s x 2, each side: 2 x (40 + 5) + 5     =  95
    # get ready 5, two rests of 15                                  =  35
    assert planned_seconds(library, "bedtime") == 145 + 145 + 95 + 5 + 2 * 15 == 420


LENGTH_OR_HOLD = re.compile(r"\b(?:about|around)\s+\d+\s+minutes?\b|\bhold for \d+ seconds?\b"
                            r"|\bоколо\s+\d+\s+минут|\bна\s+\d+\s+секунд", re.IGNORECASE)


def test_no_text_restates_a_length_the_plan_decides(library: Library) -> None:
    """A routine's length and a hold's seconds come from the plan, which the
    person's get-ready, safety profile and a routine's own holds change: a
    description saying "About 7 minutes" or a step saying "hold for 10
    seconds" could only disagree with the countdown."""
    texts = [*((f"routine {r.id}", r.description) for r in library.routines),
             *((f"exercise {e.id}", e.steps) for e in library.exercises)]
    found = [(where, text) for where, value in texts for text in strings_in(value)
             if LENGTH_OR_HOLD.search(text)]
    assert found == []


URGENT_WORDS = re.compile(r"\blasts? (?:over|longer than|more than) (\d+) minutes?"
                          r"|\bдлится (?:дольше|более) (\d+) минут", re.IGNORECASE)


def test_a_text_that_names_the_urgent_length_names_the_care_rule(library: Library) -> None:
    """A tip may tell a person when a cramp has gone on too long; the length
    is the care rule's (the urgent card, the disclaimer), so when the rule
    changes this fails until the words follow it."""
    rule = round(URGENT_AFTER_S / 60)
    named = [int(a or b) for _where, text in library_texts(library)
             for string in strings_in(text) for a, b in URGENT_WORDS.findall(string)]
    assert named, "no shipped text names the urgent length: the pattern has gone stale"
    assert set(named) == {rule}


def test_bedtime_stretches_both_calves_and_hamstrings(library: Library) -> None:
    ids = [item.exercise for item in library.routine("bedtime").items]
    assert any("calf" in i for i in ids)
    assert any("hamstring" in i for i in ids)


def test_planned_length_matches_the_player_when_it_is_there(library: Library) -> None:
    timetable = pytest.importorskip("coach.core.timetable")
    for routine in library.routines:
        plan = timetable.build_plan(routine, library.exercise, GET_READY_S)
        assert plan.total == pytest.approx(planned_seconds(library, routine.id)), routine.id


def test_gentle_routine_has_nothing_flagged_for_pregnancy_or_balance(library: Library) -> None:
    for item in library.routine("gentle").items:
        exercise = library.exercise(item.exercise)
        assert not exercise.cautions & {Caution.PREGNANCY, Caution.BALANCE}, exercise.id


# -- safety ---------------------------------------------------------------------------

def test_every_massage_step_is_hidden_for_varicose_veins_and_clots(library: Library) -> None:
    massage = [s for s in all_steps(library) if s.action is Action.MASSAGE]
    assert massage, "expected massage steps"
    for step in massage:
        assert {Caution.VARICOSE_VEINS, Caution.CLOT_HISTORY} <= step.cautions, step.id


def test_every_heat_step_and_tip_is_hidden_for_neuropathy(library: Library) -> None:
    for step in all_steps(library):
        if step.action is Action.HEAT or any(HEAT.search(s) for s in strings_in(step)):
            assert Caution.NEUROPATHY in step.cautions, step.id
    heat_tips = [t for t in all_tips(library) if any(HEAT.search(s) for s in strings_in(t))]
    assert heat_tips, "expected the warm foot bath tips"
    for tip in heat_tips:
        assert Caution.NEUROPATHY in tip.cautions, tip.id


def is_walking(item: Step | Exercise) -> bool:
    if isinstance(item, Step):
        return item.action is Action.WALK
    return item.id in WALKING_EXERCISES


def test_flagged_advice_always_has_a_supported_version(library: Library) -> None:
    """Pregnancy always needs one. A standing step (`balance`) needs one
    wherever a sitting or lying version makes sense; walking has none, so the
    app leaves it out for someone unsteady on their feet."""
    items: list[Step | Exercise] = [*all_steps(library), *library.exercises]
    for item in items:
        if Caution.PREGNANCY in item.cautions:
            assert item.supported is not None, item.id
        if Caution.BALANCE in item.cautions and is_walking(item):
            assert item.supported is None, f"{item.id}: walking has no seated version"
        elif Caution.BALANCE in item.cautions:
            assert item.supported is not None, item.id


def test_every_supported_version_has_a_drawing_of_its_own(library: Library) -> None:
    """Those who get it (unsteady, pregnant) are the ones a picture helps
    most; without one they saw no picture at all."""
    items: list[Step | Exercise] = [*all_steps(library), *library.exercises]
    undrawn = [item.id for item in items
               if item.supported is not None and item.supported_image is None]
    assert undrawn == []


def test_the_supported_version_of_a_standing_step_is_done_sitting_or_lying(
        library: Library) -> None:
    """Shown first at night and to people unsteady on their feet: it must not be
    another standing version."""
    items: list[Step | Exercise] = [*all_steps(library), *library.exercises]
    checked = 0
    for item in items:
        if Caution.BALANCE in item.cautions and item.supported is not None:
            for language, text in item.supported.values:
                assert SITTING_OR_LYING[language].search(text), f"{item.id}: {text}"
                assert not STANDING_OR_WALKING[language].search(text), f"{item.id}: {text}"
            checked += 1
    assert checked >= 8


def test_walking_steps_come_in_every_place_on_land_without_a_seated_version(
        library: Library) -> None:
    walks = [s for s in all_steps(library) if s.action is Action.WALK]
    assert len(walks) == 4
    for step in walks:
        assert Caution.BALANCE in step.cautions and step.supported is None, step.id


def test_emergency_instructions_are_short_enough_for_big_type(library: Library) -> None:
    for step in all_steps(library):
        assert len(str(step.instruction)) <= 70, step.id


def source_names(source: str) -> list[str]:
    return [part.strip() for part in source.split(";")]


def all_sources(library: Library) -> list[str]:
    sources = [s.provenance.source for s in all_steps(library)]
    sources += [e.provenance.source for e in library.exercises]
    sources += [t.provenance.source for t in all_tips(library)]
    sources += [r.source for r in library.routines if r.source]
    return sources


def test_every_source_names_only_known_sources(library: Library) -> None:
    """The in-app source line shows names a person recognises, never a seed
    article's file name; the seeds are listed item by item in the docs."""
    for source in all_sources(library):
        names = source_names(source)
        assert not SEED_FILE.search(source), source
        assert all(names), f"empty name in {source!r}"
        assert len(names) == len(set(names)), f"repeated name in {source!r}"
        for name in names:
            assert name in KNOWN_SOURCES, f"{name!r} in {source!r}"


def test_the_docs_list_every_known_source() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name in sorted(KNOWN_SOURCES):
        assert f"`{name}`" in docs, name


def test_every_known_source_is_used(library: Library) -> None:
    used = {name for source in all_sources(library) for name in source_names(source)}
    assert used == KNOWN_SOURCES


def test_guideline_evidence_always_cites_a_guideline_body(library: Library) -> None:
    provenances = [s.provenance for s in all_steps(library)]
    provenances += [e.provenance for e in library.exercises]
    provenances += [t.provenance for t in all_tips(library)]
    for provenance in provenances:
        if provenance.evidence.value == "guideline":
            assert set(source_names(provenance.source)) & GUIDELINE_BODIES, provenance.source


def test_no_exercise_is_called_a_traditional_remedy(library: Library) -> None:
    for exercise in library.exercises:
        assert exercise.provenance.evidence.value in {"mixed", "expert"}, exercise.id


def user_facing_texts(library: Library) -> Iterator[tuple[str, Text]]:
    """Titles, steps, summaries, descriptions and tips: what a person reads
    (ids may keep technical words)."""
    for protocol in library.protocols:
        yield protocol.id, protocol.title
        if protocol.summary:
            yield protocol.id, protocol.summary
        for step in protocol.steps:
            for text in (step.instruction, step.how, step.supported):
                if text is not None:
                    yield f"{protocol.id}/{step.id}", text
    for exercise in library.exercises:
        for text in (exercise.title, *exercise.steps, exercise.supported):
            if text is not None:
                yield exercise.id, text
    for routine in library.routines:
        for text in (routine.title, routine.description):
            if text is not None:
                yield routine.id, text
    for tip in all_tips(library):
        yield tip.id, tip.title
        yield tip.id, tip.text


def test_plain_words(library: Library) -> None:
    """"Back of the thigh", not "hamstring"; a phlebologist is named as a vein
    specialist; a statin is said to lower cholesterol."""
    for where, text in user_facing_texts(library):
        for string in strings_in(text):
            assert not re.search(r"hamstring", string, re.IGNORECASE), (where, string)
            if re.search(r"phlebologist", string, re.IGNORECASE):
                assert "vein specialist (phlebologist)" in string, (where, string)
            if re.search(r"\bstatins?\b", string, re.IGNORECASE):
                assert re.search(r"lowers? cholesterol", string), (where, string)


# -- Russian --------------------------------------------------------------------------
# Every text is written in English and Russian (issue 11, section 2); how the
# Russian was written, and its glossary: docs/content-sources.md, "Russian text".

MAX_RU_INSTRUCTION_CHARS = 90
"""A Russian step instruction in 30-pt type (the English limit is 70)."""
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def every_text(value: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every text field inside a content object, named by its section and ids."""
    if isinstance(value, Text):
        yield where, value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from every_text(item, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        item_id = getattr(value, "id", None)
        if isinstance(item_id, str):
            where = f"{where}/{item_id}"
        for field in dataclasses.fields(value):
            yield from every_text(getattr(value, field.name), where)


def library_texts(library: Library) -> list[tuple[str, Text]]:
    return [pair for field in dataclasses.fields(library)
            for pair in every_text(getattr(library, field.name), field.name)]


def test_every_shipped_text_is_in_english_and_russian(library: Library) -> None:
    texts = library_texts(library)
    assert len(texts) > 200
    assert {where.split("/")[0] for where, _ in texts} == {
        "protocols", "exercises", "routines", "tips", "aftercare", "clot_check",
        "night_safety", "warning_signs"}
    for where, text in texts:
        table = dict(text.values)
        assert table.get("en", "").strip(), (where, text.values)
        assert table.get("ru", "").strip(), (where, table["en"])


def test_the_russian_is_written_not_copied(library: Library) -> None:
    for where, text in library_texts(library):
        table = dict(text.values)
        assert table["ru"] != table["en"], (where, table["ru"])
        assert CYRILLIC.search(table["ru"]), (where, table["ru"])


def test_russian_step_instructions_are_short_enough_for_big_type(library: Library) -> None:
    for protocol in library.protocols:
        for step in protocol.steps:
            russian = step.instruction.get("ru")
            assert len(russian) <= MAX_RU_INSTRUCTION_CHARS, (protocol.id, step.id, russian)


def test_the_russian_safety_texts_keep_their_meaning(library: Library) -> None:
    """The calf bulges during a cramp: the clot question sets the cramp aside
    first, in Russian too."""
    check = library.clot_check
    assert check is not None
    assert check.question.get("ru").startswith("Не считая самой судороги")
    assert "беременност" in check.risk.get("ru") and "тромб у вас уже был" in check.risk.get("ru")
    assert library.night_safety is not None
    assert "свет" in library.night_safety.text.get("ru")


def test_plain_words_in_russian(library: Library) -> None:
    """Судорога, not спазм; a phlebologist and a statin are explained, as in
    the English."""
    for where, text in library_texts(library):
        russian = text.get("ru")
        assert not re.search(r"спазм", russian, re.IGNORECASE), (where, russian)
        if re.search(r"флеболог", russian, re.IGNORECASE):
            assert re.search(r"флеболог\w* \(врач\w*, который лечит вены\)", russian), (
                where, russian)
        if re.search(r"\bстатин", russian, re.IGNORECASE):
            assert re.search(r"снижающ\w* холестерин", russian), (where, russian)


# -- pictures -------------------------------------------------------------------------

def test_every_physical_step_has_a_picture(library: Library) -> None:
    for step in all_steps(library):
        if step.action is not Action.INFO:
            assert step.image, step.id


def test_every_referenced_image_is_a_small_plain_svg(library: Library) -> None:
    images = referenced_images(library)
    assert images
    for relative in sorted(images):
        check_svg(resources.asset(relative))


def test_every_shipped_illustration_is_used(library: Library) -> None:
    shipped = {f"images/{p.name}" for p in (resources.assets_dir() / "images").glob("*.svg")}
    assert shipped - referenced_images(library) == set()


def test_the_app_icon_is_a_small_plain_svg() -> None:
    check_svg(resources.icon_path())


def check_svg(path: Path) -> None:
    assert path.suffix == ".svg", path
    assert path.stat().st_size < 4096, f"{path.name} is {path.stat().st_size} bytes"
    root = ET.parse(path).getroot()
    assert root.tag.rsplit("}", 1)[-1] == "svg", path.name
    assert root.get("viewBox"), f"{path.name} has no viewBox"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        assert name not in FORBIDDEN_SVG, f"{path.name}: <{name}>"
        assert name in ALLOWED_SVG, f"{path.name}: <{name}>"
        assert "style" not in element.attrib and "class" not in element.attrib, path.name


def test_the_safety_texts_are_shipped(library: Library) -> None:
    check = library.clot_check
    assert check is not None
    assert str(check.question).startswith("Apart from this cramp")
    assert "pregnancy" in str(check.risk) and "clot before" in str(check.risk)
    assert library.night_safety is not None and "light" in str(library.night_safety.text)
    ids = {sign.id for sign in library.warning_signs}
    assert {"tetanus", "dark-urine", "pain-when-walking", "child"} <= ids
    for sign in library.warning_signs:
        assert set(source_names(sign.provenance.source)) <= KNOWN_SOURCES, sign.id


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_place_has_one_name_on_its_button_and_in_the_diary(
        library: Library, language: str) -> None:
    """A Russian audit's case: the place button said «Икроножная мышца» and
    the quick log, the diary and the report «Икра» for the same calf."""
    from coach.core import i18n
    from coach.core.labels import PLACE_LABELS, place_label

    i18n.set_current(language)
    try:
        for protocol in library.protocols:
            if protocol.id in PLACE_LABELS:
                assert protocol.title.get(language) == place_label(protocol.id), protocol.id
    finally:
        i18n.set_current(i18n.DEFAULT)
