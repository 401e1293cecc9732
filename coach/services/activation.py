"""Letting Cramp Coach's window come to the front on Wayland.

A Wayland compositor raises a window only with an activation token, which
stands for the click or key press that asked for it; without one, GNOME
shows "Cramp Coach is ready" instead of the place buttons. The launcher (a
menu entry, the desktop's Cramp-now key) gives its token to the process it
starts, in ``XDG_ACTIVATION_TOKEN``, and a notification server gives one with
the action chosen (its ``ActivationToken`` signal). When that process is not
the one whose window must come up (a second launch handing over to the app
in the tray, or the tray app answering a reminder), the token is carried
there and put where Qt's Wayland plugin takes it from when a window is next
activated: the same variable, in the app's own environment.

On X11 and elsewhere the variable is ignored, so passing it on costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeGuard

VARIABLE = "XDG_ACTIVATION_TOKEN"
MAX_LENGTH = 512


def valid(token: object) -> TypeGuard[str]:
    """What a token can be: printable ASCII without spaces, and short. It is
    opaque, but it ends up in the environment, so nothing else gets there."""
    return (isinstance(token, str) and 0 < len(token) <= MAX_LENGTH
            and all("!" <= character <= "~" for character in token))


def launch_token(environ: Mapping[str, str] = os.environ) -> str | None:
    """The token this process was started with, if any."""
    token = environ.get(VARIABLE)
    return token if valid(token) else None


def use(token: str | None) -> None:
    """Call before showing or raising a window for the request ``token``
    came with. Qt's Wayland plugin uses it for the next activation, and
    removes it then."""
    if valid(token):
        os.environ[VARIABLE] = token
