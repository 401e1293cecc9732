"""The machine's time zone, as a named IANA zone wherever one can be found.

Reminders need the real zone, not today's UTC offset, to land on the right
local time after a DST change; and a name (rather than an anonymous offset)
lets ``reminder show`` say which zone the times are in.

Lookup order: the ``TZ`` variable (an IANA key, optionally ``:``-prefixed, or a
path into a ``zoneinfo`` folder), the target of the ``/etc/localtime`` symlink,
``/etc/timezone``, ``/etc/localtime`` read as a zone file (some minimal images
copy it instead of linking), and finally UTC. :func:`local_zone` never raises:
a reminder at a wrong hour is recoverable, a crash at start-up is not.

Windows has none of these files and names its zones its own way ("Russian
Standard Time"): there Babel, already used for dates, reads the zone from the
registry and maps it to its IANA key with CLDR's table. (A diary audit found
every time on Windows shown in UTC before.) The zone data itself comes from
the ``tzdata`` package on Windows; when that is missing not even ``UTC`` can be
loaded by :mod:`zoneinfo`, and the fixed-offset :data:`datetime.timezone.utc`
is returned instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

_MARKER = "zoneinfo/"
_VARIANTS = ("posix/", "right/")


def _named(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except (KeyError, ValueError, OSError):
        # ZoneInfoNotFoundError is a KeyError; malformed keys raise ValueError
        # and a key naming a folder such as "Europe" an OSError.
        return None


def _key_in(path: str) -> str | None:
    """The key in a path such as ``/usr/share/zoneinfo/posix/Europe/Berlin``.
    The ``posix`` and ``right`` copies are the same zones under their usual
    keys (``right`` counts leap seconds, which zoneinfo would apply wrongly)."""
    index = path.rfind(_MARKER)
    if index < 0:
        return None
    key = path[index + len(_MARKER):]
    for variant in _VARIANTS:
        key = key.removeprefix(variant)
    return key


def _from_tz(value: str) -> ZoneInfo | None:
    value = value.removeprefix(":")
    if value.startswith("/"):
        key = _key_in(value)
        return None if key is None else _named(key)
    return _named(value) if value else None


def _from_symlink(localtime: Path) -> ZoneInfo | None:
    try:
        target = os.readlink(localtime)
    except OSError:
        return None
    key = _key_in(target)
    return None if key is None else _named(key)


def _from_timezone_file(path: Path) -> ZoneInfo | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return _named(lines[0].strip()) if lines else None


def _from_zone_file(localtime: Path) -> ZoneInfo | None:
    try:
        with localtime.open("rb") as data:
            return ZoneInfo.from_file(data, key=str(localtime))
    except (OSError, ValueError):
        return None


def _from_windows(platform: str) -> ZoneInfo | None:
    """Only the key is taken: Babel hands over a pytz zone when pytz happens
    to be installed, and those give wrong offsets to ``replace(tzinfo=…)``."""
    if platform != "win32":
        return None
    try:
        # Imported here: it reads the registry when it loads, and may fail then.
        from babel.localtime import get_localzone

        return _named(str(get_localzone()))
    except (LookupError, OSError):  # a registry Babel cannot read, or a zone it cannot map
        return None


def local_zone(environ: Mapping[str, str] | None = None, etc: Path = Path("/etc"),
               platform: str = sys.platform) -> tzinfo:
    """``environ``, ``etc`` and ``platform`` stand in for ``os.environ``,
    ``/etc`` and ``sys.platform`` in tests."""
    tz = (os.environ if environ is None else environ).get("TZ")
    localtime = etc / "localtime"
    zone = ((_from_tz(tz) if tz is not None else None)
            or _from_windows(platform)
            or _from_symlink(localtime)
            or _from_timezone_file(etc / "timezone")
            or _from_zone_file(localtime)
            or _named("UTC"))
    return timezone.utc if zone is None else zone


def zone_key(zone: tzinfo, now: datetime) -> str:
    """What tells one zone from another for a watch on the clock: its name,
    and its offset from UTC now. A zone file copied over /etc/localtime
    (rather than linked) keeps the name of that path whatever zone it holds,
    so the name alone missed a move from Berlin to New York; zones that
    differ in neither would put a reminder at the same instant."""
    return f"{zone} {now.astimezone(zone).utcoffset()}"
