"""Writing the diary out, for the Export button and ``cramp-coach export``
alike: a spreadsheet of every entry, or the report for the doctor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Final

from coach.app.diary import Insights
from coach.core.diary import Episode
from coach.core.i18n import _

SUFFIXES: Final = (".csv", ".pdf")


class UnknownFormat(ValueError):
    """The file name does not say which format to write."""


def check_format(path: Path) -> str:
    """".csv" or ".pdf"; raises :class:`UnknownFormat` with a message for the
    person for any other ending."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormat(_("{path} must end in .csv (a spreadsheet) or .pdf (a report "
                              "for your doctor)").format(path=path))
    return suffix


def write_export(path: Path, episodes: Sequence[Episode], insights: Callable[[], Insights],
                 zone: tzinfo, *, force: bool) -> int:
    """Write ``path`` in the format its ending names and return how many
    episodes it holds. ``insights`` is asked only for a report. Raises
    UnknownFormat, FileExistsError (without ``force``) or ExportError."""
    if check_format(path) == ".csv":
        from coach.core.export_csv import export_csv

        export_csv(episodes, path, zone, force=force)
        return len(episodes)
    from coach.render.report import write_report

    return write_report(path, insights(), zone, force=force)
