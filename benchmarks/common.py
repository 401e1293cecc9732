"""What the benchmark scripts share: an environment that keeps the app they
start away from the real settings, diary and running Cramp Coach."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XDG_NAMES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def compile_bytecode() -> None:
    """Compile the package as an install does (pip writes ``.pyc`` files), so
    a run measures the app a person starts rather than Python compiling it:
    with ``PYTHONDONTWRITEBYTECODE`` set, as on some build machines, every
    start would otherwise compile every module again (about 100 ms here)."""
    import compileall

    compileall.compile_dir(str(ROOT / "coach"), quiet=1)


def isolated_env(home: Path, platform: str) -> dict[str, str]:
    """The children never see the real settings, diary or running Cramp Coach."""
    env = dict(os.environ)
    for name in XDG_NAMES:
        env[name] = str(home / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["QT_QPA_PLATFORM"] = platform
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONSTARTUP", None)
    return env
