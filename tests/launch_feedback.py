"""A real X11 launcher's side of startup notification, for the tests: it
starts a launch sequence and watches for its end with libstartup-notification,
the library Xfce's, MATE's and older GNOME's launchers and window managers
use to show (and stop showing) the busy cursor. So the tests check our
messages with the same parser a desktop uses, not with one of ours."""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import pytest

from coach.services.startup_notification import PROPERTY_CHANGE_MASK

INITIATED, COMPLETED = 0, 1
XEVENT_SIZE = 192
"""sizeof(XEvent) on 64-bit Linux: a union padded to 24 longs."""


def _library(name: str) -> ctypes.CDLL:
    found = ctypes.util.find_library(name)
    if found is None:
        pytest.skip(f"not installed here: lib{name} (.ci/system-packages installs it)")
    return ctypes.CDLL(found)


class Launcher:
    """One launcher on ``display``: :meth:`initiate` starts a sequence as a
    menu does on a click, and :meth:`wait_completed` pumps X events until a
    desktop would stop its busy cursor for it."""

    def __init__(self, display: str) -> None:
        self._x11 = x11 = _library("X11")
        self._sn = sn = _library("startup-notification-1")
        pointer = ctypes.c_void_p
        x11.XOpenDisplay.restype = pointer
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XCloseDisplay.argtypes = [pointer]
        x11.XPending.argtypes = [pointer]
        x11.XNextEvent.argtypes = [pointer, ctypes.c_char_p]
        x11.XFlush.argtypes = [pointer]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [pointer]
        x11.XSelectInput.argtypes = [pointer, ctypes.c_ulong, ctypes.c_long]
        sn.sn_display_new.restype = pointer
        sn.sn_display_new.argtypes = [pointer, pointer, pointer]
        sn.sn_display_process_event.argtypes = [pointer, ctypes.c_char_p]
        sn.sn_display_unref.argtypes = [pointer]
        sn.sn_monitor_context_new.restype = pointer
        sn.sn_monitor_context_new.argtypes = [pointer, ctypes.c_int, pointer, pointer,
                                              pointer]
        sn.sn_monitor_context_unref.argtypes = [pointer]
        sn.sn_monitor_event_get_type.argtypes = [pointer]
        sn.sn_monitor_event_get_startup_sequence.restype = pointer
        sn.sn_monitor_event_get_startup_sequence.argtypes = [pointer]
        sn.sn_startup_sequence_get_id.restype = ctypes.c_char_p
        sn.sn_startup_sequence_get_id.argtypes = [pointer]
        sn.sn_launcher_context_new.restype = pointer
        sn.sn_launcher_context_new.argtypes = [pointer, ctypes.c_int]
        sn.sn_launcher_context_unref.argtypes = [pointer]
        for setter in ("sn_launcher_context_set_name", "sn_launcher_context_set_binary_name"):
            getattr(sn, setter).argtypes = [pointer, ctypes.c_char_p]
        sn.sn_launcher_context_initiate.argtypes = [pointer, ctypes.c_char_p,
                                                    ctypes.c_char_p, ctypes.c_ulong]
        sn.sn_launcher_context_get_startup_id.restype = ctypes.c_char_p
        sn.sn_launcher_context_get_startup_id.argtypes = [pointer]

        self.events: list[tuple[int, str]] = []
        """(event type, startup id), in the order the monitor saw them."""
        self._xdisplay = x11.XOpenDisplay(display.encode())
        if not self._xdisplay:
            raise RuntimeError(f"cannot open the X display {display}")
        # Launch messages come as client messages to the root window, which
        # reach those that listen for its property changes.
        x11.XSelectInput(self._xdisplay, x11.XDefaultRootWindow(self._xdisplay),
                         PROPERTY_CHANGE_MASK)
        self._display = sn.sn_display_new(self._xdisplay, None, None)
        self._on_event = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(
            self._monitor_event)
        self._monitor = sn.sn_monitor_context_new(
            self._display, 0, ctypes.cast(self._on_event, ctypes.c_void_p), None, None)
        self._launches: list[Any] = []

    def _monitor_event(self, event: int, _data: int) -> None:
        sequence = self._sn.sn_monitor_event_get_startup_sequence(event)
        startup_id = self._sn.sn_startup_sequence_get_id(sequence).decode()
        self.events.append((self._sn.sn_monitor_event_get_type(event), startup_id))

    def initiate(self, launcher: str = "tests") -> str:
        """Start a launch sequence; its id, for ``DESKTOP_STARTUP_ID``. The
        id begins with ``launcher``, so odd characters there reach it."""
        context = self._sn.sn_launcher_context_new(self._display, 0)
        self._launches.append(context)
        self._sn.sn_launcher_context_set_name(context, b"Cramp Coach")
        self._sn.sn_launcher_context_set_binary_name(context, b"cramp-coach")
        # Any launch time will do: no window manager judges focus here.
        self._sn.sn_launcher_context_initiate(context, launcher.encode(), b"cramp-coach",
                                              1000)
        startup_id: bytes = self._sn.sn_launcher_context_get_startup_id(context)
        self._x11.XFlush(self._xdisplay)
        self.wait_for(lambda: (INITIATED, startup_id.decode()) in self.events, 10,
                      "the launch to be seen")
        return startup_id.decode()

    def wait_completed(self, startup_id: str, timeout: float, what: str) -> None:
        """Until the sequence ``startup_id`` ends, as a busy cursor would."""
        self.wait_for(lambda: (COMPLETED, startup_id) in self.events, timeout, what)

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        buffer = ctypes.create_string_buffer(XEVENT_SIZE)
        deadline = time.monotonic() + timeout
        while True:
            while self._x11.XPending(self._xdisplay):
                self._x11.XNextEvent(self._xdisplay, buffer)
                self._sn.sn_display_process_event(self._display, buffer)
            if condition():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not happen within {timeout:g} s "
                                   f"(seen: {self.events})")
            time.sleep(0.02)

    def close(self) -> None:
        for context in self._launches:
            self._sn.sn_launcher_context_unref(context)
        self._sn.sn_monitor_context_unref(self._monitor)
        self._sn.sn_display_unref(self._display)
        self._x11.XCloseDisplay(self._xdisplay)

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
