"""The shipped files are found from an installed wheel, not only a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from coach import resources

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_layout_is_found() -> None:
    assert resources.exercises_dir() == ROOT / "exercises"
    assert resources.icon_path().is_file()
    assert resources.sound("start").is_file()


def test_the_wheel_carries_the_content_and_finds_it(tmp_path: Path) -> None:
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                           timeout=600, check=False)
    assert build.returncode == 0, build.stderr
    [wheel] = tmp_path.glob("cramp_coach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for needed in ("coach/_data/exercises/emergency.yaml", "coach/_data/assets/sounds/start.wav",
                   "coach/_data/assets/icons/cramp-coach.svg",
                   "coach/_data/assets/images/calf_pull_toes.svg",
                   "coach/locale/ru/LC_MESSAGES/coach.mo"):
        assert needed in names
    probe = ("from coach import resources; from coach.core.loader import load_library;"
             "lib = load_library([resources.exercises_dir()], resources.assets_dir());"
             "print(resources.exercises_dir()); print(len(lib.protocols), len(lib.errors))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site")},
                            timeout=60, check=True)
    where, counts = result.stdout.splitlines()
    assert where.startswith(str(tmp_path / "site" / "coach" / "_data"))
    assert counts == "5 0"
