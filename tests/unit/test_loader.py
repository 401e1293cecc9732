"""The content contract: every kind of broken file is caught with its file,
line and field, and one bad file never hides the good ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coach.core.loader import load_library, parse_file
from coach.core.model import Action, Evidence, Side, Sides

GOOD_PROTOCOL = """\
protocols:
  - id: calf
    title: Calf
    order: 1
    steps:
      - id: pull-toes
        instruction: Pull your toes toward you.
        action: stretch
        hold: 30
        reps: 2
        side: both
        image: images/x.svg
        evidence: guideline
        source: NHS
        cautions: [pregnancy]
        supported: Sit on the bed.
        supported_image: images/x.svg
"""

GOOD_EXERCISES = """\
exercises:
  - id: wall
    title: {en: Wall calf stretch, ru: Растяжка у стены}
    steps: [Face a wall., Lean in.]
    hold: 30
    sides: each
    image: images/x.svg
    evidence: mixed
    source: Hallegraeff 2012
  - id: circles
    title: Ankle circles
    steps: [Circle the ankle.]
    tempo: 2
    reps: 10
    image: images/x.svg
    evidence: traditional
    source: 001_7da9b9deb0b1de77.txt
routines:
  - id: bedtime
    title: Bedtime
    rest: 10
    items:
      - wall
      - exercise: circles
        reps: 5
        rest: 0
"""


@pytest.fixture()
def assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "x.svg").write_text("<svg viewBox='0 0 1 1'/>")
    return folder


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path: Path, assets: Path) -> list[str]:
    content, errors = parse_file(path, path.name, assets, shipped=True)
    assert content is None, "a broken file must not produce content"
    return [str(e) for e in errors]


def test_good_files_load_into_typed_objects(tmp_path: Path, assets: Path) -> None:
    content_dir = tmp_path / "c"
    write(content_dir, "a.yaml", GOOD_PROTOCOL)
    write(content_dir, "b.yaml", GOOD_EXERCISES)
    library = load_library([content_dir], assets)
    assert library.errors == ()
    step = library.protocol("calf").steps[0]
    assert (step.hold, step.reps, step.side, step.action) == (30, 2, Side.BOTH, Action.STRETCH)
    assert step.supported_image == "images/x.svg"
    assert step.provenance.evidence is Evidence.GUIDELINE
    wall = library.exercise("wall")
    assert wall.sides is Sides.EACH and wall.title.get("ru") == "Растяжка у стены"
    assert wall.title.get("de") == "Wall calf stretch"  # falls back to English
    routine = library.routine("bedtime")
    assert [i.exercise for i in routine.items] == ["wall", "circles"]
    assert routine.items[1].reps == 5 and routine.items[1].rest == 0


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("protocols:\n  - id: a\n\ttitle: x\n", 3, "tabs"),
        ("routines:\n\t- id: tab\n", 2, "tabs"),  # libyaml's message names no tab here
        ("protocols:\n  - id: a\n   title: x\n", 3, "not valid YAML"),
        ("!!python/object:os.system {}\n", 1, "tags that build objects are refused"),
        ("protocols: !!python/object/apply:os.system ['echo hi']\n", 1, "refused"),
        ("tips:\n  - id: a\n    title: t\n    text: x\n    evidence: guideline\n"
         "    source: NHS\n    colour: red\n", 7, "unknown field 'colour'"),
        ("tips:\n  - id: a\n    title: t\n    txt: x\n    evidence: guideline\n"
         "    source: NHS\n", 4, "did you mean 'text'"),
        ("tips:\n  - id: a\n    title: t\n    evidence: guideline\n    source: NHS\n",
         2, "missing required field 'text'"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: -5\n"
         "    image: images/x.svg\n    evidence: mixed\n    source: s\n", 5, "more than zero"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 0\n"
         "    image: images/x.svg\n    evidence: mixed\n    source: s\n", 5, "more than zero"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: '30'\n"
         "    image: images/x.svg\n    evidence: mixed\n    source: s\n", 5, "whole number"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 5\n"
         "    image: ../../etc/passwd.svg\n    evidence: mixed\n    source: s\n",
         6, "leaves the assets folder"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 5\n"
         "    image: /etc/x.svg\n    evidence: mixed\n    source: s\n",
         6, "leaves the assets folder"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 5\n"
         "    image: images/missing.svg\n    evidence: mixed\n    source: s\n",
         6, "does not exist"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [x]\n    hold: 5\n    tempo: 2\n"
         "    image: images/x.svg\n    evidence: mixed\n    source: s\n", 2, "not both"),
        ("tips:\n  - id: a\n    title: t\n    text: x\n    evidence: folk\n    source: s\n",
         5, "expected one of guideline, mixed, expert, traditional"),
        ("tips:\n  - id: a\n    title: t\n    text: x\n    evidence: mixed\n    source: s\n"
         "  - id: a\n    title: t\n    text: x\n    evidence: mixed\n    source: s\n",
         7, "duplicate id 'a'"),
        ("tips:\n  - id: Bad Id\n    title: t\n    text: x\n    evidence: mixed\n"
         "    source: s\n", 2, "an id is lower-case"),
        ("tips:\n  - id: a\n    id: b\n    title: t\n    text: x\n    evidence: mixed\n"
         "    source: s\n", 3, "given twice"),
        ("protocols:\n  - id: a\n    title: t\n    order: 1\n    steps:\n      - id: s\n"
         "        instruction: " + "x" * 130 + "\n        action: stretch\n"
         "        evidence: mixed\n        source: s\n", 7, "too long for big type"),
        ("protocols:\n  - id: a\n    title: t\n    order: 1\n    steps:\n      - id: s\n"
         "        instruction: Stand\n        action: weight\n        evidence: mixed\n"
         "        source: s\n        supported_image: images/x.svg\n", 11,
         "'supported_image' pictures the 'supported' version, so it needs 'supported'"),
        ("protocols:\n  - id: a\n    title: t\n    order: 1\n    steps:\n      - id: s\n"
         "        instruction: Stand\n        action: weight\n        evidence: mixed\n"
         "        source: s\n        supported: Sit\n"
         "        supported_image: images/missing.svg\n", 12, "does not exist"),
        ("exercises:\n  - id: a\n    title: t\n    steps: [Stand.]\n    hold: 5\n"
         "    image: images/x.svg\n    evidence: mixed\n    source: s\n"
         "    supported_image: images/x.svg\n", 9,
         "'supported_image' pictures the 'supported' version, so it needs 'supported'"),
        ("tips: {}\n", 1, "expected a list"),
        ("- just\n- a list\n", 1, "expected a mapping"),
        ("schema: 2\ntips: []\n", 1, "schema 1"),
    ],
)
def test_each_error_names_file_line_and_field(
        tmp_path: Path, assets: Path, text: str, line: int, needle: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    errors = errors_of(path, assets)
    matching = [e for e in errors if needle in e]
    assert matching, errors
    assert matching[0].startswith(f"bad.yaml:{line}:"), matching


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"", "file is empty"), (b"   \n\n", "file is empty"),
     (bytes(range(256)) * 4, "binary"), (b"tips: [\xff\xfe]\n", "not UTF-8"),
     (b"# only a comment\n", "no content")],
)
def test_empty_binary_and_undecodable_files(
        tmp_path: Path, assets: Path, data: bytes, needle: str) -> None:
    path = write(tmp_path, "bad.yaml", data)
    errors = errors_of(path, assets)
    assert any(needle in e for e in errors), errors


def test_all_errors_in_a_file_are_reported_not_just_the_first(
        tmp_path: Path, assets: Path) -> None:
    path = write(tmp_path, "bad.yaml", """\
        exercises:
          - id: a
            title: t
            steps: [x]
            hold: -1
            sides: sometimes
            image: ../x.svg
            evidence: folk
        """)
    errors = errors_of(path, assets)
    assert len(errors) == 5, errors
    assert [e.split(":")[1] for e in errors] == ["2", "5", "6", "7", "8"]


def test_bad_file_is_skipped_and_good_files_still_load(tmp_path: Path, assets: Path) -> None:
    folder = tmp_path / "c"
    write(folder, "a.yaml", GOOD_PROTOCOL)
    write(folder, "b.yaml", "tips:\n  - id: a\n\tbroken\n")
    write(folder, "c.yaml", GOOD_EXERCISES)
    library = load_library([folder], assets)
    assert [p.id for p in library.protocols] == ["calf"]
    assert len(library.exercises) == 2
    assert library.skipped_files == (str(folder / "b.yaml"),)
    assert all(str(folder / "b.yaml") in str(e) for e in library.errors)


def test_routine_with_unknown_exercise_is_skipped_with_line(tmp_path: Path, assets: Path) -> None:
    folder = tmp_path / "c"
    write(folder, "a.yaml", GOOD_EXERCISES)
    user = write(tmp_path / "user", "mine.yaml", """\
        routines:
          - id: mine
            title: Mine
            items:
              - wall
              - wal
        """)
    library = load_library([folder], assets, user=[user])
    assert [r.id for r in library.routines] == ["bedtime"]
    messages = [str(e) for e in library.errors]
    assert any(m.startswith(f"{user}:6:") and "did you mean 'wall'" in m for m in messages)


def test_duplicate_id_across_files_keeps_the_first(tmp_path: Path, assets: Path) -> None:
    write(tmp_path / "a", "a.yaml", GOOD_EXERCISES)
    clash = write(tmp_path / "b", "b.yaml", GOOD_EXERCISES.replace("id: bedtime", "id: other"))
    library = load_library([tmp_path / "a", clash], assets)
    assert len(library.exercises) == 2
    assert any("duplicate id 'wall'" in str(e) and str(e).startswith(f"{clash}:2:")
               for e in library.errors)


def test_hold_override_on_a_reps_exercise_is_rejected(tmp_path: Path, assets: Path) -> None:
    text = GOOD_EXERCISES.replace("reps: 5\n        rest: 0", "hold: 5")
    path = write(tmp_path / "c", "a.yaml", text)
    library = load_library([path], assets)
    assert library.routines == ()
    assert any("done in repetitions" in str(e) for e in library.errors)


SAFETY = """\
schema: 1
clot_check:
  title: Check for a blood clot
  question: Is one leg swollen?
  risk: More likely after surgery.
  evidence: guideline
  source: NHS
night_safety:
  text: Turn on a light.
  evidence: guideline
  source: NHS
warning_signs:
  - id: tetanus
    sign: Stiffness after a wound
    care: emergency
    evidence: guideline
    source: NHS
"""


def test_safety_sections_load_from_a_shipped_file(tmp_path: Path, assets: Path) -> None:
    library = load_library([write(tmp_path, "safety.yaml", SAFETY)], assets)
    assert library.errors == ()
    assert library.clot_check is not None and str(library.clot_check.risk).startswith("More")
    assert library.night_safety is not None
    assert [(w.id, w.care.value) for w in library.warning_signs] == [("tetanus", "emergency")]


def test_a_warning_sign_needs_a_known_care_level(tmp_path: Path, assets: Path) -> None:
    path = write(tmp_path, "bad.yaml", SAFETY.replace("care: emergency", "care: soonish"))
    assert any("warning_signs[0].care: expected one of emergency, same_day, gp" in e
               for e in errors_of(path, assets))


def test_a_one_of_a_kind_section_given_twice_keeps_the_first(
        tmp_path: Path, assets: Path) -> None:
    first = write(tmp_path / "a", "a.yaml", SAFETY)
    second = write(tmp_path / "b", "b.yaml", SAFETY.replace("Is one leg swollen?", "Other?")
                   .replace("id: tetanus", "id: other"))
    library = load_library([first, second], assets)
    assert library.clot_check is not None
    assert str(library.clot_check.question) == "Is one leg swollen?"
    assert any("clot_check: already given in" in str(e) for e in library.errors)


def test_a_user_file_cannot_bring_safety_texts(tmp_path: Path, assets: Path) -> None:
    mine = write(tmp_path / "user", "mine.yaml", SAFETY)
    library = load_library([], assets, user=[mine])
    assert library.clot_check is None and library.warning_signs == ()
    messages = [str(e) for e in library.errors]
    for section in ("clot_check", "night_safety", "warning_signs"):
        assert any(f"{section}: this section comes only with Cramp Coach" in m
                   for m in messages), section


def test_a_shipped_text_without_russian_is_listed_with_its_line(tmp_path: Path) -> None:
    """Every language the app speaks must be in its own files; a user's
    routine may be in one language only and falls back to it."""
    from coach.core.loader import load_library

    shipped = tmp_path / "tips.yaml"
    shipped.write_text("schema: 1\ntips:\n  - id: water\n    title:\n      en: Drink\n"
                       "      ru: Пейте\n    text:\n      en: Drink water through the day.\n"
                       "    evidence: mixed\n    source: NHS\n", encoding="utf-8")
    library = load_library([shipped], None)
    assert library.errors == ()
    assert [str(e) for e in library.untranslated] == [f"{shipped}:7: tips[0].text: no ru text"]
    assert str(library.tips[0].text) == "Drink water through the day."  # English meanwhile
    user = tmp_path / "mine.yaml"
    user.write_text("schema: 1\nroutines:\n  - id: mine\n    title: Mine\n    items:\n"
                    "      - exercise: wall-calf-stretch\n", encoding="utf-8")
    from coach import resources

    both = load_library([resources.exercises_dir()], None, user=[user])
    assert both.untranslated == () and any(r.id == "mine" for r in both.routines)
