"""Keep the translation catalogues in step with the code.

``python scripts/catalogues.py`` extracts every marked sentence from
``coach/`` into ``coach/locale/coach.pot`` and merges it into each language's
``coach.po``: new sentences arrive empty, changed ones arrive marked fuzzy
(the old translation kept as a hint), and ones no longer in the code are kept
commented out at the end. A translator then fills in the ``.po``; the test
``tests/unit/test_catalogues.py`` fails while any sentence is missing,
fuzzy, or has lost a ``{placeholder}``.

``python scripts/catalogues.py --check`` only reports, for CI or a pre-commit
hook, and changes nothing.

Babel does the work (it already gives the app its dates and plural rules);
the keywords are the ones :mod:`coach.core.i18n` defines.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "coach"
LOCALE = SOURCE / "locale"
TEMPLATE = LOCALE / "coach.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAG = "Translators:"


def extract() -> Catalog:
    """Every marked sentence in ``coach/``, with where it is and any
    ``# Translators:`` comment above it."""
    catalogue = Catalog(project="Cramp Coach", msgid_bugs_address="",
                        copyright_holder="The Cramp Coach authors")
    found = extract_from_dir(str(SOURCE), method_map=[("**.py", "python")],
                             keywords=KEYWORDS, comment_tags=[COMMENT_TAG],
                             strip_comment_tags=True)
    for filename, line, message, comments, context in found:
        where = (str(Path("coach") / filename), line)
        catalogue.add(message, None, [where], auto_comments=comments, context=context)
    return catalogue


def languages() -> Iterator[tuple[str, Path]]:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/coach.po")):
        yield po.parent.parent.name, po


def _text(catalogue: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No "#|" hints of a changed sentence's old wording: Babel reads them
    # back as comments, so the file would never settle.
    write_po(buffer, catalogue, width=100, omit_header=False, sort_by_file=True)
    return buffer.getvalue()


def _unchanged_but_dates(old: bytes, new: bytes) -> bool:
    """Re-extracting untouched code changes nothing but the header's dates."""
    def body(text: bytes) -> list[bytes]:
        return [line for line in text.splitlines()
                if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]
    return body(old) == body(new)


def add(language: str) -> Path:
    """A new, empty catalogue for ``language`` (its plural rule from CLDR)."""
    po = LOCALE / language / "LC_MESSAGES" / "coach.po"
    if po.exists():
        raise SystemExit(f"{po.relative_to(ROOT)} exists already")
    catalogue = Catalog(locale=language, project="Cramp Coach", msgid_bugs_address="",
                        copyright_holder="The Cramp Coach authors", fuzzy=False,
                        language_team=f"{language} <https://github.com/cramp-coach>")
    catalogue.update(extract())
    po.parent.mkdir(parents=True)
    po.write_bytes(_text(catalogue))
    return po


def update(check: bool) -> list[str]:
    """Write (or, with ``check``, only compare) the template and each
    language's catalogue; returns the files that are or would be changed."""
    template = extract()
    changed = []
    outputs: list[tuple[Path, bytes]] = [(TEMPLATE, _text(template))]
    for _language, po in languages():
        with po.open("rb") as stream:
            catalogue = read_po(stream)
        catalogue.update(template, no_fuzzy_matching=False, update_header_comment=False)
        outputs.append((po, _text(catalogue)))
    for path, text in outputs:
        old = path.read_bytes() if path.is_file() else b""
        if _unchanged_but_dates(old, text):
            continue
        changed.append(str(path.relative_to(ROOT)))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report catalogues that are out of date; change nothing")
    parser.add_argument("--add", metavar="LANGUAGE",
                        help="start a catalogue for a new language, such as uk")
    args = parser.parse_args(argv)
    if args.add:
        print("created: " + str(add(args.add).relative_to(ROOT)))
    changed = update(args.check)
    for path in changed:
        print(("out of date: " if args.check else "updated: ") + path)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
