"""Command line: launch the app, or run a scriptable task without any window.

Qt is imported only on the path that opens a window, so ``validate`` and the
other tasks start fast and work on a machine with no display at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coach import APP_NAME, __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cramp-coach",
        description=f"{APP_NAME}: first aid and guided stretching for night leg cramps.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--emergency", action="store_true",
                       help="open straight into emergency mode (the big buttons)")
    start.add_argument("--background", action="store_true",
                       help="start with no window, only the tray icon and reminders")
    start.add_argument("--routine", metavar="ID",
                       help="open a routine ready to start, e.g. --routine bedtime")
    parser.add_argument("--theme", choices=("auto", "day", "night"),
                        help="override the colour theme for this run")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check content files and print every problem as file:line: message")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="files or folders (default: the shipped content and your "
                               "own routines folder)")

    commands.add_parser("paths", help="print where settings, the diary and your own "
                                      "routines are kept")
    return parser


def _validate(targets: Sequence[Path]) -> int:
    from coach import content, resources
    from coach.core import paths
    from coach.core.loader import content_files, load_library

    missing = [p for p in targets if not p.exists()]
    for path in missing:
        print(f"{path}:0: no such file or folder", file=sys.stderr)
    targets = [p for p in targets if p.exists()]
    if not targets and not missing:
        library = content.load()
        checked = content_files([resources.exercises_dir(), paths.user_content_dir()])
    else:
        # The shipped exercises are loaded too, so a routine that uses them
        # resolves; only the problems of the named files matter here, but the
        # shipped files must be clean anyway (a test guarantees it).
        checked = content_files(targets)
        library = load_library([resources.exercises_dir(), *checked], resources.assets_dir())
    for error in library.errors:
        print(error)
    ok = len(checked) - len(library.skipped_files)
    summary = (f"{len(checked)} file(s) checked, {ok} loaded: {len(library.protocols)} "
               f"protocols, {len(library.exercises)} exercises, {len(library.routines)} "
               f"routines, {len(library.tips) + len(library.aftercare)} tips")
    print(summary, file=sys.stderr)
    return 1 if library.errors or missing else 0


def _paths() -> int:
    from coach.core import paths

    print(f"settings:      {paths.settings_file()}")
    print(f"diary:         {paths.diary_file()}")
    print(f"your routines: {paths.user_content_dir()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return _validate(args.paths)
    if args.command == "paths":
        return _paths()
    from coach.ui.launch import launch

    return launch(args)
