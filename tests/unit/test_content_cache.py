"""The validated-content cache: a hit when nothing changed, a miss after any
edit, and a tampered file can never run code."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from coach import resources
from coach.app import content
from coach.core import content_cache, i18n, paths
from coach.core.model import ContentError, Library

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")


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


def test_a_cache_cannot_reach_past_the_model_classes(tmp_path: Path) -> None:
    """The model module's other names, such as the i18n module it imports,
    are refused: unpickling one and "building" it would set that module's
    globals."""
    tampered = (b"\x80\x02" + b"ccoach.core.model\ni18n\n"  # GLOBAL: the module
                + b"}X\x08\x00\x00\x00tampered\x88s"  # {"tampered": True}
                + b"b.")  # BUILD: module.__dict__.update(...)
    path = tmp_path / "content.pickle"
    path.write_bytes(tampered)
    assert content_cache.read(path, "key") is None
    assert not hasattr(i18n, "tampered")


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


@posix_only
def test_the_key_only_looks_at_files_never_opens_them(tmp_path: Path) -> None:
    """A pipe would block an open and a device never ends; stat does neither."""
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "locked.yaml").write_text("tips: []\n")
    (tmp_path / "locked.yaml").chmod(0)
    files = [tmp_path / name for name in ("pipe.yaml", "zero.yaml", "locked.yaml")]
    assert content_cache.key(files, "1") == content_cache.key(files, "1")


@posix_only
def protocols_loaded_in_a_child() -> int:
    """In a process of its own, which a wait on a pipe could not hang."""
    result = subprocess.run(
        [sys.executable, "-c",
         "from coach.app import content; print(len(content.load().protocols))"],
        capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60,
        check=False)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_a_pipe_in_place_of_the_cache_is_not_waited_on() -> None:
    paths.content_cache_file().parent.mkdir(parents=True)
    os.mkfifo(paths.content_cache_file())
    assert protocols_loaded_in_a_child() > 0


@posix_only
def test_a_link_to_a_pipe_in_place_of_the_cache_leaves_the_pipe(tmp_path: Path) -> None:
    """The cache is rebuilt in memory and not written through the link: a
    link to a device would otherwise have had a file put in its place."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    paths.content_cache_file().parent.mkdir(parents=True)
    paths.content_cache_file().symlink_to(pipe)
    assert protocols_loaded_in_a_child() > 0
    assert pipe.is_fifo() and paths.content_cache_file().is_symlink()
