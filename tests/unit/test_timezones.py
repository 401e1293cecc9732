"""The machine's zone on Windows, which has no zone files and names its
zones its own way (a diary audit found every time shown in UTC there)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.timezones import local_zone


def test_windows_zone_is_read_through_babel(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("babel.localtime.get_localzone", lambda: ZoneInfo("Europe/Moscow"))
    assert local_zone({}, etc=tmp_path, platform="win32") == ZoneInfo("Europe/Moscow")
    assert local_zone({"TZ": "Asia/Tokyo"}, etc=tmp_path, platform="win32") \
        == ZoneInfo("Asia/Tokyo")  # TZ, when set, still comes first
    assert local_zone({}, etc=tmp_path, platform="linux") == ZoneInfo("UTC")


def test_a_windows_zone_babel_cannot_map_falls_back_to_utc(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unmapped() -> ZoneInfo:
        raise LookupError("Can not find timezone Mars Standard Time")

    monkeypatch.setattr("babel.localtime.get_localzone", unmapped)
    assert local_zone({}, etc=tmp_path, platform="win32") == ZoneInfo("UTC")
