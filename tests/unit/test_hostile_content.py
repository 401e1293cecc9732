"""Content files come from strangers: none can hang, exhaust or take over the
app. Every file is read within a size, a value count and a nesting bound
(aliases counted as what they stand for); only regular files are opened; an
unreadable folder is reported and the rest loads; and the user's own files
may add routines and exercises, never anything emergency mode shows.

The hostile files are validated in a child process under resource limits
(address space: a plain validate's peak plus 150 MB; 10 s of CPU; a timeout
for anything that would block), as the review ran them."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coach import resources
from coach.app import content
from coach.core import paths
from coach.core.loader import MAX_NODES, load_library, parse_file
from coach.core.model import Routine, RoutineItem, Text
from coach.core.sources import content_files, find_content
from coach.core.timetable import GET_READY_CHOICES, MAX_PLAN_S, build_plan

ROOT = Path(__file__).resolve().parents[2]
EXTRA_BYTES = 150 << 20
CPU_SECONDS = 10
TIMEOUT_S = 60  # far above the bounded run; a blocked read never ends
NOBODY = 65534

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
linux_only = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="reads the peak address space from /proc")

# A plain validate that reports its peak address space when it exits.
VALIDATE_WITH_PEAK = """
import atexit, runpy, sys

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmPeak:"):
                print("vm-peak-kB", line.split()[1], file=sys.stderr)

atexit.register(peak)
sys.argv = ["cramp-coach", *sys.argv[1:]]
runpy.run_module("coach", run_name="__main__", alter_sys=True)
"""

ROUTINE = "routines:\n  - id: mine\n    title: Mine\n    items: [wall-calf-stretch]\n"


def child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")


@pytest.fixture(scope="module")
def address_space_limit(tmp_path_factory: pytest.TempPathFactory) -> int:
    """A plain validate's peak address space plus EXTRA_BYTES: far below
    what the unbounded loader took (over 3 GB for the alias bomb)."""
    good = tmp_path_factory.mktemp("baseline") / "good.yaml"
    good.write_text(ROUTINE)
    result = subprocess.run([sys.executable, "-c", VALIDATE_WITH_PEAK, "validate", str(good)],
                            capture_output=True, text=True, env=child_env(), timeout=TIMEOUT_S,
                            check=True)
    peak_kb = int(re.findall(r"^vm-peak-kB (\d+)$", result.stderr, re.MULTILINE)[0])
    return peak_kb * 1024 + EXTRA_BYTES


def validate_bounded(path: Path, limit: int) -> subprocess.CompletedProcess[str]:
    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))

    return subprocess.run([sys.executable, "-m", "coach", "validate", str(path)],
                          preexec_fn=bound, capture_output=True, text=True, env=child_env(),
                          timeout=TIMEOUT_S, check=False)


def assert_refused(result: subprocess.CompletedProcess[str], path: Path, needle: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Error" not in output, output[-2000:]
    assert result.returncode == 1, output[-2000:]
    first = result.stdout.splitlines()[0]
    assert re.match(rf"^{re.escape(str(path))}:\d+: ", first), first
    assert needle in first, first


# -- 1. aliases --------------------------------------------------------------

def alias_bomb() -> str:
    """The review's file: nine lines, each list nine aliases of the last,
    so 9**9 (387 million) values once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


@linux_only
def test_the_alias_bomb_is_refused_within_time_and_memory(
        tmp_path: Path, address_space_limit: int) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    assert bomb.stat().st_size < 500
    result = validate_bounded(bomb, address_space_limit)
    assert_refused(result, bomb, "too many aliases")
    assert result.stdout.startswith(f"{bomb}:6: ")  # the first line that expands past the cap


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        # Merge keys expand too: each level doubles the mapping.
        ("a0: &a0 {" + ", ".join(f"k{i}: v" for i in range(50)) + "}\n"
         + "".join(f"a{n}: &a{n} {{<<: [*a{n - 1}, *a{n - 1}]}}\n" for n in range(1, 20)),
         11, "too many aliases"),
        ("routines: &loop [*loop]\n", 1, "refers back to it"),
        ("exercises:\n  - &me {id: x, again: *me}\n", 2, "refers back to it"),
        # Each alias adds a level: nesting that is only deep once expanded.
        ("a0: &a0 [x]\n" + "".join(f"a{n}: &a{n} [*a{n - 1}]\n" for n in range(1, 40)),
         32, "nested too deeply"),
    ],
    ids=["merge-key bomb", "list in itself", "mapping in itself", "alias chain"],
)
def test_aliases_that_never_end_or_nest_too_deep_are_refused(
        tmp_path: Path, text: str, line: int, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    found, errors = parse_file(path, path.name)
    assert found is None
    assert [str(e).split(": ")[0] for e in errors] == [f"bad.yaml:{line}"], errors
    assert needle in errors[0].message


def test_aliases_within_the_caps_still_work(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("routines:\n"
                    "  - id: one\n    title: One\n    items: &both [wall-calf-stretch, bicycle]\n"
                    "  - id: two\n    title: Two\n    items: *both\n")
    library = load_library([resources.exercises_dir()], resources.assets_dir(), user=[path])
    assert library.errors == ()
    assert library.routine("one").items == library.routine("two").items


# -- 2. size -----------------------------------------------------------------

def two_million_items(path: Path) -> None:
    """The review's 50 MB routine (13 s and 1.5 GB to validate before)."""
    with path.open("w") as out:
        out.write("routines:\n  - id: huge\n    title: Huge\n    items:\n")
        out.writelines(["      - wall-calf-stretch\n"] * 2_000_000)


def just_over_a_megabyte(path: Path) -> None:
    items = ["wall-calf-stretch"] * 52_700
    path.write_text(f"{ROUTINE}  - id: big\n    title: Big\n    items: [{', '.join(items)}]\n")
    assert 1_000_000 < path.stat().st_size < 1_010_000


def a_megabyte_of_tiny_values(path: Path) -> None:
    """Some 500,000 values under the size cap: refused by counting them, not
    by building them (which alone would take hundreds of MB)."""
    items = ",".join("b" * 499_000)
    path.write_text(f"{ROUTINE}  - id: tiny\n    title: Tiny\n    items: [{items}]\n")
    assert path.stat().st_size < 1_000_000


@linux_only
@pytest.mark.parametrize(
    ("make", "needle"),
    [(two_million_items, "too large: content files are at most 1 MB"),
     (just_over_a_megabyte, "too large: content files are at most 1 MB"),
     (a_megabyte_of_tiny_values, f"too large: more than {MAX_NODES:,} values")],
    ids=["50 MB, 2 million items", "just over 1 MB", "1 MB of 500,000 values"],
)
def test_files_too_large_are_refused_within_time_and_memory(
        tmp_path: Path, address_space_limit: int, make: Callable[[Path], None],
        needle: str) -> None:
    path = tmp_path / "big.yaml"
    make(path)
    assert_refused(validate_bounded(path, address_space_limit), path, needle)


@linux_only
def test_the_largest_routine_under_the_caps_is_refused_as_too_long_to_plan(
        tmp_path: Path, address_space_limit: int) -> None:
    """Some 100,000 items pass the file's caps, and had loaded; opening the
    routines screen then unrolled them into millions of segments on the
    screen's thread, for minutes, until memory ran out (an audit's case)."""
    path = tmp_path / "long.yaml"
    items = ["bicycle"] * (MAX_NODES - 10)
    path.write_text(f"routines:\n  - id: long\n    title: Long\n    items: [{','.join(items)}]\n")
    assert_refused(validate_bounded(path, address_space_limit), path,
                   "routine 'long' would take over 2 hours, so it was skipped")


@linux_only
def test_a_small_file_that_unrolls_into_millions_of_holds_is_refused(
        tmp_path: Path, address_space_limit: int) -> None:
    """The audit's 400 kB file: one-second holds, 100 of them, each side,
    99,000 times over, without a rest: 40 million segments once planned."""
    path = tmp_path / "big.yaml"
    path.write_text(
        "exercises:\n  - id: big\n    title: Big\n    steps: [Hold.]\n    hold: 1\n"
        "    reps: 100\n    sides: each\n    image: images/ex_wall_calf_stretch.svg\n"
        "    evidence: expert\n    source: Mine\n"
        "routines:\n  - id: huge\n    title: Huge\n    rest: 0\n"
        f"    items: [{', '.join(['big'] * 99_000)}]\n")
    assert path.stat().st_size < 500_000
    assert_refused(validate_bounded(path, address_space_limit), path,
                   "routine 'huge' would take over 2 hours, so it was skipped")


def test_a_routine_just_under_two_hours_loads(tmp_path: Path) -> None:
    library = load_library([resources.exercises_dir()], resources.assets_dir())
    bicycle = library.exercise("bicycle")
    plan = build_plan(Routine("one", Text.plain("One"), (RoutineItem("bicycle"),), rest=0),
                      library.exercise, GET_READY_CHOICES[0])
    fits = int((MAX_PLAN_S - GET_READY_CHOICES[0]) // plan.total) - 1
    path = tmp_path / "long.yaml"
    path.write_text("routines:\n  - id: long\n    title: Long\n    rest: 0\n"
                    f"    items: [{', '.join([bicycle.id] * fits)}]\n")
    loaded = load_library([resources.exercises_dir()], resources.assets_dir(), user=[path])
    assert loaded.errors == () and loaded.routine("long").items


def test_one_value_over_the_cap_is_refused_and_the_first_problems_are_listed(
        tmp_path: Path) -> None:
    over = tmp_path / "over.yaml"
    over.write_text(f"routines: [{','.join('b' * (MAX_NODES - 1))}]\n")  # with the mapping
    assert "too large" in str(parse_file(over)[1][0])
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(f"routines: [{','.join('b' * (MAX_NODES - 10))}]\n")
    found, errors = parse_file(wrong, wrong.name)
    assert found is None
    assert len(errors) == 101, "the first 100 problems and how many more"
    assert errors[-1].message.startswith(f"and {MAX_NODES - 10 - 100:,} more problems")


# -- 3. special files ----------------------------------------------------------

def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


SPECIAL = pytest.mark.parametrize(
    ("make", "kind"), [(make_fifo, "a pipe"), (link_to_dev_zero, "a device")],
    ids=["fifo", "link to /dev/zero"])


@linux_only
@SPECIAL
def test_validate_refuses_a_special_file_without_blocking(
        tmp_path: Path, address_space_limit: int, make: Callable[[Path], None],
        kind: str) -> None:
    path = tmp_path / "routine.yaml"
    make(path)
    result = validate_bounded(path, address_space_limit)
    assert_refused(result, path, f"not a regular file (it is {kind})")
    assert "0 files checked" in result.stderr


IMPORT = """
import sys
from pathlib import Path
from coach.app import content
try:
    content.import_file(Path(sys.argv[1]))
except content.ImportProblem as problem:
    print(problem.messages[0])
"""


@posix_only
@SPECIAL
def test_import_refuses_a_special_file_without_blocking(
        tmp_path: Path, make: Callable[[Path], None], kind: str) -> None:
    path = tmp_path / "routine.yaml"
    make(path)
    result = subprocess.run([sys.executable, "-c", IMPORT, str(path)], capture_output=True,
                            text=True, env=child_env(), timeout=TIMEOUT_S, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}:0: not a regular file (it is {kind})")
    assert not (paths.user_content_dir() / path.name).exists()


@posix_only
@SPECIAL
def test_special_files_are_never_listed_but_reported(
        tmp_path: Path, make: Callable[[Path], None], kind: str) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "good.yaml").write_text(ROUTINE)
    make(folder / "special.yaml")
    assert content_files([folder]) == [folder / "good.yaml"]
    assert content_files([folder / "special.yaml"]) == []
    found = find_content([folder, folder / "special.yaml"])
    assert [(p.name, kind in why) for p, why in found.problems] == [("special.yaml", True)] * 2


@posix_only
def test_broken_links_are_reported_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(ROUTINE)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    found = find_content([tmp_path])
    assert found.files == (tmp_path / "good.yaml",)
    assert [(p.name, why.split(")")[0]) for p, why in found.problems] == [
        ("gone.yaml", "cannot be read (no such file or directory"),
        ("loop.yaml", "cannot be read (too many levels of symbolic links")]


@posix_only
@SPECIAL
def test_a_special_file_in_the_routines_folder_is_reported_and_the_rest_loads(
        make: Callable[[Path], None], kind: str) -> None:
    folder = paths.user_content_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(ROUTINE)
    make(folder / "special.yaml")
    library = content.load()
    assert library.routine("mine")
    assert [e.message for e in library.errors] == [
        f"not a regular file (it is {kind}); content files are plain .yaml text files, "
        "so it was skipped"]
    assert not paths.content_cache_file().exists(), "a library with a problem is not cached"


# -- 4. unreadable folders -----------------------------------------------------

@pytest.fixture()
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Makes a folder unreadable: mode 000, and for root, whom modes do not
    stop, a listing that fails as it would for anyone else."""
    folders: list[Path] = []

    def make(folder: Path) -> None:
        folder.chmod(0)
        folders.append(folder)
        if os.geteuid() == 0:
            real = Path.iterdir

            def iterdir(self: Path) -> Iterator[Path]:
                if self in folders:
                    raise PermissionError(13, "Permission denied", str(self))
                return real(self)

            monkeypatch.setattr(Path, "iterdir", iterdir)

    yield make
    for folder in folders:
        folder.chmod(0o700)


def test_an_unreadable_folder_is_reported_and_the_shipped_content_loads(
        unreadable: Callable[[Path], None]) -> None:
    folder = paths.user_content_dir()
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(ROUTINE)
    unreadable(folder)
    library = content.load()
    shipped = load_library([resources.exercises_dir()], resources.assets_dir())
    assert library.protocols == shipped.protocols and library.routines == shipped.routines
    assert [str(e) for e in library.errors] == [
        f"{folder}:0: this folder cannot be read (permission denied), so none of the files "
        "in it were loaded; check its permissions"]
    assert not paths.content_cache_file().exists()


def test_a_folder_that_becomes_unreadable_is_reported_not_hidden_by_the_cache(
        unreadable: Callable[[Path], None]) -> None:
    folder = paths.user_content_dir()
    folder.mkdir(parents=True)
    assert content.load().errors == ()
    assert paths.content_cache_file().exists()
    unreadable(folder)
    assert [e.file for e in content.load().errors] == [str(folder)]


# Imports everything the task will need (locale: argparse loads it when it
# first words a message), then drops to nobody: the interpreter itself may
# live where nobody can read (root's home), so preexec_fn cannot drop first.
AS_NOBODY = f"""
import locale, os, sys
import coach.cli, coach.app.content, coach.core.content_cache, coach.core.loader
import coach.core.settings  # the command line's language is read from the settings
import coach.resources
coach.resources.exercises_dir()
os.setgroups([])
os.setgid({NOBODY})
os.setuid({NOBODY})
if sys.argv[1] == "load":
    library = coach.app.content.load()
    print(len(library.protocols), "protocols")
    print(*library.errors, sep="\\n")
else:
    sys.exit(coach.cli.main(sys.argv[1:]))
"""


@posix_only
@pytest.mark.parametrize("task", ["load", "validate"], ids=["app start", "validate"])
def test_an_unreadable_routines_folder_for_a_real_user(task: str) -> None:
    """Permission denied for real: run as nobody when the tests run as root."""
    if os.geteuid() != 0:
        pytest.skip("needs root to become nobody; the test above covers the rest")
    top = Path(tempfile.mkdtemp())
    try:
        top.chmod(0o755)
        env = child_env()
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[name] = str(top / name.lower())
            (top / name.lower()).mkdir()
            os.chown(top / name.lower(), NOBODY, NOBODY)
        routines = top / "xdg_data_home" / "cramp-coach" / "routines"
        routines.mkdir(parents=True)
        (routines / "mine.yaml").write_text(ROUTINE)
        for folder in (routines.parent, routines):
            os.chown(folder, NOBODY, NOBODY)
        routines.chmod(0)
        result = subprocess.run([sys.executable, "-c", AS_NOBODY, task], capture_output=True,
                                text=True, env=env, timeout=TIMEOUT_S, check=False)
    finally:
        shutil.rmtree(top)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert f"{routines}:0: this folder cannot be read (permission denied)" in result.stdout
    if task == "load":
        assert result.stdout.startswith("5 protocols\n"), output
    else:
        assert result.returncode == 1
        assert "5 protocols" in result.stderr


def test_a_missing_folder_is_not_a_file(tmp_path: Path) -> None:
    assert content_files([tmp_path / "routines"]) == []
    assert find_content([tmp_path / "routines"]).missing == (tmp_path / "routines",)


def test_validate_counts_only_the_files_there_are() -> None:
    """No routines folder yet: only the shipped files are counted."""
    shipped = sorted(resources.exercises_dir().glob("*.yaml"))
    result = subprocess.run([sys.executable, "-m", "coach", "validate"], capture_output=True,
                            text=True, env=child_env(), timeout=TIMEOUT_S, check=False)
    assert not paths.user_content_dir().exists()
    assert f"{len(shipped)} files checked, {len(shipped)} loaded" in result.stderr


# -- 5. the user's files and emergency mode -------------------------------------

PIN_PRICK = """\
routines:
  - id: mine
    title: Mine
    items: [wall-calf-stretch]
protocols:
  - id: pin-prick
    title: Pin prick
    order: 2
    steps:
      - id: prick
        instruction: Prick the calf.
        action: massage
        evidence: traditional
        source: a forum
"""

TIP = """\
  - id: mine
    title: Mine
    text: Drink pickle juice.
    evidence: traditional
    source: a forum
"""


@pytest.mark.parametrize(
    ("text", "section", "line"),
    [(PIN_PRICK, "protocols", 5), (f"{ROUTINE}tips:\n{TIP}", "tips", 5),
     (f"aftercare:\n{TIP}{ROUTINE}", "aftercare", 1)],
)
def test_a_user_file_may_not_add_to_emergency_mode_or_the_advice(
        tmp_path: Path, text: str, section: str, line: int) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(text)
    shipped = load_library([resources.exercises_dir()], resources.assets_dir())
    library = load_library([resources.exercises_dir()], resources.assets_dir(), user=[mine])
    assert (library.protocols, library.tips, library.aftercare) == (
        shipped.protocols, shipped.tips, shipped.aftercare)
    assert library.skipped_files == (str(mine),), "the whole file is skipped"
    message = str(library.errors[0])
    assert message.startswith(f"{mine}:{line}: {section}: ")
    assert "your own files may add routines and exercises only" in message


def test_emergency_places_keep_their_numbers_whatever_is_in_the_routines_folder() -> None:
    shipped = [p.id for p in content.load().protocols]
    folder = paths.user_content_dir()
    folder.mkdir(parents=True)
    (folder / "pin.yaml").write_text(PIN_PRICK)
    library = content.load()
    assert [p.id for p in library.protocols] == shipped
    assert any("pin.yaml:5: protocols: " in str(e) for e in library.errors)


def test_validate_and_import_say_why_a_protocol_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(PIN_PRICK)
    result = subprocess.run([sys.executable, "-m", "coach", "validate", str(mine)],
                            capture_output=True, text=True, env=child_env(),
                            timeout=TIMEOUT_S, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{mine}:5: protocols: ")
    assert "your own files may add routines and exercises only" in result.stdout
    with pytest.raises(content.ImportProblem) as problem:
        content.import_file(mine)
    assert problem.value.messages[0].startswith(f"{mine}:5: protocols: ")
    assert not (paths.user_content_dir() / "mine.yaml").exists()


def test_a_user_exercise_cannot_replace_a_shipped_one(tmp_path: Path) -> None:
    shipped = load_library([resources.exercises_dir()], resources.assets_dir())
    mine = tmp_path / "mine.yaml"
    mine.write_text("exercises:\n  - id: wall-calf-stretch\n    title: Prick the calf\n"
                    "    steps: [Prick it.]\n    hold: 30\n    image: images/place_calf.svg\n"
                    "    evidence: traditional\n    source: a forum\n" + ROUTINE)
    library = load_library([resources.exercises_dir()], resources.assets_dir(), user=[mine])
    assert library.exercise("wall-calf-stretch") == shipped.exercise("wall-calf-stretch")
    assert library.routine("mine").items[0].exercise == "wall-calf-stretch"
    assert [str(e).split(" (")[0] for e in library.errors] == [
        f"{mine}:2: exercises[0].id: duplicate id 'wall-calf-stretch'"]


def test_a_shipped_file_is_not_imported() -> None:
    with pytest.raises(content.ImportProblem, match="comes with Cramp Coach"):
        content.import_file(resources.exercises_dir() / "emergency.yaml")
