"""Read content YAML into the model, collecting every problem with its line.

Each file is composed once into a node tree (with libyaml when available, for
start-up speed), which gives the line of every key and list item, and the values
are then built from that tree by PyYAML's ``SafeConstructor``, the constructor
``yaml.safe_load`` uses, so no tag can ever build a Python object. A file
with any error is skipped whole, because half a protocol is worse than none;
the other files still load.

Content files come from strangers (shared by email and forums), so reading one
is bounded whatever it holds: only regular files are opened, at most
``MAX_FILE_BYTES`` are read, and a file is refused before it is built if it
holds more than ``MAX_NODES`` values, counting what every alias (``*name``)
stands for, or nests deeper than ``MAX_DEPTH``. Nine lines of nested aliases
would otherwise expand to a billion values.

Emergency protocols, tips, after-care and any other safety text come from the
shipped content alone: the user's own files may add routines and exercises
only, and can never replace a shipped id.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml

from coach.core import i18n, wording
from coach.core.care import Care
from coach.core.i18n import _, ngettext
from coach.core.model import (
    Action,
    Caution,
    ClotCheck,
    ContentError,
    Evidence,
    Exercise,
    Library,
    Protocol,
    Provenance,
    Routine,
    RoutineItem,
    SafetyNote,
    Side,
    Sides,
    Step,
    Text,
    Tip,
    WarningSign,
)
from coach.core.safe_io import FileTooLarge, read_regular, size_text
from coach.core.sources import find_content
from coach.core.timetable import GET_READY_CHOICES, MAX_PLAN_S, PlanTooLong, build_plan

SCHEMA_VERSION = 1
MAX_INSTRUCTION_CHARS = 120
MAX_SECONDS = 3600
IMAGE_SUFFIXES = (".svg", ".png")
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 32  # the deepest field in the schema is 7 levels down
# Problems listed per file (or routine); the rest are counted. A file of
# 100,000 mistakes is fixed a screenful at a time, and building a message for
# each would cost more than reading the file.
MAX_ERRORS = 100

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

_LINKED_OUT = "linked-out"
_NO_FILE = "no-file"
"""Why an image named in a file is no file in assets/ (memoised per path)."""

PathKey = tuple[str | int, ...]
_COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
E = TypeVar("E", bound=Enum)
T = TypeVar("T")


@dataclass(frozen=True)
class FileContent:
    """What one file contributed, before cross-file checks."""

    name: str
    lines: Mapping[PathKey, int]
    protocols: tuple[tuple[Protocol, PathKey], ...] = ()
    exercises: tuple[tuple[Exercise, PathKey], ...] = ()
    routines: tuple[tuple[Routine, PathKey], ...] = ()
    tips: tuple[tuple[Tip, PathKey], ...] = ()
    aftercare: tuple[tuple[Tip, PathKey], ...] = ()
    warning_signs: tuple[tuple[WarningSign, PathKey], ...] = ()
    singles: Mapping[str, tuple[Any, PathKey]] = field(default_factory=dict)
    """The one-of-a-kind sections (``clot_check``, ``night_safety``)."""
    untranslated: tuple[ContentError, ...] = ()


def dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _type_name(value: object) -> str:
    """What a value is, for "expected ..., got {kind}"."""
    if value is None:
        # Translators: what a content file gave instead of a value, in "expected
        # a list, got {kind}"; also "true/false", "a number", "text", "a list", "a mapping".
        return _("nothing")
    names = {bool: _("true/false"), int: _("a number"), float: _("a number"),
             str: _("text"), list: _("a list"), dict: _("a mapping")}
    return names.get(type(value), type(value).__name__)


class _Hints:
    """"Did you mean" suggestions within a budget of fuzzy comparisons.

    Each suggestion compares the word with every option (some 20 us each),
    and a hostile file can hold 100,000 misspellings to compare with thousands
    of ids; past the budget the errors are still reported, without one.
    """

    def __init__(self, budget: int = 5_000) -> None:
        self.left = budget

    def hint(self, word: str, options: Collection[str]) -> str | None:
        """The closest option, if one is close enough (and the budget lasts)."""
        if len(options) > self.left or len(word) > 64:
            return None
        self.left -= len(options)
        hint = difflib.get_close_matches(word, sorted(options), n=1)
        return hint[0] if hint else None


class _Context:
    """Collects errors for one file and knows the line of every path in it."""

    def __init__(self, name: str, lines: Mapping[PathKey, int], assets: Path | None,
                 languages: tuple[str, ...] = ()) -> None:
        """``languages``: every text must have these (the app's languages, for
        its own files); one missing is noted, not an error that skips the file."""
        self.name = name
        self.lines = lines
        self.assets = assets
        self.languages = languages
        self.untranslated: list[ContentError] = []
        self.errors: list[ContentError] = []
        self.found = 0  # every error found, listed or not
        self.hints = _Hints()
        self._assets_root: Path | None = None
        self._asset_problems: dict[PurePosixPath, str] = {}

    def line(self, path: PathKey) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def error(self, path: PathKey, message: str, line: int | None = None) -> None:
        self.found += 1
        if self.found <= MAX_ERRORS:
            self.errors.append(ContentError(self.name, line or self.line(path), dotted(path),
                                            message))

    def listed(self) -> list[ContentError]:
        return _listed(sorted(self.errors, key=lambda e: e.line), self.found, self.name)

    # -- field readers: each returns None after recording an error ----------

    def mapping(
        self, value: object, path: PathKey, required: Iterable[str], optional: Iterable[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            # Translators: {kind} is what was there instead, e.g. "a list" or "text".
            self.error(path, _("expected a mapping of fields, got {kind}").format(
                kind=_type_name(value)))
            return None
        required, optional = set(required), set(optional)
        allowed = required | optional
        for key in value:
            if not isinstance(key, str):
                self.error(path, _("field names must be text, got {value}").format(
                    value=repr(key)))
            elif key not in allowed:
                hint = self.hints.hint(key, allowed)
                if hint is None:
                    # Translators: {field} is a field's name in a content file, in English.
                    self.error((*path, key), _("unknown field '{field}'").format(field=key))
                else:
                    # Translators: {field} and {hint} are fields' names in a content file.
                    self.error((*path, key), _("unknown field '{field}' (did you mean "
                                               "'{hint}'?)").format(field=key, hint=hint))
        for key in sorted(required - value.keys()):
            self.error(path, _("missing required field '{field}'").format(field=key))
        return value

    def sequence(self, value: object, path: PathKey, *, allow_empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, _("expected a list, got {kind}").format(kind=_type_name(value)))
            return []
        if not value and not allow_empty:
            self.error(path, _("must not be empty"))
        return value

    def text(self, value: object, path: PathKey, *, limit: int | None = None) -> Text | None:
        if isinstance(value, str):
            pairs: list[tuple[str, str]] = [("en", value)]
        elif isinstance(value, dict) and value:
            pairs = []
            for language, string in value.items():
                if not isinstance(language, str) or not _LANGUAGE.match(language):
                    self.error(path, _("'{language}' is not a language code such as 'en' or "
                                       "'ru'").format(language=language))
                    return None
                if not isinstance(string, str):
                    self.error((*path, language), _("expected text, got {kind}").format(
                        kind=_type_name(string)))
                    return None
                pairs.append((language, string))
        else:
            self.error(path, _("expected text or a mapping of language to text, got "
                               "{kind}").format(kind=_type_name(value)))
            return None
        for _language, string in pairs:
            if not string.strip():
                self.error(path, _("must not be blank"))
                return None
            if limit is not None and len(string) > limit:
                # Translators: 'how' is a field's name in a content file: keep it in English.
                self.error(path, ngettext("too long for big type ({n} character, "
                                          "at most {limit}); move detail to 'how'",
                                          "too long for big type ({n} characters, "
                                          "at most {limit}); move detail to 'how'",
                                          len(string)).format(n=len(string), limit=limit))
                return None
        given = {language for language, _string in pairs}
        for language in self.languages:
            if language not in given:
                # Translators: {language} is a language code such as "ru", as written
                # in the content files.
                self.untranslated.append(ContentError(
                    self.name, self.line(path), dotted(path),
                    _("no {language} text").format(language=language)))
        return Text(tuple((lang, " ".join(s.split())) for lang, s in pairs))

    def ident(self, value: object, path: PathKey) -> str | None:
        if not isinstance(value, str) or not _ID.match(value):
            self.error(path, _("an id is lower-case letters, digits, '-' or '_', "
                               "got {value}").format(value=repr(value)))
            return None
        return value

    def string(self, value: object, path: PathKey) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, _("expected text, got {kind}").format(kind=_type_name(value)))
            return None
        return value.strip()

    def seconds(self, value: object, path: PathKey, *, allow_zero: bool = False) -> int | None:
        low = 0 if allow_zero else 1
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, _("expected a whole number of seconds, got {kind}").format(
                kind=_type_name(value)))
            return None
        if not low <= value <= MAX_SECONDS:
            if allow_zero:
                message = _("must be zero or more and at most {maximum} seconds, "
                            "got {value}")
            else:
                message = _("must be more than zero and at most {maximum} seconds, "
                            "got {value}")
            self.error(path, message.format(maximum=MAX_SECONDS, value=value))
            return None
        return value

    def count(self, value: object, path: PathKey) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, _("expected a whole number, got {kind}").format(
                kind=_type_name(value)))
            return None
        if not 1 <= value <= 100:
            self.error(path, _("must be between 1 and 100, got {value}").format(value=value))
            return None
        return value

    def tempo(self, value: object, path: PathKey) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(path, _("expected seconds per repetition, got {kind}").format(
                kind=_type_name(value)))
            return None
        if not 0.5 <= value <= 30:
            self.error(path, _("must be between 0.5 and 30 seconds per repetition, "
                               "got {value}").format(value=value))
            return None
        return float(value)

    def boolean(self, value: object, path: PathKey) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, _("expected true or false, got {kind}").format(
                kind=_type_name(value)))
            return None
        return value

    def choice(self, value: object, path: PathKey, enum: type[E]) -> E | None:
        try:
            return enum(value)
        except ValueError:
            options = ", ".join(str(member.value) for member in enum)
            # Translators: {options} are the values a content file may use, in English.
            self.error(path, _("expected one of {options}, got {value}").format(
                options=options, value=repr(value)))
            return None

    def cautions(self, value: object, path: PathKey) -> frozenset[Caution] | None:
        items = self.sequence(value, path, allow_empty=True)
        found = [self.choice(item, (*path, i), Caution) for i, item in enumerate(items)]
        if not isinstance(value, list) or None in found:
            return None
        return frozenset(c for c in found if c is not None)

    def asset(self, value: object, path: PathKey, suffixes: tuple[str, ...]) -> str | None:
        if not isinstance(value, str) or not value:
            self.error(path, _("expected a path inside assets/, got {kind}").format(
                kind=_type_name(value)))
            return None
        relative = PurePosixPath(value)
        if "\\" in value or relative.is_absolute() or ".." in relative.parts:
            self.error(path, _("'{path}' leaves the assets folder; use a relative path "
                               "such as images/calf.svg").format(path=value))
            return None
        if relative.suffix.lower() not in suffixes:
            # Translators: {endings} are file endings such as ".svg, .png".
            self.error(path, _("'{path}' must be one of: {endings}").format(
                path=value, endings=", ".join(suffixes)))
            return None
        problem = self._asset_problem(relative)
        if problem == _LINKED_OUT:
            self.error(path, _("'{path}' leaves the assets folder (through a link)").format(
                path=value))
            return None
        if problem == _NO_FILE:
            self.error(path, _("'{path}' does not exist in assets/").format(path=value))
            return None
        return value

    def _asset_problem(self, relative: PurePosixPath) -> str:
        """Why ``relative`` is no file in assets/ (:data:`_LINKED_OUT` or
        :data:`_NO_FILE`), or "" if it is one. Memoised: each check asks the
        file system several times, and a file can name images thousands of
        times."""
        if self.assets is None:
            return ""
        if relative not in self._asset_problems:
            if self._assets_root is None:
                self._assets_root = self.assets.resolve()
            target = (self.assets / relative).resolve()
            if not target.is_relative_to(self._assets_root):
                self._asset_problems[relative] = _LINKED_OUT
            elif not target.is_file():
                self._asset_problems[relative] = _NO_FILE
            else:
                self._asset_problems[relative] = ""
        return self._asset_problems[relative]

    def provenance(self, data: Mapping[str, Any], path: PathKey) -> Provenance | None:
        evidence = self.field(data, "evidence", path, self.choice, Evidence)
        source = self.field(data, "source", path, self.string)
        if evidence is None or source is None:
            return None
        return Provenance(evidence, source)

    def field(self, data: Mapping[str, Any], key: str, path: PathKey,
              read: Callable[..., T | None], *args: Any, **kwargs: Any) -> T | None:
        """Read one field if present. A missing required field was already
        reported by :meth:`mapping`, so absence is silent here."""
        if key not in data:
            return None
        return read(data[key], (*path, key), *args, **kwargs)


# -- per-kind readers --------------------------------------------------------
# Each reader reads every field (so all problems are reported at once) and
# returns an object only if reading it added no error.

_PROVENANCE = ("evidence", "source")


def _supported(ctx: _Context, data: Mapping[str, Any], path: PathKey
               ) -> tuple[Text | None, str | None]:
    """A step's or an exercise's ``supported`` version and its picture."""
    supported = ctx.field(data, "supported", path, ctx.text)
    supported_image = ctx.field(data, "supported_image", path, ctx.asset, IMAGE_SUFFIXES)
    if supported_image is not None and supported is None:
        # Translators: 'supported_image' and 'supported' are fields' names in a content
        # file: keep them.
        ctx.error((*path, "supported_image"),
                  _("'supported_image' pictures the 'supported' version, so it needs "
                    "'supported'"))
    return supported, supported_image


def _read_step(ctx: _Context, raw: object, path: PathKey) -> Step | None:
    data = ctx.mapping(raw, path, ("id", "instruction", "action", *_PROVENANCE),
                       ("how", "hold", "reps", "side", "image", "cautions", "supported",
                        "supported_image"))
    if data is None:
        return None
    before = ctx.found
    step_id = ctx.field(data, "id", path, ctx.ident)
    instruction = ctx.field(data, "instruction", path, ctx.text, limit=MAX_INSTRUCTION_CHARS)
    action = ctx.field(data, "action", path, ctx.choice, Action)
    provenance = ctx.provenance(data, path)
    how = ctx.field(data, "how", path, ctx.text)
    hold = ctx.field(data, "hold", path, ctx.seconds)
    reps = ctx.field(data, "reps", path, ctx.count)
    side = ctx.field(data, "side", path, ctx.choice, Side)
    image = ctx.field(data, "image", path, ctx.asset, IMAGE_SUFFIXES)
    cautions = ctx.field(data, "cautions", path, ctx.cautions)
    supported, supported_image = _supported(ctx, data, path)
    if reps is not None and hold is None:
        # Translators: 'reps' and 'hold' are fields' names in a content file: keep them.
        ctx.error((*path, "reps"), _("'reps' repeats a hold, so it needs 'hold'"))
    if (ctx.found > before or step_id is None or instruction is None or action is None
            or provenance is None):
        return None
    return Step(
        id=step_id, instruction=instruction, action=action, provenance=provenance,
        how=how, hold=hold, reps=reps or 1, side=side, image=image,
        cautions=cautions or frozenset(), supported=supported,
        supported_image=supported_image,
    )


def _read_protocol(ctx: _Context, raw: object, path: PathKey) -> Protocol | None:
    data = ctx.mapping(raw, path, ("id", "title", "order", "steps"),
                       ("summary", "read_ahead", "image"))
    if data is None:
        return None
    before = ctx.found
    protocol_id = ctx.field(data, "id", path, ctx.ident)
    title = ctx.field(data, "title", path, ctx.text, limit=40)
    order = ctx.field(data, "order", path, ctx.count)
    raw_steps = ctx.field(data, "steps", path, ctx.sequence) or []
    steps = [_read_step(ctx, s, (*path, "steps", i)) for i, s in enumerate(raw_steps)]
    _check_unique(ctx, [s.id if s else None for s in steps], (*path, "steps"))
    summary = ctx.field(data, "summary", path, ctx.text)
    read_ahead = ctx.field(data, "read_ahead", path, ctx.boolean)
    image = ctx.field(data, "image", path, ctx.asset, IMAGE_SUFFIXES)
    if ctx.found > before or protocol_id is None or title is None or order is None:
        return None
    return Protocol(
        id=protocol_id, title=title, order=order,
        steps=tuple(s for s in steps if s is not None),
        summary=summary, read_ahead=bool(read_ahead), image=image,
    )


def _read_exercise(ctx: _Context, raw: object, path: PathKey) -> Exercise | None:
    data = ctx.mapping(raw, path, ("id", "title", "steps", "image", *_PROVENANCE),
                       ("sides", "hold", "reps", "tempo", "cautions", "supported",
                        "supported_image"))
    if data is None:
        return None
    before = ctx.found
    exercise_id = ctx.field(data, "id", path, ctx.ident)
    title = ctx.field(data, "title", path, ctx.text, limit=60)
    raw_steps = ctx.field(data, "steps", path, ctx.sequence) or []
    steps = [ctx.text(s, (*path, "steps", i), limit=MAX_INSTRUCTION_CHARS)
             for i, s in enumerate(raw_steps)]
    image = ctx.field(data, "image", path, ctx.asset, IMAGE_SUFFIXES)
    provenance = ctx.provenance(data, path)
    sides = ctx.field(data, "sides", path, ctx.choice, Sides)
    hold = ctx.field(data, "hold", path, ctx.seconds)
    reps = ctx.field(data, "reps", path, ctx.count)
    tempo = ctx.field(data, "tempo", path, ctx.tempo)
    cautions = ctx.field(data, "cautions", path, ctx.cautions)
    supported, supported_image = _supported(ctx, data, path)
    if ("hold" in data) == ("tempo" in data):
        # Translators: 'hold' and 'tempo' are fields' names in a content file: keep them.
        ctx.error(path, _("give either 'hold' (seconds to hold) or 'tempo' (seconds per "
                          "repetition), not both or neither"))
    elif "tempo" in data and "reps" not in data:
        ctx.error(path, _("an exercise with 'tempo' needs 'reps'"))
    if (ctx.found > before or exercise_id is None or title is None or image is None
            or provenance is None):
        return None
    return Exercise(
        id=exercise_id, title=title, steps=tuple(s for s in steps if s is not None),
        provenance=provenance, image=image, sides=sides or Sides.BOTH, hold=hold,
        reps=reps or 1, tempo=tempo, cautions=cautions or frozenset(), supported=supported,
        supported_image=supported_image,
    )


def _read_routine_item(ctx: _Context, raw: object, path: PathKey) -> RoutineItem | None:
    if isinstance(raw, str):
        exercise = ctx.ident(raw, path)
        return RoutineItem(exercise) if exercise else None
    data = ctx.mapping(raw, path, ("exercise",), ("hold", "reps", "rest"))
    if data is None:
        return None
    before = ctx.found
    exercise = ctx.field(data, "exercise", path, ctx.ident)
    hold = ctx.field(data, "hold", path, ctx.seconds)
    reps = ctx.field(data, "reps", path, ctx.count)
    rest = ctx.field(data, "rest", path, ctx.seconds, allow_zero=True)
    if ctx.found > before or exercise is None:
        return None
    return RoutineItem(exercise, hold=hold, reps=reps, rest=rest)


def _read_routine(ctx: _Context, raw: object, path: PathKey) -> Routine | None:
    data = ctx.mapping(raw, path, ("id", "title", "items"), ("rest", "description", "source"))
    if data is None:
        return None
    before = ctx.found
    routine_id = ctx.field(data, "id", path, ctx.ident)
    title = ctx.field(data, "title", path, ctx.text, limit=60)
    raw_items = ctx.field(data, "items", path, ctx.sequence) or []
    items = [_read_routine_item(ctx, item, (*path, "items", i))
             for i, item in enumerate(raw_items)]
    rest = ctx.field(data, "rest", path, ctx.seconds, allow_zero=True)
    description = ctx.field(data, "description", path, ctx.text)
    source = ctx.field(data, "source", path, ctx.string)
    if ctx.found > before or routine_id is None or title is None:
        return None
    return Routine(
        id=routine_id, title=title, items=tuple(i for i in items if i is not None),
        rest=15 if rest is None else rest, description=description, source=source,
    )


def _read_tip(ctx: _Context, raw: object, path: PathKey) -> Tip | None:
    data = ctx.mapping(raw, path, ("id", "title", "text", *_PROVENANCE), ("cautions",))
    if data is None:
        return None
    before = ctx.found
    tip_id = ctx.field(data, "id", path, ctx.ident)
    title = ctx.field(data, "title", path, ctx.text, limit=60)
    text = ctx.field(data, "text", path, ctx.text)
    provenance = ctx.provenance(data, path)
    cautions = ctx.field(data, "cautions", path, ctx.cautions)
    if (ctx.found > before or tip_id is None or title is None or text is None
            or provenance is None):
        return None
    return Tip(tip_id, title, text, provenance, cautions or frozenset())


def _read_clot_check(ctx: _Context, raw: object, path: PathKey) -> ClotCheck | None:
    data = ctx.mapping(raw, path, ("title", "question", "risk", *_PROVENANCE), ())
    if data is None:
        return None
    before = ctx.found
    title = ctx.field(data, "title", path, ctx.text, limit=60)
    question = ctx.field(data, "question", path, ctx.text)
    risk = ctx.field(data, "risk", path, ctx.text)
    provenance = ctx.provenance(data, path)
    if (ctx.found > before or title is None or question is None or risk is None
            or provenance is None):
        return None
    return ClotCheck(title, question, risk, provenance)


def _read_safety_note(ctx: _Context, raw: object, path: PathKey) -> SafetyNote | None:
    data = ctx.mapping(raw, path, ("text", *_PROVENANCE), ())
    if data is None:
        return None
    before = ctx.found
    text = ctx.field(data, "text", path, ctx.text, limit=MAX_INSTRUCTION_CHARS)
    provenance = ctx.provenance(data, path)
    if ctx.found > before or text is None or provenance is None:
        return None
    return SafetyNote(text, provenance)


def _read_warning_sign(ctx: _Context, raw: object, path: PathKey) -> WarningSign | None:
    data = ctx.mapping(raw, path, ("id", "sign", "care", *_PROVENANCE), ())
    if data is None:
        return None
    before = ctx.found
    sign_id = ctx.field(data, "id", path, ctx.ident)
    sign = ctx.field(data, "sign", path, ctx.text)
    care = ctx.field(data, "care", path, ctx.choice, Care)
    provenance = ctx.provenance(data, path)
    if (ctx.found > before or sign_id is None or sign is None or care is None
            or provenance is None):
        return None
    return WarningSign(sign_id, sign, care, provenance)


def _check_unique(ctx: _Context, ids: list[str | None], path: PathKey) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id is None:
            continue
        if item_id in seen:
            ctx.error((*path, index, "id"), _("duplicate id '{id}'").format(id=item_id))
        seen.add(item_id)


_SECTIONS: dict[str, Callable[[_Context, object, PathKey], Any]] = {
    "protocols": _read_protocol,
    "exercises": _read_exercise,
    "routines": _read_routine,
    "tips": _read_tip,
    "aftercare": _read_tip,
    "warning_signs": _read_warning_sign,
}
_SINGLES: dict[str, Callable[[_Context, object, PathKey], Any]] = {
    "clot_check": _read_clot_check,
    "night_safety": _read_safety_note,
}
"""Sections holding one mapping, not a list: given once across all files."""
# What the user's own files may hold. Everything else, including any section
# added later, is shipped-only, so no file dropped in the routines folder can
# add, reorder or reword what emergency mode shows.
_USER_SECTIONS = ("routines", "exercises")


# -- parsing -----------------------------------------------------------------

_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent,
                yaml.AliasEvent)


class _Refused(Exception):
    """A file refused as a whole before its values are built."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _count_values(text: str) -> None:
    """Refuse a file with more than MAX_NODES values as written (aliases not
    yet expanded). Counted from parser events, each dropped as it comes, and
    stopping at the cap: composing a 1 MB file of 500,000 one-character values
    into nodes first would itself take hundreds of MB."""
    count = 0
    for event in yaml.parse(text, Loader=_COMPOSER):
        if isinstance(event, _NODE_EVENTS):
            count += 1
            if count > MAX_NODES:
                mark = event.start_mark
                raise _Refused(mark.line + 1 if mark else 1,
                               _("too large: more than {limit} values, where a file "
                                 "of routines needs a few hundred; split it into smaller "
                                 "files").format(limit=wording.decimal(MAX_NODES)))


def _child_nodes(node: yaml.CollectionNode) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield key_node
            yield value_node
    else:
        yield from node.value


def _index_lines(root: yaml.Node) -> tuple[dict[PathKey, int], list[tuple[PathKey, int]]]:
    """The line of every field and list item, and the fields given twice.

    Every list and mapping is visited once, however many aliases point at
    it, and its expanded size and depth are worked out from its children's,
    memoised by node identity: so a file whose aliases stand for a billion
    values costs no more than it looks before it is refused (raising
    :class:`_Refused`), and a file that passes holds at most MAX_NODES
    values, which bounds everything done with it later. Lines inside an
    alias are those where its anchor (``&name``) was written.
    """
    lines: dict[PathKey, int] = {}
    duplicates: list[tuple[PathKey, int]] = []
    measured: dict[int, tuple[int, int]] = {}  # id(node): expanded size, depth
    open_nodes: set[int] = set()  # the nodes on the way down to this one
    # (node, its path, whether it is being left): each list or mapping is
    # pushed again to be measured once its children have been.
    stack: list[tuple[yaml.Node, PathKey, bool]] = [(root, (), False)]
    while stack:
        node, path, leaving = stack.pop()
        if id(node) in measured or not isinstance(node, yaml.CollectionNode):
            continue
        line = node.start_mark.line + 1
        if leaving:
            open_nodes.discard(id(node))
            size, depth = 1, 1
            for child in _child_nodes(node):
                child_size, child_depth = measured.get(id(child), (1, 1))  # else a scalar
                size += child_size
                depth = max(depth, child_depth + 1)
            if size > MAX_NODES:
                raise _Refused(line, _("too many aliases: with every '*name' here replaced "
                                       "by what it stands for, this holds more than "
                                       "{limit} values; write the values out or use "
                                       "fewer aliases").format(
                    limit=wording.decimal(MAX_NODES)))
            if depth > MAX_DEPTH:
                raise _Refused(line, _("nested too deeply (more than {limit} levels, "
                                       "counting what aliases stand for); content files "
                                       "need fewer than 10").format(limit=MAX_DEPTH))
            measured[id(node)] = (size, depth)
            continue
        if id(node) in open_nodes:
            raise _Refused(line, _("an alias ('*name') inside this refers back to it, so it "
                                   "would never end; remove that alias"))
        open_nodes.add(id(node))
        stack.append((node, path, True))
        if isinstance(node, yaml.MappingNode):
            fields: set[str] = set()
            for key_node, value_node in node.value:
                # A list or mapping as a key is refused when the values are
                # built; a placeholder here avoids printing a whole subtree.
                label = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                child_path = (*path, label)
                lines[child_path] = key_node.start_mark.line + 1
                if label in fields:
                    duplicates.append((child_path, lines[child_path]))
                fields.add(label)
                stack.extend((child, child_path, False) for child in (key_node, value_node)
                             if isinstance(child, yaml.CollectionNode))
        else:
            for index, item in enumerate(node.value):
                child_path = (*path, index)
                lines[child_path] = item.start_mark.line + 1
                if isinstance(item, yaml.CollectionNode):
                    stack.append((item, child_path, False))
    return lines, duplicates


def _yaml_error(name: str, exc: yaml.YAMLError, text: str) -> ContentError:
    line = 1
    message = str(exc).splitlines()[0] if str(exc) else _("not valid YAML")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        at_tab = False
        if mark is not None:
            line = mark.line + 1
            # libyaml names no tab when one starts a line ("found character
            # that cannot start any token"): look at what stands there.
            found = text.splitlines()[mark.line:mark.line + 1]
            at_tab = bool(found) and found[0][mark.column:mark.column + 1] == "\t"
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        if exc.problem and ("'\\t'" in exc.problem or "tab character" in exc.problem
                            or at_tab):
            # Translators: {problem} is the YAML parser's own message, in English.
            message = _("{problem} (indent with spaces: YAML does not allow tabs)").format(
                problem=message)
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in (exc.problem or ""):
            # Translators: {problem} is the YAML parser's own message, in English.
            message = _("{problem}; content files hold plain data only, tags that build "
                        "objects are refused").format(problem=exc.problem)
    # Translators: {problem} is the YAML parser's own message, in English.
    return ContentError(name, line, "", _("not valid YAML: {problem}").format(problem=message))


def _read_text(path: Path, name: str) -> str | ContentError:
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileTooLarge:
        # Translators: {size} is a file size, e.g. "1 MB".
        return ContentError(name, 1, "", _("too large: content files are at most "
                                           "{size}; split it into smaller files").format(
            size=size_text(MAX_FILE_BYTES)))
    except OSError as exc:
        # Translators: {reason} is the system's reason, e.g. "Permission denied".
        return ContentError(name, 1, "", _("cannot read file: {reason}").format(
            reason=exc.strerror or exc))
    if not raw.strip():
        return ContentError(name, 1, "", _("file is empty"))
    if b"\x00" in raw:
        return ContentError(name, 1, "", _("not a text file (it contains binary data)"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return ContentError(name, line, "", _("not UTF-8 text"))


def _build(text: str) -> tuple[dict[PathKey, int], list[tuple[PathKey, int]], object]:
    """Lines, duplicate fields and the plain data of a file, each step bounded
    by the checks before it. The node tree is dropped on return: the data and
    the lines are all that is kept."""
    _count_values(text)
    root = yaml.compose(text, Loader=_COMPOSER)
    if root is None:
        return {}, [], None
    lines, duplicates = _index_lines(root)
    return lines, duplicates, yaml.SafeLoader("").construct_document(root)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building a file of 100,000 values makes some 300,000 objects and no
    cycle (an alias cycle is refused), yet would set the cycle collector off
    hundreds of times, each time over everything alive: that doubled the time
    to read a large file. Whatever it leaves is collected once it resumes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_file(path: Path, name: str | None = None, assets: Path | None = None, *,
               shipped: bool = False) -> tuple[FileContent | None, list[ContentError]]:
    """Validate one file. Returns its content only if it had no error at all.

    Only a ``shipped`` file (Cramp Coach's own) may hold protocols, tips or
    other safety text; anyone else's may add routines and exercises."""
    with _collector_paused():
        return _parse(path, name or str(path), assets, shipped)


def _parse(path: Path, name: str, assets: Path | None, shipped: bool
           ) -> tuple[FileContent | None, list[ContentError]]:
    text = _read_text(path, name)
    if isinstance(text, ContentError):
        return None, [text]
    try:
        lines, duplicates, data = _build(text)
    except _Refused as refused:
        return None, [ContentError(name, refused.line, "", refused.message)]
    except yaml.YAMLError as exc:
        return None, [_yaml_error(name, exc, text)]
    except (ValueError, OverflowError, RecursionError) as exc:
        return None, [ContentError(name, 1, "", _("not valid YAML: {problem}").format(
            problem=exc))]

    ctx = _Context(name, lines, assets, i18n.available() if shipped else ())
    for key_path, line in duplicates:
        ctx.error(key_path, _("this field is given twice in the same mapping"), line)
    if data is None:
        ctx.error((), _("file has no content"))
        return None, ctx.listed()

    top = ctx.mapping(data, (), (), ("schema", *_SECTIONS, *_SINGLES))
    if top is None:
        return None, ctx.listed()
    if "schema" in top and top["schema"] != SCHEMA_VERSION:
        # Translators: 'schema' is the content file format's version number.
        ctx.error(("schema",), _("this app reads schema {version}, the file says "
                                 "{value}").format(version=SCHEMA_VERSION,
                                                   value=repr(top["schema"])))
    allowed = (*_SECTIONS, *_SINGLES) if shipped else _USER_SECTIONS
    for section in (*_SECTIONS, *_SINGLES):
        if section in top and section not in allowed:
            ctx.error((section,), _("this section comes only with Cramp Coach itself (its "
                                    "content is checked against medical sources), so that "
                                    "emergency mode and its advice cannot be changed; your "
                                    "own files may add routines and exercises only, so "
                                    "remove this section"))
    if not any(section in top for section in (*_SECTIONS, *_SINGLES)):
        # Translators: {sections} are the names of a content file's sections, in English.
        ctx.error((), _("nothing to load: expected at least one of {sections}").format(
            sections=", ".join(allowed)))

    sections: dict[str, tuple[tuple[Any, PathKey], ...]] = {}
    singles: dict[str, tuple[Any, PathKey]] = {}
    for section in allowed:
        if section not in top:
            continue
        if section in _SINGLES:
            single = _SINGLES[section](ctx, top[section], (section,))
            if single is not None:
                singles[section] = (single, (section,))
            continue
        items = ctx.sequence(top[section], (section,))
        reader = _SECTIONS[section]
        read = [(reader(ctx, item, (section, i)), (section, i)) for i, item in enumerate(items)]
        _check_unique(ctx, [getattr(obj, "id", None) for obj, _path in read], (section,))
        sections[section] = tuple((obj, p) for obj, p in read if obj is not None)
    if ctx.found:
        return None, ctx.listed()
    return FileContent(name=name, lines=lines, singles=singles,
                       untranslated=tuple(ctx.untranslated), **sections), []


# -- the whole library -------------------------------------------------------

def load_library(shipped: Iterable[Path], assets: Path | None, *, user: Iterable[Path] = (),
                 names: Callable[[Path], str] | None = None) -> Library:
    """Load every file; a bad file, or a folder that cannot be read, is
    skipped and reported, never fatal.

    ``shipped`` are Cramp Coach's own files or folders, ``user`` everyone
    else's (the routines folder, files given to ``validate`` or imported),
    which may add routines and exercises only. Shipped files come first and,
    when two files define the same id, the first one wins and the second is
    reported, so a user file can never replace a shipped exercise either.
    """
    name_of = names or str
    ours = find_content(shipped)
    theirs = find_content(user, skip=ours.files)
    errors = [ContentError(name_of(path), 0, "", reason)
              for path, reason in (*ours.problems, *theirs.problems)]
    skipped: list[str] = []
    loaded: list[FileContent] = []
    for path, is_shipped in [*((p, True) for p in ours.files),
                             *((p, False) for p in theirs.files)]:
        name = name_of(path)
        content, problems = parse_file(path, name, assets, shipped=is_shipped)
        if content is None:
            errors.extend(problems)
            skipped.append(name)
            continue
        loaded.append(content)

    merged: dict[str, list[Any]] = {section: [] for section in _SECTIONS}
    for section in _SECTIONS:
        seen: dict[str, str] = {}
        for content in loaded:
            for obj, path in getattr(content, section):
                if obj.id in seen:
                    errors.append(ContentError(content.name, content.lines.get((*path, "id"), 1),
                                               dotted((*path, "id")),
                                               _("duplicate id '{id}' (already defined "
                                                 "in {file}); this one is ignored, so "
                                                 "give it an id of its own").format(
                                                   id=obj.id, file=seen[obj.id])))
                    continue
                seen[obj.id] = content.name
                merged[section].append((obj, content.name, content.lines, path))

    singles: dict[str, Any] = {}
    given_in: dict[str, str] = {}
    for content in loaded:
        for section, (obj, where) in content.singles.items():
            if section in singles:
                errors.append(ContentError(content.name, content.lines.get(where, 1), section,
                                           _("already given in {file}; this one "
                                             "is ignored").format(file=given_in[section])))
                continue
            singles[section], given_in[section] = obj, content.name

    exercises = {obj.id: obj for obj, *_rest in merged["exercises"]}
    routines: list[Routine] = []
    hints = _Hints()
    for routine, name, lines, path in merged["routines"]:
        problems = _check_routine(routine, exercises, name, lines, path, hints)
        errors.extend(problems)
        if not problems:
            routines.append(routine)

    protocols = sorted((obj for obj, *_rest in merged["protocols"]), key=lambda p: p.order)
    return Library(
        protocols=tuple(protocols),
        exercises=tuple(exercises.values()),
        routines=tuple(routines),
        tips=tuple(obj for obj, *_rest in merged["tips"]),
        aftercare=tuple(obj for obj, *_rest in merged["aftercare"]),
        clot_check=singles.get("clot_check"),
        night_safety=singles.get("night_safety"),
        warning_signs=tuple(obj for obj, *_rest in merged["warning_signs"]),
        errors=tuple(errors),
        untranslated=tuple(e for content in loaded for e in content.untranslated),
        skipped_files=tuple(skipped),
    )


def _check_routine(routine: Routine, exercises: Mapping[str, Exercise], name: str,
                   lines: Mapping[PathKey, int], path: PathKey, hints: _Hints
                   ) -> list[ContentError]:
    problems = []
    count = 0
    for index, item in enumerate(routine.items):
        exercise = exercises.get(item.exercise)
        if exercise is not None and (item.hold is None or exercise.hold is not None):
            continue
        count += 1
        if count > MAX_ERRORS:
            continue
        item_path = (*path, "items", index)
        line = lines.get(item_path, 1)
        if exercise is None:
            hint = hints.hint(item.exercise, exercises.keys())
            if hint is None:
                message = _("unknown exercise '{id}'").format(id=item.exercise)
            else:
                message = _("unknown exercise '{id}' (did you mean '{hint}'?)").format(
                    id=item.exercise, hint=hint)
            problems.append(ContentError(name, line, dotted(item_path), message))
        else:
            problems.append(ContentError(name, line, dotted((*item_path, "hold")),
                                         _("'{id}' is done in repetitions, so it "
                                           "cannot be given a hold time").format(
                                             id=exercise.id)))
    if not problems:
        try:  # the plan is made on the screens' thread: refuse one too long to make
            build_plan(routine, exercises, GET_READY_CHOICES[0])
        except PlanTooLong:
            hours = MAX_PLAN_S // 3600
            return [ContentError(name, lines.get(path, 1), dotted(path), ngettext(
                "routine '{id}' would take over {n} hour, so it was skipped",
                "routine '{id}' would take over {n} hours, so it was skipped",
                hours).format(id=routine.id, n=hours))]
        return []
    return [*_listed(problems, count, name),
            ContentError(name, lines.get(path, 1), dotted(path),
                         _("routine '{id}' was skipped").format(id=routine.id))]


def _listed(problems: list[ContentError], count: int, name: str) -> list[ContentError]:
    """The problems listed, and a last line saying how many more were found."""
    if count <= len(problems):
        return problems
    more = count - len(problems)
    return [*problems, ContentError(name, problems[-1].line, "",
                                    ngettext("and {count} more problem like these; fix "
                                             "these and check again",
                                             "and {count} more problems like these; fix "
                                             "these and check again", more).format(
                                        count=wording.decimal(more)))]
