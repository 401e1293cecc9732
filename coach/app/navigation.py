"""The screens of the app, by name: what a flow asks to show, and what a
later launch asks for. An enum, so a typo is an error where it is made."""

from __future__ import annotations

from enum import Enum


class Screen(str, Enum):
    HOME = "home"
    EMERGENCY = "emergency"
    ROUTINES = "routines"
    PLAYER = "player"
    QUICK_LOG = "quick_log"
    HISTORY = "history"
    TIPS = "tips"


FOCUSED = frozenset({Screen.EMERGENCY, Screen.PLAYER, Screen.QUICK_LOG})
"""Screens that need every pixel and no distraction: notices wait. The
quick log comes straight after a cramp, with big buttons to tap."""
