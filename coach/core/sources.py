"""Which content files exist: folders expanded to the YAML files in them.

Kept apart from the loader so the content cache can check its key without
importing the YAML parser at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

CONTENT_SUFFIXES = (".yaml", ".yml")


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the YAML files directly inside them, in name order,
    each file once even when named twice."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in CONTENT_SUFFIXES and p.is_file())
        else:
            found = [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files
