"""A cache of the validated content, so start-up skips parsing YAML.

Emergency mode must show in well under a second, and parsing and validating
every content file (and importing the YAML parser) is a large share of that.
The cache holds the finished :class:`~coach.core.model.Library` and is keyed
by the app version and the name, size and modification time of every source
file, so any edit, install or upgrade simply misses it. Only libraries that
loaded without a single problem are cached, so problems are reported afresh
on every start until they are fixed.

It is a pickle, read with an unpickler that refuses every class except the
model's own frozen dataclasses and enums, so a tampered cache file can at
worst fail to load (and is then rebuilt), never run code.
"""

from __future__ import annotations

import io
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path

from coach.core import model
from coach.core.atomic import atomic_write_bytes
from coach.core.care import Care
from coach.core.safe_io import read_regular

log = logging.getLogger(__name__)

FORMAT = 3
# Far above any real library (the shipped one pickles to tens of kB); a larger
# file is ignored and the content parsed afresh.
MAX_BYTES = 64_000_000
_ALLOWED_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "str", "int",
                               "float", "bool", "NoneType"})


def key(files: Sequence[Path], version: str) -> str:
    """Plain text, not a hash: the cache is read by a resident app, and hashlib
    would load OpenSSL (several MB) just to shorten a string.

    Only ``stat`` is used, which never opens a file, so an unreadable file or
    a pipe costs nothing here (the loader then reports it). Raises OSError if
    a file is gone; the caller then does without the cache."""
    parts = [f"{FORMAT}|{version}"]
    for path in files:
        stat = path.stat()
        parts.append(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(parts)


class _ModelOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        # Only the classes the model defines: the module's other names (its
        # imports, such as the i18n module, or helper functions) would let a
        # tampered cache reach past the model, by setting a module's globals
        # for one.
        found = getattr(model, name, None) if module == model.__name__ else None
        if isinstance(found, type) and found.__module__ == model.__name__:
            return found
        if (module, name) == (Care.__module__, Care.__name__):  # a warning sign's level
            return Care
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the content cache")


def read(path: Path, expected_key: str) -> model.Library | None:
    """The cached library, or None if missing, stale, or unreadable (a pipe
    or a device put in its place included: neither is waited on or read)."""
    try:
        data = read_regular(path, MAX_BYTES)
    except OSError:
        return None
    try:
        stored_key, library = _ModelOnly(io.BytesIO(data)).load()
    except Exception as exc:  # any damage at all just means "rebuild"
        log.info("content cache %s not usable: %s", path, exc)
        return None
    if stored_key != expected_key or not isinstance(library, model.Library):
        return None
    return library


def write(path: Path, cache_key: str, library: model.Library) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    if library.errors:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, pickle.dumps((cache_key, library),
                                              protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.info("content cache %s not written: %s", path, exc)
