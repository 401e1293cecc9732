"""The settings observable: changes are saved, and reach exactly those who
watch the fields that changed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coach.app.settings import SettingsModel
from coach.core.notices import Notices
from coach.core.settings import Settings, SettingsStore
from tests.fakes.clock import FakeClock


def model(tmp_path: Path) -> SettingsModel:
    return SettingsModel(SettingsStore(tmp_path / "settings.json", Notices(), FakeClock()))


def test_a_change_is_saved_and_told_to_those_who_watch_it(tmp_path: Path) -> None:
    settings = model(tmp_path)
    heard: list[tuple[str, frozenset[str]]] = []
    settings.subscribe(lambda s, changed: heard.append(("theme", changed)), ["theme"])
    settings.subscribe(lambda s, changed: heard.append(("all", changed)))
    settings.update(theme="night")
    assert settings.current.theme == "night"
    assert settings.store.load().theme == "night"
    assert heard == [("theme", frozenset({"theme"})), ("all", frozenset({"theme"}))]
    heard.clear()
    settings.update(sound=False)
    assert heard == [("all", frozenset({"sound"}))]
    heard.clear()
    settings.update(sound=False)  # no change, nobody told
    assert heard == []


def test_reload_tells_what_the_command_line_changed(tmp_path: Path) -> None:
    settings = model(tmp_path)
    heard: list[frozenset[str]] = []
    settings.subscribe(lambda s, changed: heard.append(changed), ["reminder"])
    other = SettingsStore(tmp_path / "settings.json", Notices(), FakeClock())
    other.update(reminder={"enabled": True})
    settings.reload()
    assert heard == [frozenset({"reminder"})]
    assert settings.current.reminder == {"enabled": True}


def test_unsubscribe_and_unknown_fields(tmp_path: Path) -> None:
    settings = model(tmp_path)
    heard: list[frozenset[str]] = []
    stop = settings.subscribe(lambda s, changed: heard.append(changed))
    stop()
    stop()  # twice is harmless
    settings.update(theme="day")
    assert heard == []
    with pytest.raises(ValueError, match="no such settings: colour"):
        settings.subscribe(lambda s, changed: None, ["colour"])


def test_a_broken_subscriber_does_not_stop_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = model(tmp_path)
    reported: list[type[BaseException] | None] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: reported.append(kind))
    heard: list[Settings] = []

    def broken(_settings: Settings, _changed: frozenset[str]) -> None:
        raise RuntimeError("boom")

    settings.subscribe(broken)
    settings.subscribe(lambda s, changed: heard.append(s))
    settings.update(voice=True)
    assert reported == [RuntimeError] and heard and heard[0].voice
