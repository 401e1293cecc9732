"""Which numbers to call, by country.

A card that says "call 112, 911 or 999" makes a person in pain pick from a
list at 3 a.m.; one that names their own number does not. So the emergency
number and the same-day service come from the country the person chose in
Settings, and until they choose, from the territory of the system locale.

Each entry names one service a person there can actually reach today; where
a country has no national same-day line, the entry says what to do instead
("your doctor, or an urgent care clinic"). "other" means the person typed
their own numbers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from coach.core.i18n import N_

OTHER: Final = "other"

EU_MEMBERS: Final = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
"""112 reaches the emergency services in every EU member state (Directive
(EU) 2018/1972, art. 109)."""


@dataclass(frozen=True)
class Country:
    """``emergency`` is every number to offer, the first the one to try;
    ``same_day`` says where to get help today when it is not an emergency, as
    a sentence of its own ("Call NHS 111")."""

    code: str
    name: str
    emergency: tuple[str, ...]
    same_day: str


COUNTRIES: Final[Mapping[str, Country]] = {
    "GB": Country("GB", N_("United Kingdom"), ("999",), N_("Call NHS 111")),
    "US": Country("US", N_("United States"), ("911",),
                  N_("Call your doctor, or go to an urgent care clinic")),
    "EU": Country("EU", N_("A country of the European Union"), ("112",),
                  N_("Call your doctor, or the out-of-hours doctor service")),
    "RU": Country("RU", N_("Russia"), ("112", "103"),
                  N_("Call the doctor at your polyclinic, or 103")),
}
"""The choices in Settings, in the order shown; ``OTHER`` comes last there.
Names and services are marked for the catalogue and translated where shown."""


@dataclass(frozen=True)
class Contacts:
    """The numbers a card shows. ``emergency`` may be empty when the person
    chose "other" and typed nothing: the card then says "your local
    emergency number" rather than inventing one."""

    emergency: tuple[str, ...]
    same_day: str
    known: bool
    """False when the numbers are not known for sure (an "other" country
    left blank), so the card can suggest setting the country."""


def contacts(country: str, custom_emergency: str = "", custom_same_day: str = "") -> Contacts:
    """The contacts for a country code from the settings (``OTHER`` uses the
    numbers the person typed)."""
    chosen = COUNTRIES.get(country)
    if chosen is not None:
        return Contacts(chosen.emergency, chosen.same_day, known=True)
    # Commas separate numbers; spaces belong to one ("+7 495 123 45 67" is a
    # single number, once printed as five). A part with no digit is no number.
    numbers = tuple(" ".join(part.split()) for part in custom_emergency.split(",")
                    if any(char.isdigit() for char in part))
    # Typed by the person: a sentence starts with a capital, and its full
    # stop is the card's own, not printed twice.
    same_day = custom_same_day.strip().rstrip(".").rstrip()
    if same_day:
        same_day = same_day[:1].upper() + same_day[1:]
    return Contacts(numbers, same_day or N_("Call your doctor"), known=bool(numbers))


def country_of_territory(territory: str) -> str:
    """The Settings choice for an ISO 3166 territory code ("GB", "de", ...)."""
    code = territory.upper()
    if code in COUNTRIES:
        return code
    if code == "UK":
        return "GB"
    return "EU" if code in EU_MEMBERS else OTHER


def system_territory(environ: Mapping[str, str] | None = None) -> str:
    """The territory of the locale the person runs under, from the same
    variables ``setlocale`` reads (``LC_ALL``, ``LC_MESSAGES``, ``LANG``),
    e.g. "GB" from ``en_GB.UTF-8``; "" when none names one."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        base = value.split(".", 1)[0].split("@", 1)[0]
        _language, _, territory = base.partition("_")
        return territory if len(territory) == 2 and territory.isalpha() else ""
    return ""


def default_country(environ: Mapping[str, str] | None = None) -> str:
    """The country to assume until the person picks one."""
    return country_of_territory(system_territory(environ))


LETTER_TERRITORIES: Final = frozenset({
    "BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE",
})
"""Where paper is US Letter (CLDR supplemental data, paperSize); A4 elsewhere."""


def paper_size(territory: str) -> str:
    """"Letter" or "A4" for a territory code such as "US"."""
    return "Letter" if territory.upper() in LETTER_TERRITORIES else "A4"
