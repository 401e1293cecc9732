from __future__ import annotations

from datetime import datetime, timedelta, timezone

from coach.core.nighttime import is_night, next_switch, resolve

TZ = timezone(timedelta(hours=2))


def test_night_is_20_to_08() -> None:
    assert is_night(datetime(2026, 1, 1, 20, 0, tzinfo=TZ))
    assert is_night(datetime(2026, 1, 1, 7, 59, tzinfo=TZ))
    assert not is_night(datetime(2026, 1, 1, 8, 0, tzinfo=TZ))
    assert not is_night(datetime(2026, 1, 1, 19, 59, tzinfo=TZ))


def test_explicit_setting_wins() -> None:
    noon = datetime(2026, 1, 1, 12, tzinfo=TZ)
    assert resolve("night", noon) == "night"
    assert resolve("auto", noon) == "day"
    assert resolve("day", noon.replace(hour=23)) == "day"


def test_next_switch() -> None:
    assert next_switch(datetime(2026, 1, 1, 12, tzinfo=TZ)) == datetime(2026, 1, 1, 20, tzinfo=TZ)
    assert next_switch(datetime(2026, 1, 1, 21, tzinfo=TZ)) == datetime(2026, 1, 2, 8, tzinfo=TZ)
    assert next_switch(datetime(2026, 1, 1, 3, tzinfo=TZ)) == datetime(2026, 1, 1, 8, tzinfo=TZ)
