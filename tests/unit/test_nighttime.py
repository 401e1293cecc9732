from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from coach.core.nighttime import is_night, next_switch, resolve

TZ = timezone(timedelta(hours=2))


def test_night_is_20_to_08() -> None:
    assert is_night(datetime(2026, 1, 1, 20, 0, tzinfo=TZ))
    assert is_night(datetime(2026, 1, 1, 7, 59, tzinfo=TZ))
    assert not is_night(datetime(2026, 1, 1, 8, 0, tzinfo=TZ))
    assert not is_night(datetime(2026, 1, 1, 19, 59, tzinfo=TZ))


def test_explicit_setting_wins() -> None:
    assert resolve("night", 12) == "night"
    assert resolve("auto", 12) == "day"
    assert resolve("auto", 23) == "night"
    assert resolve("day", 23) == "day"


def test_next_switch() -> None:
    assert next_switch(datetime(2026, 1, 1, 12, tzinfo=TZ)) == datetime(2026, 1, 1, 20, tzinfo=TZ)
    assert next_switch(datetime(2026, 1, 1, 21, tzinfo=TZ)) == datetime(2026, 1, 2, 8, tzinfo=TZ)
    assert next_switch(datetime(2026, 1, 1, 3, tzinfo=TZ)) == datetime(2026, 1, 1, 8, tzinfo=TZ)


def test_the_switch_on_a_day_the_clocks_change_is_on_the_local_hour() -> None:
    london = ZoneInfo("Europe/London")
    # 30 March 2025: the clocks went forward at 01:00; 26 October: back at 02:00.
    assert next_switch(datetime(2025, 3, 30, 0, 30, tzinfo=london)) == datetime(
        2025, 3, 30, 8, tzinfo=london)
    assert next_switch(datetime(2025, 10, 25, 22, tzinfo=london)) == datetime(
        2025, 10, 26, 8, tzinfo=london)
    assert next_switch(datetime(2025, 12, 31, 21, tzinfo=london)) == datetime(
        2026, 1, 1, 8, tzinfo=london)
