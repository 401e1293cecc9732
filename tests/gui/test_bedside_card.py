"""The bedside card: one page, large type, the guide's own steps for this
person at night, the clot signs and their own numbers, as extractable text."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from coach.app import content
from coach.app.bedside import BedsideCard, bedside_card
from coach.core.countries import contacts, paper_size
from coach.core.profile import Condition
from coach.render.card import write_card
from tests.unit.test_emergency import CLOT_CHECK

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")
# The suite's QApplication first: a bare QGuiApplication made for the PDF would
# outlive this module and break every widget test after it.
pytestmark = pytest.mark.usefixtures("qapp")


def shipped_card(profile: frozenset[Condition] = frozenset(),
                 country: str = "GB") -> BedsideCard:
    library = replace(content.load(), clot_check=CLOT_CHECK)
    return bedside_card(library, profile, contacts(country))


def russian_card(folder: Path) -> tuple[BedsideCard, Path]:
    """The shipped card in Russian for Russia, written to A4 in ``folder``."""
    from coach.core import i18n

    i18n.set_current("ru")
    try:
        card = shipped_card(country="RU")
    finally:
        i18n.set_current(i18n.DEFAULT)
    path = folder / "card.pdf"
    write_card(path, card, "A4")
    return card, path


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout


def test_the_card_holds_each_place_the_guides_steps_and_the_numbers() -> None:
    card = shipped_card()
    assert [p.title for p in card.places] == ["Calf", "Foot & toes", "Front of thigh",
                                              "Back of thigh"]
    calf = card.places[0]
    library = content.load()
    assert calf.moves[0] == str(library.protocol("calf").steps[0].instruction)
    assert all(p.image for p in card.places) and all(p.moves for p in card.places)
    assert card.emergency.endswith("call 999 now.")
    assert "NHS 111" in card.same_day


def test_the_card_follows_the_safety_profile_and_the_night_rule() -> None:
    plain = shipped_card()
    varicose = shipped_card(frozenset({Condition.VARICOSE_VEINS}))
    assert any("Rub" in move for move in plain.places[0].moves)
    assert not any("Rub" in move for place in varicose.places for move in place.moves)
    library = content.load()
    stand = next(s for s in library.protocol("calf").steps if s.id == "stand-on-it")
    assert str(stand.instruction) not in plain.places[0].moves  # seated first at night


@needs_poppler
@pytest.mark.parametrize(("country", "paper", "points"), [
    ("GB", "A4", "pts (A4)"), ("US", "Letter", "pts (letter)")])
def test_the_pdf_is_one_page_of_extractable_text_on_the_local_paper(
        tmp_path: Path, country: str, paper: str, points: str) -> None:
    path = tmp_path / "card.pdf"
    write_card(path, shipped_card(country=country), paper_size(country))
    info = pdf_info(path)
    assert re.search(r"Pages:\s+1\n", info), info
    assert points in info
    text = pdf_text(path)
    assert "If a cramp wakes you" in text
    assert "Straighten your leg" in text or "Calf" in text
    assert "Apart from this cramp" in text
    number = "999" if country == "GB" else "911"
    assert f"call {number} now." in text


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    path.write_text("mine")
    with pytest.raises(FileExistsError):
        write_card(path, shipped_card())
    assert path.read_text() == "mine"


@needs_poppler
def test_in_russian_it_is_still_one_page_with_every_line(tmp_path: Path) -> None:
    """The Russian card was 1.2 pages at the smallest type, and its last
    lines, the numbers to call among them, were lost."""
    card, path = russian_card(tmp_path)
    assert re.search(r"Pages:\s+1\n", pdf_info(path))
    text = pdf_text(path)
    for line in (card.emergency, card.same_day, card.footer, card.clot_question):
        assert re.sub(r"\s+", " ", line) in text


@needs_poppler
def test_in_russian_the_drawings_shrink_before_the_type(tmp_path: Path) -> None:
    """The Russian card came out in 10 pt, a size smaller than the English,
    while its drawings kept their size: at the bedside without glasses the
    words matter more. (A word's box in DejaVu Sans, the CI's font, is about
    1.17 times the type size: 11.7 pt for 10 pt type, 12.9 for 11.)"""
    card, path = russian_card(tmp_path)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    words = set(card.clot_question.split())
    heights = sorted(float(bottom) - float(top) for top, bottom, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', boxes) if word in words)
    assert len(heights) >= 5 and heights[len(heights) // 2] / 1.17 >= 10.5, heights


@needs_poppler
def test_a_card_too_long_for_one_page_goes_on_to_a_second_rather_than_losing_lines(
        tmp_path: Path) -> None:
    card = shipped_card()
    long = replace(card, clot_question=" ".join([card.clot_question] * 100))
    path = tmp_path / "card.pdf"
    write_card(path, long, "A4")
    assert re.search(r"Pages:\s+2\n", pdf_info(path))
    text = pdf_text(path)
    assert card.emergency in text.split(card.places[0].title)[0]  # the numbers come first
    assert re.sub(r"\s+", " ", card.footer) in text


def test_in_pregnancy_the_card_lies_on_the_side_as_the_screen_does() -> None:
    """A profile audit's case: with Pregnancy ticked the screen said to use
    the supported version (lie on your side), and the card and the voice
    still said to lie down with the legs raised."""
    library = content.load()
    pregnant = shipped_card(frozenset({Condition.PREGNANCY}))
    plain = shipped_card()
    for place, before in zip(pregnant.places, plain.places, strict=True):
        protocol = next(p for p in library.protocols if str(p.title) == place.title)
        rest = next(s for s in protocol.steps if s.id == "legs-up")
        assert str(rest.supported) in place.moves and str(rest.instruction) not in place.moves
        assert str(rest.instruction) in before.moves
