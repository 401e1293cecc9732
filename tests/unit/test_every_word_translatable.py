"""No sentence reaches a person without passing through the catalogue.

The Russian screens are checked by looking at them (tests/gui/test_russian.py),
but a message shown only when something fails (a full disk, a refused
hand-over) is seen by no screen test. So this reads the source: wherever
text goes to a person (a notice, a widget, a message box, the terminal), a
literal with words in it is a sentence that skipped translation. A literal
is an English word only when passed through ``_()``, ``ngettext()`` or a
constant marked with ``N_()``, which this test does not see as a literal.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QT_TEXT = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setAccessibleName",
    "setAccessibleDescription", "setStatusTip", "setWhatsThis", "setTitle", "setLabelText",
    "setHtml", "setPlainText", "setSpecialValueText", "setSuffix", "setPrefix", "addItem",
    "addItems", "insertItem", "addTab", "setTabText", "addAction", "addMenu", "showMessage",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "add_action", "offer",  # the notice strip's banners, and the navigation's offers
}
"""Calls whose every string argument is shown."""
FIRST_ARGUMENT = {"label", "button", "post"}
"""Our helpers whose first shown argument is the text (``post``: after the level)."""
TERMINAL = {"print", "write", "_say"}
COMMAND_PREFIX = re.compile(r"^cramp-coach(?: [a-z-]+)?: ")
"""``cramp-coach reminder: {reason}``: a command's name, not a word to translate."""
ENGLISH_ON_PURPOSE = {("coach/cli.py", "_paths")}
"""``cramp-coach paths`` prints keys that scripts read (see its comment)."""
WORD = re.compile(r"[^\W\d_]{2,}")


def words(node: ast.expr) -> list[str]:
    """The words of a string literal or f-string's literal parts, also as
    what a wording function returns (``lambda: "..."``)."""
    if isinstance(node, ast.Lambda):
        return words(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values
                       if isinstance(part, ast.Constant) and isinstance(part.value, str))
    else:
        return []
    text = re.sub(r"<[^>]*>|&\w+;", "", COMMAND_PREFIX.sub("", text))
    return WORD.findall(text)


def shown_arguments(call: ast.Call) -> list[ast.expr]:
    function = call.func
    name = (function.attr if isinstance(function, ast.Attribute)
            else function.id if isinstance(function, ast.Name) else "")
    if name in QT_TEXT or name in TERMINAL:
        return list(call.args)
    if (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
            and function.value.id == "QMessageBox"):
        return list(call.args)
    if name == "post":
        return call.args[1:2]
    if name in FIRST_ARGUMENT:
        return call.args[:1]
    return []


def untranslated(path: Path, relative: str) -> Iterator[str]:
    """Each shown literal in ``path``, named by ``relative`` (from the root)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), relative)
    exempt = {id(call) for function in ast.walk(tree)
              if isinstance(function, ast.FunctionDef)
              and (relative, function.name) in ENGLISH_ON_PURPOSE
              for call in ast.walk(function)}
    calls = sorted((node for node in ast.walk(tree)
                    if isinstance(node, ast.Call) and id(node) not in exempt),
                   key=lambda call: (call.lineno, call.col_offset))
    for call in calls:
        for argument in shown_arguments(call):
            if words(argument):
                yield f"{relative}:{argument.lineno}: {ast.unparse(argument)[:70]}"


def test_every_shown_sentence_goes_through_the_catalogue() -> None:
    found = [line for path in sorted((ROOT / "coach").rglob("*.py"))
             for line in untranslated(path, path.relative_to(ROOT).as_posix())]
    assert found == []


def test_the_check_sees_what_it_looks_for(tmp_path: Path) -> None:
    """Each kind of place, written the wrong way, is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(notices, widget, exc):\n"
        "    notices.post('error', f'It failed: {exc}')\n"
        "    notices.post('info', lambda: 'Saved.')\n"
        "    notices.post('info', lambda: _('Saved.'))\n"
        "    widget.setToolTip('Press here')\n"
        "    QMessageBox.warning(widget, _('Title'), 'Not saved')\n"
        "    sys.stderr.write('Cannot start\\n')\n"
        "    label('Where is the cramp?', 'title')\n"
        "    label(_('Fine'), 'title')\n"
        "    print(f'cramp-coach reminder: {exc}')\n"
        "    widget.setText(f'<h2>{exc}</h2>')\n", encoding="utf-8")
    found = [line.split(": ", 1)[1] for line in untranslated(sample, "coach/sample.py")]
    # As this Python writes a lambda back out (3.10: "lambda : ...").
    saved = ast.unparse(ast.parse("lambda: 'Saved.'", mode="eval").body)
    assert found == ["f'It failed: {exc}'", saved, "'Press here'", "'Not saved'",
                     "'Cannot start\\n'", "'Where is the cramp?'"]
