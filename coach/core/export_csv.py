"""The diary as a spreadsheet file, to take to a doctor or keep.

One row per episode with a header. Fields are separated as a spreadsheet in
the reader's language expects (:func:`coach.core.wording.list_separator`):
by semicolons in Russian, by commas in English. Files are UTF-8 with a
byte-order mark, because without it Excel reads UTF-8 as the local code page
and garbles any non-English note; the csv module does the quoting, so
separators, quotes and line breaks in notes survive. Free text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or
``@``, or a tab or carriage return before one, as OWASP lists them) gets a
leading apostrophe, so a note like "-5 outside" shows as written instead of
as an error.

The file holds health notes, so it is written as the report is
(:func:`coach.core.atomic.atomic_write_bytes`): private to its owner, whole
or not at all, through a link to its target, and never over a read-only
file or anything but a regular file.
"""

from __future__ import annotations

import csv
import errno
import io
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path
from typing import Final, TextIO

from coach.core.atomic import atomic_write_bytes, plain_reason
from coach.core.diary import Episode
from coach.core.i18n import N_, _
from coach.core.wording import list_separator, minutes_seconds

HEADER: Final = (
    # Translators: the column headings of the diary exported as a spreadsheet.
    N_("Started (local time)"), N_("Duration (min:sec)"), N_("Duration (seconds)"),
    N_("Place"), N_("Side"), N_("Severity (0-10)"), N_("Steps used"), N_("Helped"),
    N_("Triggers"), N_("Medicines"), N_("Medicine name"), N_("Symptoms"), N_("Notes"),
    N_("Steps done seated or lying"))
"""The heading row, in the reader's language. The columns, their order and
their values stay the same in every language (only the separator follows the
language), and a new column only ever comes last, for a program reading the
file: ISO 8601 times, seconds as a number, and the diary's own keys for
places, sides, steps, triggers, medicines and symptoms ("calf", "left")."""
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """Writing the file failed; the message can be shown to the user as is."""


def export_csv(episodes: Iterable[Episode], path: Path, zone: tzinfo, *,
               force: bool = False) -> None:
    """Write the file for the user: refuses to replace an existing file unless
    ``force`` (raising FileExistsError, so the UI can ask first), and turns
    other failures into :class:`ExportError` with a readable message.

    A full disk never leaves a half-written export or destroys the old one
    (see the module's docstring for the rest).
    """
    refuse_to_replace(path, force)
    rows = io.StringIO(newline="")
    write_csv(episodes, rows, zone)
    try:
        atomic_write_bytes(path, rows.getvalue().encode("utf-8-sig"))
    except OSError as exc:
        raise save_failed(path, exc) from exc


def refuse_to_replace(path: Path, force: bool) -> None:
    """FileExistsError unless ``force``, so the caller can ask first; a folder
    of that name is an ExportError: no ``--force`` would make it a file."""
    if path.is_dir():
        raise ExportError(_("{path} is a folder: give the name of a file to save, such as "
                            "{example}.").format(path=path, example=path / f"diary{path.suffix}"))
    if not force and path.exists():
        raise FileExistsError(errno.EEXIST, _("A file with this name already exists"),
                              str(path))


def save_failed(path: Path, error: OSError) -> ExportError:
    """What every export (this file, the report, the bedside card) says when
    writing ``path`` failed."""
    if error.errno == errno.ENOSPC:
        return ExportError(_("The disk is full: {path} could not be saved. Free some space "
                             "or choose another drive, and try again.").format(path=path))
    # Translators: {reason} is the system's reason, e.g. "Permission denied".
    return ExportError(_("{path} could not be saved: {reason}.").format(
        path=path, reason=plain_reason(error)))


def write_csv(episodes: Iterable[Episode], stream: TextIO, zone: tzinfo) -> None:
    """The rows, to a text stream opened with ``newline=""``; its encoding is
    the caller's (:func:`export_csv` writes the file)."""
    writer = csv.writer(stream, delimiter=list_separator())
    writer.writerow([_(heading) for heading in HEADER])
    for e in episodes:
        seconds = round(e.duration_s)
        writer.writerow((
            e.started.astimezone(zone).isoformat(timespec="seconds"),
            minutes_seconds(seconds),
            seconds,
            e.place,
            e.side,
            "" if e.severity is None else e.severity,
            "; ".join(e.steps_used),
            e.helped or "",
            "; ".join(sorted(e.triggers)),
            "; ".join(sorted(e.medicines)),
            _as_text(e.medicine_note),
            "; ".join(sorted(e.symptoms)),
            _as_text(e.notes),
            "; ".join(step for step in e.steps_used if step in e.steps_other_way),
        ))


def _as_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
