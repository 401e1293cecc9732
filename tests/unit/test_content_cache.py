"""The validated-content cache: a hit when nothing changed, a miss after any
edit, and a tampered file can never run code."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from coach import content, resources
from coach.core import content_cache, paths
from coach.core.model import ContentError, Library


def test_second_load_comes_from_the_cache_and_equals_the_first() -> None:
    first = content.load()
    assert paths.content_cache_file().exists()
    assert content.load() == first


def test_an_edited_user_file_misses_the_cache(isolated_home: Path) -> None:
    content.load()
    user = paths.user_content_dir()
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(
        "routines:\n  - id: mine\n    title: Mine\n    items: [wall-calf-stretch]\n")
    assert any(r.id == "mine" for r in content.load().routines)
    (user / "mine.yaml").write_text(
        "routines:\n  - id: mine\n    title: Renamed\n    items: [wall-calf-stretch]\n")
    os.utime(user / "mine.yaml", ns=(1, 1))  # even with an old timestamp: size changed
    assert str(content.load().routine("mine").title) == "Renamed"


class Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo owned > /dev/null",))


def test_a_tampered_cache_is_refused_not_run(tmp_path: Path) -> None:
    path = tmp_path / "content.pickle"
    path.write_bytes(pickle.dumps(("key", Evil())))
    assert content_cache.read(path, "key") is None
    path.write_bytes(b"garbage")
    assert content_cache.read(path, "key") is None


def test_a_library_with_errors_is_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "content.pickle"
    broken = Library(errors=(ContentError("x.yaml", 1, "", "bad"),))
    content_cache.write(path, "key", broken)
    assert not path.exists()


def test_the_key_follows_every_file(tmp_path: Path) -> None:
    files = sorted(resources.exercises_dir().glob("*.yaml"))
    assert content_cache.key(files, "1") == content_cache.key(files, "1")
    assert content_cache.key(files, "1") != content_cache.key(files, "2")
    assert content_cache.key(files, "1") != content_cache.key(files[:-1], "1")
