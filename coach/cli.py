"""Command line: launch the app, or run a scriptable task without any window.

Qt is imported only on the path that opens a window, so ``validate`` and the
other tasks start fast and work on a machine with no display at all. The
other way round, each task imports what it needs itself (``dataclasses``
too): a start for a cramp runs this module before its first paint
(``benchmarks/startup.py``).

Every failure a person can cause (bad input, a file that cannot be written,
output sent to a full disk) ends in one line on stderr and a non-zero exit,
never a traceback. Anything unexpected is logged with its traceback to
:func:`coach.core.paths.log_file`, and stderr gets one line saying where. A
reader that stops early (``cramp-coach paths | head -1``) ends the command
quietly, with status 1, as Python's documentation recommends for ``EPIPE``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import gettext
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from coach import APP_NAME, __version__
from coach.core import i18n, paths
from coach.core.i18n import N_

if TYPE_CHECKING:
    import logging
    from datetime import datetime, tzinfo

    from coach.core.notices import Notices
    from coach.core.schedule import NightState, ReminderConfig
    from coach.core.settings import Settings, SettingsStore

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
_HANDLER_NAMES = ("cramp-coach stderr", "cramp-coach log file")


ARGPARSE_WORDS = (
    # Translators: argparse's own words (Python's), in the help and in the
    # line that says what was wrong with a command. Keep the placeholders.
    N_("usage: "), N_("positional arguments"), N_("options"), N_("subcommands"),
    N_("%(heading)s:"), N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"), N_("not allowed with argument %s"),
    N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unrecognized arguments: %s"), N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ignored explicit argument %r"),
)
"""The words of argparse (Python 3.10 to 3.13) that a person can meet, so
that a Russian help or usage error is Russian throughout (but for
"argument ..." before a usage error on 3.10, whose argparse does not ask for
it). argparse asks its module-level ``_`` for each; :meth:`_Speaking.begin` points that at the
app's catalogue for the length of :func:`main`."""


def _day_break() -> dict[str, str]:
    from coach.core.schedule import DAY_BREAK

    return {"day_break": DAY_BREAK.strftime("%H:%M")}


def _most_lead() -> dict[str, str]:
    from coach.core.schedule import MAX_LEAD_MINUTES

    return {"most": str(MAX_LEAD_MINUTES)}


def _day_choices() -> dict[str, str]:
    from coach.core.i18n import _
    from coach.core.schedule import day_choices

    return {"choices": day_choices(), "daily": _("daily")}


def _weekend_example() -> dict[str, str]:
    from coach.core import wording
    from coach.core.i18n import _

    saturday, sunday = wording.weekday_abbreviations()[5:]
    return {"example": f"{saturday},{sunday}".lower(), "weekends": _("weekends")}


# Translators: {choices} are the words --days accepts, e.g. "mon, tue, … weekends
# or daily"; {daily} is the one for every day.
DAYS_HELP = N_("days, with commas between: {choices} (default: {daily}); other days keep "
               "their own time")
# Translators: {example} is two days, e.g. "sat,sun"; {weekends} the word for them.
OFF_DAYS_HELP = N_("only these days, e.g. {example} or {weekends}")
# Translators: {day_break} is a time, e.g. "06:00". Keep "--days mon" as it is;
# "Tuesday" is the day after "mon".
BEDTIME_HELP = N_("bedtime, 24-hour HH:MM; one before {day_break} belongs to the evening "
                  "before (00:30 with --days mon is early on Tuesday)")
# Translators: {most} is a number of minutes, e.g. 120.
LEAD_HELP = N_("remind this many minutes before bedtime, the same on every day (0-{most})")
_HELP_VALUES: dict[str, Callable[[], dict[str, str]]] = {
    BEDTIME_HELP: _day_break, LEAD_HELP: _most_lead, DAYS_HELP: _day_choices,
    OFF_DAYS_HELP: _weekend_example}
"""Help texts with a value from the rule they describe, filled in only when
the help is shown: the launch builds the parser and must not import them."""


# Translators: keep HOME and the XDG_... names as they are.
NO_HOME = N_("Cramp Coach cannot find your home folder: HOME is not set to a full path and "
             "your account has none. Set HOME (or XDG_CONFIG_HOME, XDG_DATA_HOME, "
             "XDG_STATE_HOME and XDG_CACHE_HOME) and start it again.")


class _Help(argparse.HelpFormatter):
    """Help texts and descriptions in the app's language, worded when the
    help is shown rather than when the parser is built."""

    def start_section(self, heading: str | None) -> None:
        """The group titles were named while the parser was built, before
        the language was known."""
        from coach.core.i18n import _

        _Speaking.start()
        super().start_section(_(heading) if heading else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        from coach.core.i18n import _

        _Speaking.start()
        if not action.help:
            return action.help
        values = _HELP_VALUES.get(action.help)
        return _(action.help).format(**values()) if values else _(action.help)

    def add_text(self, text: str | None) -> None:
        if text and text is not argparse.SUPPRESS:
            from coach.core.i18n import _

            _Speaking.start()
            text = _(text)
        super().add_text(text)


class _Parser(argparse.ArgumentParser):
    """argparse prints the whole usage before a usage error; one line that
    says where the help is reads better, in a terminal and in a script's log.
    Every parser, subcommands' too, words its help in the app's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        from coach.core.i18n import _

        _Speaking.start()
        # Translators: {prog} is the command ("cramp-coach"); {message} is argparse's
        # own message. Keep "--help" as it is.
        self.exit(2, _("{prog}: {message} (see: {prog} --help)").format(
            prog=self.prog, message=message) + "\n")


class _Unsure(Exception):
    """The command line needs the commands' parsers after all."""


class _WithoutCommands(_Parser):
    def error(self, message: str) -> NoReturn:
        raise _Unsure(message)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """A start from the menu or a launcher ("Cramp now!" is ``--emergency``)
    has options alone, and then the commands' parsers are not built (about
    3 ms of the time to the first paint): the options are the same ones,
    from the same code. Help, anything that is not an option, and any
    mistake take the whole parser, which says what it always says."""
    given = sys.argv[1:] if argv is None else list(argv)
    if all(word.startswith("-") and word not in ("-h", "--help") for word in given):
        try:
            return _parser(commands=False).parse_args(given)
        except _Unsure:
            pass
    return _parser().parse_args(given)


def _parser(*, commands: bool = True) -> argparse.ArgumentParser:
    _Speaking.building = True
    try:
        return _build_parser(commands)
    finally:
        _Speaking.building = False


def _build_parser(with_commands: bool) -> argparse.ArgumentParser:
    parser = (_Parser if with_commands else _WithoutCommands)(
        prog="cramp-coach",
        description=N_("Cramp Coach: first aid and guided stretching for night leg cramps."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help=N_("log everything, for a bug report (to stderr and the log file)"))
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--emergency", action="store_true",
                       help=N_("open straight into emergency mode (the big buttons)"))
    start.add_argument("--background", action="store_true",
                       help=N_("start with no window, only the tray icon and reminders"))
    start.add_argument("--routine", metavar="ID",
                       help=N_("open a routine ready to start, e.g. --routine bedtime"))
    parser.add_argument("--theme", choices=("auto", "day", "night"),
                        help=N_("override the colour theme for this run"))
    parser.add_argument("--lang", metavar="LANGUAGE",
                        help=N_("speak this language (en, ru) until one is chosen in "
                                "Settings; for commands, this run only"))
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help=N_("check content files and print every problem as file:line: "
                           "message"))
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help=N_("files or folders (default: the shipped content and your "
                                 "own routines folder)"))

    commands.add_parser("paths", help=N_("print where settings, the diary and your own "
                                        "routines are kept"))

    reminder = commands.add_parser("reminder", help=N_("set, switch off or show the bedtime "
                                                      "reminder"))
    reminder_commands = reminder.add_subparsers(dest="reminder_command", metavar="ACTION",
                                                required=True)
    set_reminder = reminder_commands.add_parser("set", help=N_("remind at a time, e.g. 22:30"))
    # argparse takes a value that starts with a dash for an option unless it
    # is a number like -1 or -1.5, so "set -1:00" would end in "the following
    # arguments are required: time". Times never look like options: let the
    # time parser say what is wrong with it.
    set_reminder._negative_number_matcher = re.compile(r"-\.?\d")
    set_reminder.add_argument("time", help=BEDTIME_HELP)
    set_reminder.add_argument("--days", default="daily", help=DAYS_HELP)
    set_reminder.add_argument("--lead", type=int, metavar="MINUTES",
                              help=LEAD_HELP)
    off = reminder_commands.add_parser(
        "off", help=N_("switch the reminder off, or only on some days with --days"))
    off.add_argument("--days", help=OFF_DAYS_HELP)
    reminder_commands.add_parser("show", help=N_("print the schedule and the next reminder"))

    autostart = commands.add_parser("autostart",
                                    help=N_("start Cramp Coach in the tray at login"))
    # Translators: keep "on" and "off": they are what the command accepts.
    autostart.add_argument("state", choices=("on", "off"), metavar="on|off",
                           help=N_("on: start at every login; off: no longer"))

    install_desktop = commands.add_parser(
        "install-desktop", help=N_("add Cramp Coach (and its icon) to your applications menu"))
    install_desktop.add_argument("--remove", action="store_true",
                                 help=N_("take it out of the menu again"))

    from coach.export_cli import add_parser as add_export

    add_export(commands)
    return parser


def _validate(targets: Sequence[Path]) -> int:
    from coach import resources
    from coach.app import content
    from coach.core import paths
    from coach.core.i18n import _, ngettext
    from coach.core.loader import load_library
    from coach.core.sources import find_content

    if targets:
        # The shipped content is loaded too, so a routine that uses its
        # exercises resolves. The named files are checked as the user's own
        # (routines and exercises only), unless they are the shipped files.
        found = find_content(targets)
        for path in found.missing:
            print(_("{path}:0: no such file or folder").format(path=path), file=sys.stderr)
        library = load_library([resources.exercises_dir()], resources.assets_dir(),
                               user=targets)
    else:
        found = find_content([resources.exercises_dir(), paths.user_content_dir()])
        library = content.load()
    for error in (*library.errors, *library.untranslated):
        print(error)
    checked = len(found.files)
    ok = checked - len(library.skipped_files)
    tips = len(library.tips) + len(library.aftercare)
    # Translators: e.g. "5 files checked, 5 loaded: 4 protocols, 20 exercises, 3
    # routines, 12 tips"; {loaded} is a number.
    summary = _("{checked}, {loaded} loaded: {protocols}, {exercises}, {routines}, "
                "{tips}").format(
        checked=ngettext("{n} file checked", "{n} files checked", checked).format(n=checked),
        loaded=ok,
        protocols=ngettext("{n} protocol", "{n} protocols",
                           len(library.protocols)).format(n=len(library.protocols)),
        exercises=ngettext("{n} exercise", "{n} exercises",
                           len(library.exercises)).format(n=len(library.exercises)),
        routines=ngettext("{n} routine", "{n} routines",
                          len(library.routines)).format(n=len(library.routines)),
        tips=ngettext("{n} tip", "{n} tips", tips).format(n=tips))
    print(summary, file=sys.stderr)
    failed = library.errors or library.untranslated or (targets and found.missing)
    return 1 if failed else 0


def _paths() -> int:
    from coach.core import paths

    # Left in English on purpose: scripts read these lines (the names are keys),
    # and translating them would import the translation machinery, and logging
    # with it, into the one command that starts without it.
    print(f"settings:      {paths.settings_file()}")
    print(f"diary:         {paths.diary_file()}")
    print(f"your routines: {paths.user_content_dir()}")
    print(f"log:           {paths.log_file()}")
    return 0


def _store() -> tuple[SettingsStore, Notices]:
    from coach.core import paths
    from coach.core.clock import SystemClock
    from coach.core.notices import Notices
    from coach.core.settings import SettingsStore

    notices = Notices()
    notices.subscribe(lambda notice: print(notice.text, file=sys.stderr))
    return SettingsStore(paths.settings_file(), notices, SystemClock(), resident=False), notices


def _reminder(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from coach import instance
    from coach.core import paths, schedule
    from coach.core.clock import SystemClock
    from coach.core.reminders import ReminderStateStore
    from coach.core.timezones import local_zone

    store, notices = _store()
    clock = SystemClock()
    # What the running app knows (snoozes, skipped and done nights), for the
    # next reminder as the tray words it.
    records = ReminderStateStore(paths.reminder_state_file(), notices, clock)
    settled, warning = True, ""
    if args.reminder_command == "show":
        config = _reminder_config(store.load())
    else:
        try:
            edit = _reminder_edit(args)
        except ValueError as exc:
            print(f"cramp-coach reminder: {exc}", file=sys.stderr)
            return 2
        config = schedule.ReminderConfig()

        def change(settings: Settings) -> Settings:
            # Runs under the settings lock on what is on disk now, so a change
            # made by the app or another command a moment ago is kept.
            nonlocal config
            config = edit(_reminder_config(settings))
            return replace(settings, reminder=config.to_dict())

        try:
            saved = store.update_with(change)
        except ValueError as exc:  # e.g. a lead the schedule does not allow
            print(f"cramp-coach reminder: {exc}", file=sys.stderr)
            return 2
        if not saved:
            return 1  # the store has said why
        # A running Cramp Coach catches up under the old settings, then re-arms
        # its timer. With none running, nothing due before this change was
        # anyone's to show: settled now, the next start owes none of it.
        if not instance.hand_over("reload"):
            # On failure the store has said why.
            settled = records.update_with(lambda state: schedule.settle(state, clock.wall()))
            if config.enabled:
                warning = _not_running(store.current.autostart)
    print(_describe_reminder(config, records.load(), clock.wall(), local_zone()))
    if warning:
        _say(warning)
    return 0 if settled else 1


def _not_running(autostart_saved: bool) -> str:
    """Setting a reminder does not start the app that shows it."""
    from coach.core.i18n import _
    from coach.services.autostart import autostart_for_platform

    try:
        at_login = autostart_for_platform().is_enabled()
    except OSError:  # the Run key could not be read: as last set from Cramp Coach
        at_login = autostart_saved
    if at_login:
        # Translators: {command} is a command to type: keep it as it is.
        return _("Cramp Coach is not running, and the reminder comes only while it runs. "
                 "To start it in the background now: {command}").format(
            command="cramp-coach --background")
    # Translators: {command} and {at_login} are commands to type: keep them as they are.
    return _("Cramp Coach is not running, and the reminder comes only while it runs. "
             "To start it in the background now: {command}; at every login: "
             "{at_login}").format(command="cramp-coach --background",
                                  at_login="cramp-coach autostart on")


def _reminder_edit(args: argparse.Namespace) -> Callable[[ReminderConfig], ReminderConfig]:
    """The change ``reminder set/off`` asks for. Input is checked here, before
    anything is read or locked; raises ValueError with a message for the user."""
    from dataclasses import replace

    from coach.core import schedule

    if args.reminder_command == "set":
        at = schedule.parse_time(args.time)
        days = schedule.parse_days(args.days)
        return lambda config: replace(config.with_time(at, days, args.lead), enabled=True)
    if args.days is not None:  # "" too: a script's empty variable must not mean every day
        off_days = schedule.parse_days(args.days)
        return lambda config: config.with_time(None, off_days)
    return lambda config: replace(config, enabled=False)


def _reminder_config(settings: Settings) -> ReminderConfig:
    from coach.core import schedule
    from coach.core.i18n import _

    try:
        return schedule.ReminderConfig.from_dict(dict(settings.reminder))
    except ValueError as exc:
        # Translators: {problem} says what is wrong with them.
        print(_("The saved reminder settings were not usable ({problem}); starting "
                "afresh.").format(problem=exc), file=sys.stderr)
        return schedule.ReminderConfig()


def _describe_reminder(config: ReminderConfig, state: NightState, now: datetime,
                       zone: tzinfo) -> str:
    """The schedule, then the next reminder exactly as the tray words it."""
    from coach.app.reminders import next_fire, next_reminder
    from coach.core import wording
    from coach.core.i18n import _, ngettext

    lines = [_("Bedtime reminder: on") if config.enabled else _("Bedtime reminder: off")]
    names = wording.weekday_abbreviations()
    width = max(map(len, names))
    for name, at in zip(names, config.times, strict=True):
        lines.append(f"  {name:{width}}  {wording.clock_time(at) if at else '-'}")
    if config.lead_minutes:
        lines.append("  " + ngettext("reminds {n} minute before bedtime",
                                     "reminds {n} minutes before bedtime",
                                     config.lead_minutes).format(n=config.lead_minutes))
    if config.enabled:
        lines.append(f"{next_reminder(next_fire(config, state, now, zone), zone)} ({zone})")
    return "\n".join(lines)


def _autostart(state: str) -> int:
    from dataclasses import replace

    from coach.core.i18n import _
    from coach.services.autostart import autostart_for_platform

    store, _notices = _store()
    service = autostart_for_platform()
    try:
        if state == "on":
            where = service.enable()
            # Translators: {where} is the file (or registry value) that starts it.
            print(_("Cramp Coach will start in the tray at login ({where}).").format(
                where=where))
        elif service.disable():
            print(_("Start at login is off."))
        else:
            print(_("Start at login is off. (It was not on.)"))
    except OSError as exc:
        # Translators: {path} is the file it could not change (or, on Windows, the
        # registry value); {reason} is the system's reason, e.g. "Permission denied".
        print(_("cramp-coach autostart: could not change {path}: {reason}").format(
            path=exc.filename or service.path, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    saved = store.update_with(
        lambda settings: replace(settings, autostart=state == "on", autostart_offered=True))
    return 0 if saved else 1  # on failure the store has said why


def _install_desktop(remove: bool) -> int:
    from coach.core import paths
    from coach.core.i18n import _
    from coach.services import desktop

    if not paths.is_xdg():
        print(_("cramp-coach install-desktop: this adds a menu entry on Linux and other "
                "desktops that follow the XDG rules, not on Windows or macOS."), file=sys.stderr)
        return 1
    try:
        outcome = desktop.remove() if remove else desktop.install()
    except desktop.DesktopError as exc:
        print(f"cramp-coach install-desktop: {exc}", file=sys.stderr)
        return 1
    if not remove:
        # Translators: keep "cramp" as it is: it is what to type in the menu's search.
        print(_("{app} is now in your applications menu (search for \"cramp\"). "
                "Installed:").format(app=APP_NAME))
    elif outcome.files:
        print(_("{app} is no longer in your applications menu. Removed:").format(app=APP_NAME))
    else:
        print(_("{app} was not in your applications menu; nothing was removed.").format(
            app=APP_NAME))
    for what, path in outcome.files:
        print(f"  {desktop.file_label(what)}: {path}")
    if outcome.command:
        import shlex

        # Translators: {command} is a command line.
        print(_("The menu entry starts: {command}").format(command=shlex.join(outcome.command)))
    for path in outcome.refreshed:
        print(_("Refreshed {path}").format(path=path))
    for note in outcome.notes:
        # Translators: {note} is something the person may want to know, as a sentence.
        print(_("Note: {note}").format(note=note), file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (see the module
    docstring for what a failure looks like).

    Python's cyclic garbage collector waits meanwhile: while a start loads
    its modules it runs dozens of times and frees nothing (they all stay),
    which cost 5 to 7 ms of the first paint (``benchmarks/startup.py``).
    The app turns it on again once it is built (:mod:`coach.ui.launch`)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or a pipe whose encoding cannot spell the language
        # (Russian into latin-1) gets escapes, rather than no output at all.
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
    stdout = sys.stdout
    output = None if stdout is None else _WatchedOutput(stdout)
    try:
        sys.stdout = cast(TextIO, output)
        _Speaking.begin(sys.argv[1:] if argv is None else list(argv))
        try:
            args = _parse(argv)
        except SystemExit as stop:  # --help, --version, or a usage error already said
            status = stop.code if isinstance(stop.code, int) else 1
        else:
            if args.lang:
                language = i18n.offered(args.lang)
                if language is None:
                    _Speaking.start()  # which says so, in the usual language
                args.lang = language  # for the app too: "RU" means "ru"
            if args.command is None:
                # The app sets its language and logging itself, after a
                # running one has had the chance to take the request: a
                # second launch at 3 a.m. pays for neither.
                sys.stdout = stdout  # the app is not a command: no watching
                return _launch(args)
            # `paths` prints lines for scripts: they stay English, and it
            # starts without importing logging at all (a sixth of its run).
            if args.command != "paths":
                _Speaking.start()
            if args.command != "paths" or args.verbose:
                configure_logging(verbose=args.verbose)
            status = _dispatch(args)
        if output is not None:
            output.flush()  # here, where a failure can still be reported
            if output.error is not None:  # swallowed on the way (argparse does)
                raise output.error
        return status
    except KeyboardInterrupt:
        return 130
    except paths.NoHome:  # no log file either: it would be in the home folder
        _Speaking.start()
        _say(f"cramp-coach: {i18n._(NO_HOME)}")
        return 1
    except Exception as error:
        if output is not None and error is output.error:
            return _output_failed(output.error, stdout)
        return _unexpected(error)
    finally:
        sys.stdout = stdout
        _Speaking.end()


class _Speaking:
    """The command line's language: ``--lang``, else the one chosen in
    Settings, else the desktop's. Set once, when the first translated word is
    needed (help, a usage error, or a command's output), so that a launch
    handing over to a running app never reads the settings."""

    arguments: Sequence[str] = ()
    _done = False
    building = False
    """While the parser is built: argparse's words then (group titles, the
    help option's help) are worded by :class:`_Help` when shown, so a launch
    that says nothing never decides its language."""

    @classmethod
    def begin(cls, arguments: Sequence[str]) -> None:
        cls.arguments, cls._done = arguments, False
        argparse._ = cls.argparse_word  # type: ignore[attr-defined]

    @classmethod
    def end(cls) -> None:
        argparse._ = gettext.gettext  # type: ignore[attr-defined]

    @classmethod
    def argparse_word(cls, message: str) -> str:
        if cls.building:
            return message
        cls.start()
        from coach.core.i18n import _

        return _(message)

    @classmethod
    def start(cls) -> None:
        if cls._done:
            return
        cls._done = True
        from coach.core import paths
        from coach.core.early_settings import saved_language
        from coach.core.i18n import _

        early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
        early.add_argument("--lang", default="")
        try:
            setting = early.parse_known_args(list(cls.arguments))[0].lang
        except argparse.ArgumentError:  # "--lang" with nothing after: the parser says so
            setting = ""
        language = i18n.offered(setting)
        try:
            saved = saved_language(paths.settings_file())
        except paths.NoHome:  # no settings anywhere: main says so
            saved = ""
        i18n.set_current(i18n.resolve(language or saved))
        if setting and language is None:
            # Translators: {language} is what was typed after --lang, quoted;
            # {languages} the codes there are, e.g. "en, ru". Keep "--lang" as it is.
            _say(_("cramp-coach: there is no language {language} in Cramp Coach (there are: "
                   "{languages}); --lang is ignored.").format(
                language=repr(setting), languages=", ".join(i18n.available())))


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args.paths)
    if args.command == "paths":
        return _paths()
    if args.command == "reminder":
        return _reminder(args)
    if args.command == "autostart":
        return _autostart(args.state)
    if args.command == "install-desktop":
        return _install_desktop(args.remove)
    from coach.export_cli import run_export

    return run_export(args.path, args.force, args.card)


def _launch(args: argparse.Namespace) -> int:
    from coach.ui.launch import launch

    def becoming_the_app() -> None:
        configure_logging(verbose=args.verbose)

    return launch(args, becoming_the_app, _Speaking.start)


class _WatchedOutput:
    """Stands in for stdout while a command runs, so that a write that fails
    (a full disk, a closed pipe) is known to be the output's, whichever print
    raised it, and even when argparse swallowed it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.error: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            self.error = error
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            self.error = error
            raise

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _output_failed(error: OSError, stdout: TextIO) -> int:
    """One line on stderr, none for a reader that went away on purpose."""
    # Python flushes stdout again at exit; with the output gone that would fail
    # again, so whatever is still buffered goes to the null device instead.
    with contextlib.suppress(OSError, ValueError):  # ValueError: no real descriptor
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stdout.fileno())
        os.close(null)
    if error.errno != errno.EPIPE:
        from coach.core.i18n import _

        # Translators: {reason} is the system's reason, e.g. "No space left on device".
        _say(_("cramp-coach: the output could not be written: {reason}").format(
            reason=error.strerror or error))
    return 1


def _unexpected(error: Exception) -> int:
    """A bug, or a failure nobody foresaw: the traceback to the log file, one
    line saying where it is to stderr."""
    import logging

    from coach.core import paths

    if not any(h.get_name() in _HANDLER_NAMES for h in logging.getLogger().handlers):
        configure_logging()
    logging.getLogger(__name__).error(
        "Something went wrong: %s. The details are in %s", str(error) or type(error).__name__,
        paths.log_file(), exc_info=error)
    return 1


def _say(line: str) -> None:
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):  # nowhere left to say it
            print(line, file=sys.stderr)


def configure_logging(verbose: bool = False) -> None:
    """Warnings (with ``verbose``, everything) go to stderr, one line each,
    and with their tracebacks to :func:`coach.core.paths.log_file`. :func:`main`
    calls it before running a command or the app; calling it again replaces
    only the handlers it added before, so those of a host (pytest, an
    embedding program) are left alone.

    :mod:`logging` is imported here rather than at the top of this module, so
    that a command that logs nothing does not pay for it."""
    import logging

    from coach.core import paths

    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() in _HANDLER_NAMES]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for handler in _handlers(paths.log_file()):
        root.addHandler(handler)


def _handlers(log_path: Path) -> tuple[logging.Handler, logging.Handler]:
    """The stderr handler and the log-file handler (named, so that
    :func:`configure_logging` finds them again). Defined in here because their
    base class lives in :mod:`logging`, imported only when needed."""
    import logging

    class Terminal(logging.Handler):
        """One line per record, without the traceback (that is for the log
        file). Notices are left out: whoever shows notices (the window, or
        the command's own printing) already shows them."""

        def filter(self, record: logging.LogRecord) -> bool:
            return record.name != "coach.core.notices" and super().filter(record)

        def emit(self, record: logging.LogRecord) -> None:
            try:
                message = record.getMessage()
            except Exception:
                message = str(record.msg)
            _say(f"cramp-coach: {message}")

    class LogFile(logging.Handler):
        """Rotating (:data:`LOG_MAX_BYTES` times :data:`LOG_BACKUPS`), opened at
        the first record: a command that logs nothing creates no file and does
        not import :mod:`logging.handlers`. A log that cannot be opened, or
        can no longer be written (a full disk), is given up on quietly; the
        message has already reached stderr. (logging's own answer to a failed
        write is a traceback on stderr for every record.)"""

        def __init__(self) -> None:
            super().__init__()
            self._file: logging.Handler | None = None
            self.setFormatter(logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"))

        def emit(self, record: logging.LogRecord) -> None:
            if self._file is None:
                self._file = self._open()
            self._file.handle(record)

        def _open(self) -> logging.Handler:
            from logging.handlers import RotatingFileHandler

            give_up = self._give_up

            class File(RotatingFileHandler):
                def handleError(self, record: logging.LogRecord) -> None:
                    if isinstance(sys.exc_info()[1], OSError):
                        give_up()
                    # else this record alone is lost: a bug in its own wording

            try:
                log_path.parent.mkdir(parents=True, exist_ok=True)
                # A name from the command line, a socket or a folder listing
                # can hold what UTF-8 cannot encode (a lone surrogate).
                handler: logging.Handler = File(
                    log_path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS,
                    encoding="utf-8", errors="backslashreplace")
            except OSError:
                return logging.NullHandler()
            handler.setFormatter(self.formatter)
            return handler

        def _give_up(self) -> None:
            if self._file is not None:
                self._file.close()
            self._file = logging.NullHandler()

        def close(self) -> None:
            if self._file is not None:
                self._file.close()
            super().close()

    terminal, log_file = Terminal(), LogFile()
    terminal.set_name(_HANDLER_NAMES[0])
    log_file.set_name(_HANDLER_NAMES[1])
    return terminal, log_file
