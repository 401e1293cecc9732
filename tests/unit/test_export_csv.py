"""The spreadsheet export: header and rows, unicode, quoting, overwrite rules."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.diary import Episode
from coach.core.export_csv import HEADER, ExportError, export_csv, write_csv

LONDON = ZoneInfo("Europe/London")
FULL = Episode(started=datetime(2026, 6, 3, 2, 15, 9, 700000, tzinfo=timezone.utc),
               duration_s=754.6, place="thigh-back", side="both", severity=8,
               steps_used=("stand-lean", "flex-foot"), steps_other_way=frozenset({"stand-lean"}),
               helped="flex-foot",
               triggers=frozenset({"heat", "cold"}), medicines=frozenset({"statin", "other"}),
               medicine_note="quinine, 200 mg", symptoms=frozenset({"numbness"}),
               notes='Судорога 😖 — "very" bad,\nthen walked', id=3)
NOTES = HEADER.index("Notes")
BARE = Episode(started=datetime(2026, 1, 10, 23, 0, tzinfo=timezone.utc), duration_s=59.5,
               place="calf", side="unknown", id=1)


def read(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "export"
    path.mkdir()
    return path


def test_header_and_one_row_per_episode(folder: Path) -> None:
    path = folder / "diary.csv"
    export_csv([FULL, BARE], path, LONDON)
    rows = read(path)
    assert rows[0] == list(HEADER)
    assert rows[1] == [
        "2026-06-03T03:15:09+01:00", "12:35", "755", "thigh-back", "both", "8",
        "stand-lean; flex-foot", "flex-foot", "cold; heat", "other; statin", "quinine, 200 mg",
        "numbness", 'Судорога 😖 — "very" bad,\nthen walked', "stand-lean"]
    assert rows[2] == ["2026-01-10T23:00:00+00:00", "1:00", "60", "calf", "unknown", "", "",
                       "", "", "", "", "", "", ""]
    assert len(rows) == 3


def test_in_russian_the_headings_and_separator_are_russian_and_the_values_stay_the_same(
        folder: Path) -> None:
    from coach.core import i18n

    path = folder / "diary.csv"
    i18n.set_current("ru")
    try:
        export_csv([FULL], path, LONDON)
        russian = [i18n._(heading) for heading in HEADER]
    finally:
        i18n.set_current(i18n.DEFAULT)
    # Semicolons, as Russian Excel splits on: with commas it showed one column.
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].count(";") == len(HEADER) - 1
    rows = read(path, delimiter=";")
    assert rows[0] == russian and rows[0][0] != HEADER[0] and rows[0][3] == "Место"
    assert rows[1][:5] == ["2026-06-03T03:15:09+01:00", "12:35", "755", "thigh-back", "both"]
    assert rows[1][10] == "quinine, 200 mg"


def test_the_file_starts_with_a_byte_order_mark_for_excel(folder: Path) -> None:
    path = folder / "diary.csv"
    export_csv([FULL], path, LONDON)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Судорога 😖".encode() in data


def test_unicode_and_awkward_notes_round_trip(folder: Path) -> None:
    notes = ["naïve café, «икра»", "line one\r\nline two", 'she said "ow"', "שלום 👣", ""]
    episodes = [BARE._replace(notes=n, id=i) for i, n in enumerate(notes)]
    path = folder / "diary.csv"
    export_csv(episodes, path, LONDON)
    assert [row[NOTES] for row in read(path)[1:]] == notes


def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(folder: Path) -> None:
    episodes = [BARE._replace(notes="=HYPERLINK(\"x\")"), BARE._replace(notes="-5 outside"),
                BARE._replace(notes="+1 tonight", medicine_note="@home")]
    path = folder / "diary.csv"
    export_csv(episodes, path, LONDON)
    rows = read(path)[1:]
    assert [row[NOTES] for row in rows] == ["'=HYPERLINK(\"x\")", "'-5 outside", "'+1 tonight"]
    assert rows[2][10] == "'@home"


def test_writing_to_an_open_stream_leaves_the_encoding_to_the_caller() -> None:
    stream = io.StringIO(newline="")
    write_csv([BARE], stream, LONDON)
    text = stream.getvalue()
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0].startswith("Started (local time),Duration (min:sec)")


def test_export_refuses_to_replace_an_existing_file(folder: Path) -> None:
    path = folder / "diary.csv"
    path.write_text("keep me")
    with pytest.raises(FileExistsError):
        export_csv([FULL], path, LONDON)
    assert path.read_text() == "keep me"
    assert [p.name for p in folder.iterdir()] == ["diary.csv"]


def test_export_with_force_replaces_the_file(folder: Path) -> None:
    path = folder / "diary.csv"
    path.write_text("old")
    export_csv([FULL, BARE], path, LONDON, force=True)
    assert len(read(path)) == 3
    assert [p.name for p in folder.iterdir()] == ["diary.csv"]


def test_export_writes_a_new_file(folder: Path) -> None:
    path = folder / "new.csv"
    export_csv([BARE], path, LONDON)
    assert read(path)[1][0] == "2026-01-10T23:00:00+00:00"


def test_a_full_disk_gives_a_clear_message_and_keeps_the_old_file(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder / "diary.csv"
    path.write_text("previous export")

    def fill_the_disk(descriptor: int) -> None:  # the rows are written, not yet saved
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fill_the_disk)
    with pytest.raises(ExportError) as caught:
        export_csv([FULL], path, LONDON, force=True)
    assert str(caught.value).startswith(f"The disk is full: {path} could not be saved.")
    assert path.read_text() == "previous export"
    assert [p.name for p in folder.iterdir()] == ["diary.csv"]


def test_the_real_enospc_error_is_what_the_message_keys_on() -> None:
    devfull = Path("/dev/full")
    if not devfull.exists():
        pytest.skip("needs /dev/full")
    with pytest.raises(OSError) as caught, devfull.open("w", encoding="utf-8") as stream:
        write_csv([FULL], stream, LONDON)
        stream.flush()
    assert caught.value.errno == errno.ENOSPC


def test_other_write_failures_give_a_readable_message(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "diary.csv"
    with pytest.raises(ExportError, match="could not be saved: No such file or directory"):
        export_csv([FULL], path, LONDON)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_the_export_is_private_and_a_read_only_file_is_kept(folder: Path) -> None:
    """A report audit's case: the spreadsheet of health notes came out
    readable by everyone (0644, where the report is 0600), and a file made
    read-only was replaced without a word."""
    path = folder / "diary.csv"
    export_csv([FULL], path, LONDON)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o444)
    with pytest.raises(ExportError, match="read-only"):
        export_csv([FULL], path, LONDON, force=True)


def test_an_export_through_a_link_writes_its_target(folder: Path) -> None:
    target = folder / "real.csv"
    target.write_text("old")
    link = folder / "link.csv"
    link.symlink_to(target)
    export_csv([FULL], link, LONDON, force=True)
    assert link.is_symlink() and "Started" in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("lead", ["\t", "\r"])
def test_a_formula_behind_a_tab_or_return_is_defused(lead: str) -> None:
    stream = io.StringIO(newline="")
    write_csv([FULL._replace(notes=f"{lead}=1+1")], stream, LONDON)
    assert f"'{lead}=1+1" in stream.getvalue()
