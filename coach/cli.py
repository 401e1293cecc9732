"""Command line: launch the app, or run a scriptable task without any window.

Qt is imported only on the path that opens a window, so ``validate`` and the
other tasks start fast and work on a machine with no display at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from coach import APP_NAME, __version__

if TYPE_CHECKING:
    from coach.core.notices import Notices
    from coach.core.schedule import ReminderConfig
    from coach.core.settings import SettingsStore


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

    reminder = commands.add_parser("reminder", help="set, switch off or show the bedtime "
                                                    "reminder")
    reminder_commands = reminder.add_subparsers(dest="reminder_command", metavar="ACTION",
                                                required=True)
    set_reminder = reminder_commands.add_parser("set", help="remind at a time, e.g. 22:30")
    set_reminder.add_argument("time", help="bedtime, 24-hour HH:MM")
    set_reminder.add_argument("--days", default="daily",
                              help="mon,tue,... or weekdays, weekends, daily (default); "
                                   "other days keep their own time")
    set_reminder.add_argument("--lead", type=int, metavar="MINUTES",
                              help="remind this many minutes before bedtime (0-120)")
    off = reminder_commands.add_parser(
        "off", help="switch the reminder off, or only on some days with --days")
    off.add_argument("--days", help="only these days, e.g. sat,sun or weekends")
    reminder_commands.add_parser("show", help="print the schedule and the next reminders")

    autostart = commands.add_parser("autostart", help="start Cramp Coach in the tray at login")
    autostart.add_argument("state", choices=("on", "off"))

    from coach.export_cli import add_parser as add_export

    add_export(commands)
    return parser


def _validate(targets: Sequence[Path]) -> int:
    from coach import content, resources
    from coach.core import paths
    from coach.core.loader import load_library
    from coach.core.sources import content_files

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


def _store() -> tuple[SettingsStore, Notices]:
    from coach.core import paths
    from coach.core.clock import SystemClock
    from coach.core.notices import Notices
    from coach.core.settings import SettingsStore

    notices = Notices()
    notices.subscribe(lambda notice: print(notice.text, file=sys.stderr))
    return SettingsStore(paths.settings_file(), notices, SystemClock()), notices


def _reminder(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from coach import instance
    from coach.core import schedule
    from coach.core.timezones import local_zone

    store, _ = _store()
    settings = store.load()
    try:
        config = schedule.ReminderConfig.from_dict(dict(settings.reminder))
    except ValueError as exc:
        print(f"The saved reminder settings were not usable ({exc}); starting afresh.",
              file=sys.stderr)
        config = schedule.ReminderConfig()
    if args.reminder_command in ("set", "off"):
        try:
            if args.reminder_command == "set":
                config = config.with_time(schedule.parse_time(args.time),
                                          schedule.parse_days(args.days), args.lead)
                config = replace(config, enabled=True)
            elif args.days:
                config = config.with_time(None, schedule.parse_days(args.days))
            else:
                config = replace(config, enabled=False)
        except ValueError as exc:
            print(f"cramp-coach reminder: {exc}", file=sys.stderr)
            return 2
        if not store.save(replace(settings, reminder=config.to_dict())):
            return 1
        instance.hand_over("reload")  # a running Cramp Coach re-arms its timer now
    zone = local_zone()
    print(_describe_reminder(config, datetime.now(timezone.utc), zone))
    return 0


def _describe_reminder(config: ReminderConfig, now: datetime, zone: tzinfo) -> str:
    from coach.core import schedule

    lines = [f"Bedtime reminder: {'on' if config.enabled else 'off'}"]
    for name, at in zip(schedule.DAY_NAMES, config.times, strict=True):
        lines.append(f"  {name}  {at.strftime('%H:%M') if at else '-'}")
    if config.lead_minutes:
        lines.append(f"  reminds {config.lead_minutes} minutes before bedtime")
    if config.enabled:
        lines.append(f"Next reminders ({zone}):")
        lines.extend(f"  {moment:%a %Y-%m-%d %H:%M %Z}"
                     for moment in schedule.upcoming(config, now, zone, count=5))
    return "\n".join(lines)


def _autostart(state: str) -> int:
    from coach.services.autostart import autostart_for_platform

    store, _ = _store()
    service = autostart_for_platform()
    try:
        if state == "on":
            where = service.enable()
            print(f"Cramp Coach will start in the tray at login ({where}).")
        else:
            removed = service.disable()
            print("Start at login is off." + ("" if removed else " (It was not on.)"))
    except OSError as exc:
        print(f"cramp-coach autostart: could not change it: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    store.save(replace(store.load(), autostart=state == "on", autostart_offered=True))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return _validate(args.paths)
    if args.command == "paths":
        return _paths()
    if args.command == "reminder":
        return _reminder(args)
    if args.command == "autostart":
        return _autostart(args.state)
    if args.command == "export":
        from coach.export_cli import run_export

        return run_export(args.path, args.force)
    from coach.ui.launch import launch

    return launch(args)
