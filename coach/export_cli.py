"""``cramp-coach export FILE.csv|FILE.pdf``: the diary as a spreadsheet or as
the report for the doctor, without opening a window.

The app's Export button uses :func:`export_file` too, so both write the same
files. Only the standard library is imported at module level, so adding the
subcommand costs the app's start-up nothing, and a CSV export never loads Qt
(the PDF needs it, and :mod:`coach.render.report` loads it then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final, TypeVar

_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

_NAME: Final = "cramp-coach export"


def N_(message: str) -> str:
    """Marks a help text for the catalogue, as :func:`coach.core.i18n.N_`
    does: the command line's help formatter translates it when shown, and
    building the parser imports no translation machinery."""
    return message


_DESCRIPTION: Final = N_("Save the diary as a spreadsheet (.csv, every entry) or as a report "
                         "for your doctor (.pdf, the recent weeks); or print the bedside card "
                         "(card.pdf).")


def export_file(path: Path, force: bool = False) -> int:
    """Write the diary to ``path`` as CSV (every episode) or PDF (the report
    for the last :data:`coach.app.diary.PERIOD_WEEKS` weeks) and return how many
    episodes it holds: the same writer and the same insights as the app's
    Export button, with this computer's clock and zone and the saved settings.

    Raises UnknownFormat for another suffix, FileExistsError when ``path``
    exists and not ``force``, and DiaryError or ExportError with a message for
    the user when the diary cannot be read or the file written. A damaged
    diary is a DiaryError too, after it was moved aside: exporting the new,
    empty diary in its place would report success for nothing.
    """
    from coach.core.export_csv import refuse_to_replace
    from coach.render.export import check_format, write_export

    check_format(path)
    refuse_to_replace(path, force)

    from coach.app import content
    from coach.app.diary import DiaryService
    from coach.app.settings import SettingsModel
    from coach.core import paths
    from coach.core.clock import SystemClock
    from coach.core.diary import Diary, DiaryError
    from coach.core.i18n import _
    from coach.core.notices import Notices
    from coach.core.settings import SettingsStore
    from coach.core.timezones import local_zone

    source = paths.diary_file()
    if not source.exists():  # opening would create an empty diary as a side effect
        raise DiaryError(_("There is no diary yet ({path}): nothing to export.").format(
            path=source))
    zone = local_zone()
    clock = SystemClock()
    notices = Notices()
    notices.subscribe(lambda notice: print(notice.text, file=sys.stderr))
    settings = SettingsModel(SettingsStore(paths.settings_file(), notices, clock,
                                           resident=False))
    with Diary.open(source) as diary:
        if diary.notice is not None:
            # Translators: {notice} says what happened to the diary, as sentences.
            raise DiaryError(_("{notice} Nothing was exported.").format(notice=diary.notice))
        service = DiaryService(source, clock, notices, settings, lambda: zone,
                               lambda: content.load().warning_signs, diary=diary)
        episodes, sessions = diary.episodes(), diary.routine_sessions()
        return write_export(path, episodes, lambda: service.insights(episodes, sessions), zone,
                            force=force)


def is_card(path: Path, asked: bool = False) -> bool:
    """``export card.pdf`` (or ``bedside-card.pdf``, or ``--card``) makes the
    bedside card rather than the report."""
    return asked or (path.suffix.lower() == ".pdf" and path.stem.lower().endswith("card"))


def export_card(path: Path, force: bool = False) -> None:
    """The bedside card for the person's own profile and country, on the
    locale's paper. Raises as :func:`export_file` does."""
    from coach.core.export_csv import refuse_to_replace

    refuse_to_replace(path, force)
    from coach.app import content
    from coach.app.bedside import bedside_card
    from coach.core import countries, paths
    from coach.core.clock import SystemClock
    from coach.core.notices import Notices
    from coach.core.profile import parse_conditions
    from coach.core.settings import SettingsStore
    from coach.render.card import write_card

    notices = Notices()
    notices.subscribe(lambda notice: print(notice.text, file=sys.stderr))
    settings = SettingsStore(paths.settings_file(), notices, SystemClock(),
                             resident=False).load()
    card = bedside_card(content.load(), parse_conditions(settings.profile), settings.contacts())
    write_card(path, card, countries.paper_size(countries.system_territory()), force=True)


def run_export(path: Path, force: bool, card: bool = False) -> int:
    """The command: one line on stdout when it worked, one on stderr when it
    did not, never a traceback. Returns the exit status: 0 written, 1 failed,
    2 the file name was not usable."""
    from coach.core.diary import DiaryError
    from coach.core.export_csv import ExportError
    from coach.core.i18n import _, ngettext
    from coach.render.export import UnknownFormat

    if card and path.suffix.lower() != ".pdf":
        # Translators: {command} is "cramp-coach export"; keep "something.pdf" a file name.
        print(_("{command}: the bedside card is a PDF: name it something.pdf").format(
            command=_NAME), file=sys.stderr)
        return 2
    try:
        if is_card(path, card):
            export_card(path, force)
            print(_("Wrote the bedside card to {path}").format(path=path))
            return 0
        count = export_file(path, force)
    except UnknownFormat as exc:
        print(f"{_NAME}: {exc}", file=sys.stderr)
        return 2
    except FileExistsError:
        # Translators: {command} is "cramp-coach export"; keep "--force" as it is.
        print(_("{command}: {path} exists; use --force to replace it").format(
            command=_NAME, path=path), file=sys.stderr)
        return 1
    except (DiaryError, ExportError) as exc:
        print(f"{_NAME}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{_NAME}: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if path.suffix.lower() == ".pdf":
        from coach.app.diary import PERIOD_WEEKS  # loaded already, by the export

        # Translators: {count} episodes (cramps logged) written to a report of the
        # last {weeks} weeks.
        print(ngettext("Wrote {count} episode (the last {weeks} weeks) to {path}",
                       "Wrote {count} episodes (the last {weeks} weeks) to {path}",
                       count).format(count=count, weeks=PERIOD_WEEKS, path=path))
    else:
        print(ngettext("Wrote {count} episode to {path}", "Wrote {count} episodes to {path}",
                       count).format(count=count, path=path))
    return 0


def add_parser(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    """Add the ``export`` subcommand to the main command line."""
    _arguments(subparsers.add_parser(
        "export", help=N_("save the diary as a spreadsheet (.csv) or a report for your "
                          "doctor (.pdf)"), description=_DESCRIPTION))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="FILE",
                        help=N_("where to save it; the ending (.csv or .pdf) picks the format"))
    # Translators: FILE is the name the help gives the file argument: keep it.
    parser.add_argument("--force", action="store_true", help=N_("replace FILE if it exists"))
    parser.add_argument("--card", action="store_true",
                        help=N_("the one-page bedside card instead of the report (also chosen "
                                "by a name ending in card.pdf, e.g. card.pdf)"))
