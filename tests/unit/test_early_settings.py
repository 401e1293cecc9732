"""The settings a start for a cramp reads before the settings load: only
values the store would keep, so the first paint never shows a look or a
place that the app then takes back. (The language alone is in
test_language_choice.)"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from coach.core import paths
from coach.core.early_settings import SETTINGS_VERSION, Early, read_early
from coach.core.notices import Notices
from coach.core.settings import SettingsStore
from tests.fakes.clock import FakeClock

PLACEMENT = base64.b64encode(b"geometry").decode("ascii")


def write(data: object) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_no_file_means_the_defaults() -> None:
    assert read_early(paths.settings_file()) == Early("", "auto", "")


def test_the_values_the_store_keeps() -> None:
    path = write({"version": SETTINGS_VERSION, "language": "ru", "theme": "night",
                  "windows": {"main": PLACEMENT, "settings": "x"}})
    assert read_early(path) == Early("ru", "night", PLACEMENT)
    settings = SettingsStore(path, Notices(), FakeClock()).load()
    assert (settings.language, settings.theme, settings.windows["main"]) == read_early(path)


@pytest.mark.parametrize("data", [
    {"version": 1, "theme": "purple"}, {"version": 1, "theme": ["night"]},
    {"version": 1, "theme": None}, {"version": 1, "windows": {"main": 5}},
    {"version": 1, "windows": ["main"]}, {"version": 1, "windows": "main"},
])
def test_a_value_the_store_would_not_keep_reads_as_its_default(data: object) -> None:
    path = write(data)
    early = read_early(path)
    settings = SettingsStore(path, Notices(), FakeClock()).load()
    assert (early.theme, early.placement) == ("auto", "")
    assert settings.theme == "auto" and "main" not in settings.windows


@pytest.mark.parametrize("version", [None, 0, "1", True, SETTINGS_VERSION + 1])
def test_a_file_the_store_sets_aside_or_leaves_alone_gives_only_its_language(
        version: object) -> None:
    """Missing or broken, the store moves the file aside; from a newer
    version, it leaves it be: either way the app runs on the defaults, so
    the first paint does too. The language is still the person's, so that
    the notice saying so speaks it."""
    data: dict[str, object] = {"language": "ru", "theme": "night",
                               "windows": {"main": PLACEMENT}}
    if version is not None:
        data["version"] = version
    assert read_early(write(data)) == Early("ru", "auto", "")
