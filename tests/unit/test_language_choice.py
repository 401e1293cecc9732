"""Which language the app speaks: ``--lang``, else the one chosen in
Settings, else the desktop's; read before the settings load, so a problem
found in them is told in the person's language."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from coach import cli
from coach.core import paths
from coach.core.early_settings import saved_language
from tests.conftest import russian

# cli.main sets up logging, and the language
pytestmark = pytest.mark.usefixtures("cli_logging", "english_after")


def test_russian_has_the_reminder_line() -> None:
    assert russian("Bedtime reminder: off") == "Напоминание перед сном: выключено"


def write(content: str) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_the_saved_language_is_read_alone() -> None:
    assert saved_language(paths.settings_file()) == ""  # no file yet
    assert saved_language(write(json.dumps({"language": "ru", "theme": "night"}))) == "ru"


@pytest.mark.parametrize("content", ["{", "[1, 2]", '{"language": 5}',
                                     '{"language": "../../etc"}', '{"language": "russian"}'])
def test_anything_odd_means_the_desktops_language(content: str) -> None:
    path = write(content)
    assert saved_language(path) == ""
    assert path.read_text(encoding="utf-8") == content  # loading the settings reports it


def test_a_file_nested_past_pythons_stack_means_the_desktops_language() -> None:
    """It is read before anything else, by every start and command: a
    RecursionError here had stopped them all, ``--help`` included."""
    nested = '{"language": "ru", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert saved_language(write(nested)) == ""


def test_a_pipe_is_not_waited_on() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    assert saved_language(path) == ""


def test_the_command_line_speaks_the_chosen_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    write(json.dumps({"language": "ru"}))
    assert cli.main(["reminder", "show"]) == 0
    assert capsys.readouterr().out.startswith(russian("Bedtime reminder: off"))
    assert cli.main(["--lang", "en", "reminder", "show"]) == 0
    assert capsys.readouterr().out.startswith("Bedtime reminder: off")


def test_lang_beats_the_desktop(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert cli.main(["--lang", "ru", "reminder", "show"]) == 0
    assert capsys.readouterr().out.startswith(russian("Bedtime reminder: off"))


def test_the_desktops_language_without_a_choice(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert cli.main(["reminder", "show"]) == 0
    assert capsys.readouterr().out.startswith(russian("Bedtime reminder: off"))
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # no German: English, never half
    assert cli.main(["reminder", "show"]) == 0
    assert capsys.readouterr().out.startswith("Bedtime reminder: off")


@pytest.mark.parametrize("argv", [["--help"], ["reminder", "--help"], ["reminder"],
                                  ["--theme", "pink"], ["--bogus"], ["--emergency", "--background"],
                                  ["reminder", "set"], ["reminder", "set", "22:00", "--lead", "x"]])
def test_argparse_speaks_russian_too(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Python's own words in the help and in a usage error (usage, options,
    "invalid choice", "the following arguments are required") come from the
    catalogue as well, so a Russian screen is never half English."""
    assert cli.main(["--lang", "ru", *argv]) in (0, 2)
    said = capsys.readouterr()
    text = said.out + said.err
    assert text.strip()
    # Python 3.10's argparse writes "argument --theme: ..." without asking
    # its catalogue (3.11 asks): that one word stays English there.
    untranslatable = {"argument --"} if sys.version_info < (3, 11) else set()
    for english in ("usage:", "options:", "positional arguments", "show this help",
                    "required", "invalid choice", "unrecognized", "not allowed with",
                    "expected one argument", "argument --", "invalid int", "(see:"):
        assert english not in text or english in untranslatable, (english, text)
    assert argparse_word_is_english_again()


def argparse_word_is_english_again() -> bool:
    """After the command, argparse is left as it was found."""
    import argparse
    import gettext

    return argparse._ is gettext.gettext  # type: ignore[attr-defined]


def test_every_argparse_word_has_russian() -> None:
    for word in cli.ARGPARSE_WORDS:
        assert russian(word) != word or word == "%(heading)s:", word
