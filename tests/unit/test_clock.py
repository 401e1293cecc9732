"""The system clock's two steady clocks: one for countdowns, which stops
while the computer sleeps, and one for a cramp's length, which does not."""

from __future__ import annotations

import time

import pytest

from coach.core.clock import SystemClock


@pytest.mark.skipif(not hasattr(time, "CLOCK_BOOTTIME"), reason="Linux's CLOCK_BOOTTIME")
def test_since_boot_is_the_clock_that_counts_sleep() -> None:
    before = time.clock_gettime(time.CLOCK_BOOTTIME)
    read = SystemClock().since_boot()
    after = time.clock_gettime(time.CLOCK_BOOTTIME)
    assert before <= read <= after


def test_monotonic_is_pythons() -> None:
    before = time.monotonic()
    read = SystemClock().monotonic()
    assert before <= read <= time.monotonic()
