"""One rule for where to send someone, worded with the person's own numbers."""

from __future__ import annotations

import pytest

from coach.core import care
from coach.core.care import Care, Sign
from coach.core.countries import (
    COUNTRIES,
    OTHER,
    contacts,
    country_of_territory,
    default_country,
    system_territory,
)


def test_the_rule_sends_lung_signs_to_the_emergency_number_and_leg_signs_to_same_day() -> None:
    assert care.signs_for(Care.EMERGENCY) == (Sign.CHEST_PAIN, Sign.BREATHLESS,
                                              Sign.COUGHING_BLOOD, Sign.FAINTING)
    assert care.signs_for(Care.SAME_DAY) == (Sign.LEG_CHANGED, Sign.LONG_CRAMP)


def test_the_lines_name_the_countrys_own_numbers() -> None:
    emergency, same_day = care.where_to_go(contacts("GB"))
    assert emergency == ("Chest pain, shortness of breath, coughing up blood or fainting: "
                         "call 999 now.")
    assert same_day == ("One leg swollen, warm, red or darker than the other, or a cramp "
                        "lasting over 10 minutes: get help today. Call NHS 111.")
    assert "112 or 103" in care.where_to_go(contacts("RU"))[0]
    assert "911" in care.where_to_go(contacts("US"))[0]


def test_the_ten_minutes_come_from_the_threshold_not_from_a_literal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(care, "URGENT_AFTER_S", 900.0)
    assert "over 15 minutes" in care.sign_text(Sign.LONG_CRAMP)


@pytest.mark.parametrize(("typed", "numbers", "known"), [
    ("+7 495 123 45 67", ("+7 495 123 45 67",), True),  # one number, grouped
    ("112, 103", ("112", "103"), True),
    (" 000 ,, ", ("000",), True),
    ("+ , +", (), False),  # no digit: no number, and not "known"
])
def test_typed_numbers_are_split_at_commas_only(
        typed: str, numbers: tuple[str, ...], known: bool) -> None:
    """A report audit's case: "+7 495 123 45 67" printed on the bedside card
    as "call +7, 495, 123, 45 or 67 now", and "+ , +" as "call + or + now"."""
    chosen = contacts(OTHER, typed)
    assert chosen.emergency == numbers and chosen.known is known


def test_a_typed_service_keeps_one_full_stop() -> None:
    typed = contacts(OTHER, "000", "call healthdirect on 1800 022 222.")
    assert care.where_to_go(typed)[1].endswith("Call healthdirect on 1800 022 222.")


def test_an_unknown_country_never_invents_a_number() -> None:
    blank = contacts(OTHER)
    assert not blank.known
    assert "your local emergency number" in care.where_to_go(blank)[0]
    typed = contacts(OTHER, "000", "call healthdirect")
    assert typed.known and care.where_to_go(typed)[0].endswith("call 000 now.")
    assert care.where_to_go(typed)[1].endswith("get help today. Call healthdirect.")


@pytest.mark.parametrize(("environ", "territory", "country"), [
    ({"LANG": "en_GB.UTF-8"}, "GB", "GB"),
    ({"LANG": "ru_RU.UTF-8"}, "RU", "RU"),
    ({"LANG": "de_DE.UTF-8"}, "DE", "EU"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "FR", "EU"),
    ({"LANG": "en_AU.UTF-8"}, "AU", OTHER),
    ({"LANG": "C.UTF-8"}, "", OTHER),
    ({}, "", OTHER),
])
def test_the_default_country_follows_the_system_locale(
        environ: dict[str, str], territory: str, country: str) -> None:
    assert system_territory(environ) == territory
    assert default_country(environ) == country


def test_every_listed_country_has_a_number_and_a_same_day_service() -> None:
    for code, entry in COUNTRIES.items():
        assert entry.code == code and entry.emergency and entry.same_day
    assert country_of_territory("uk") == "GB"
