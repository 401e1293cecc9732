"""The content model: immutable, typed objects built from the YAML files.

Everything the UI shows about a cramp protocol or an exercise comes from these
objects, so a bad value is caught once, at load time, with a file and line,
instead of surfacing as a crash in the middle of the night.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from coach.core import i18n
from coach.core.care import Care
from coach.core.i18n import _

DEFAULT_LANGUAGE = "en"
STEP_KEY_SEPARATOR = "/"


class Evidence(str, Enum):
    """How strong the support for a piece of advice is, from strongest to
    weakest. ``guideline``: a health or safety service's official advice
    (NHS, NICE, RNLI); ``expert``: what clinicians and physiotherapists advise
    from experience, without trials behind it (most exercises, clinics'
    self-care pages); ``traditional`` is kept for folk measures, so an exercise
    never reads as a home remedy."""

    GUIDELINE = "guideline"
    MIXED = "mixed"
    EXPERT = "expert"
    TRADITIONAL = "traditional"

    @property
    def label(self) -> str:
        """In plain words, for someone who has never read a trial, in the
        current language."""
        return {
            # Translators: how strong the evidence for a piece of advice is.
            Evidence.GUIDELINE: _("Official advice"),
            Evidence.MIXED: _("Studies disagree: it helps some people"),
            Evidence.EXPERT: _("Professional advice, not tested in trials"),
            Evidence.TRADITIONAL: _("Traditional remedy, not proven"),
        }[self]


class Side(str, Enum):
    """Which leg a single emergency step is done on."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Sides(str, Enum):
    """How an exercise uses the legs: together, or each in turn (left, then right)."""

    BOTH = "both"
    EACH = "each"


class Action(str, Enum):
    """What a step does to the leg. The safety rules key off this: stretching or
    massaging a leg with a clot is dangerous, so the clot check comes before the
    first such step."""

    STRETCH = "stretch"
    MASSAGE = "massage"
    WEIGHT = "weight"
    WALK = "walk"
    HEAT = "heat"
    REST = "rest"
    INFO = "info"

    @property
    def needs_clot_check(self) -> bool:
        return self in (Action.STRETCH, Action.MASSAGE, Action.WEIGHT, Action.WALK)


class Caution(str, Enum):
    """Conditions under which a step needs care; the safety profile maps each to
    hiding or flagging the step."""

    VARICOSE_VEINS = "varicose_veins"
    CLOT_HISTORY = "clot_history"
    NEUROPATHY = "neuropathy"
    PREGNANCY = "pregnancy"
    DIURETICS_STATINS = "diuretics_statins"
    BALANCE = "balance"


@dataclass(frozen=True)
class Text:
    """A user-facing string in one or more languages.

    YAML accepts a plain string (English) or a mapping from language code to
    string, so translations can be added later without a schema change.
    """

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls(((DEFAULT_LANGUAGE, text),))

    def get(self, language: str = DEFAULT_LANGUAGE) -> str:
        table = dict(self.values)
        return table.get(language) or table.get(DEFAULT_LANGUAGE) or self.values[0][1]

    def __str__(self) -> str:
        """In the app's language, falling back to English."""
        return self.get(i18n.current())

    def written_in(self, language: str) -> str | None:
        """The words only if written in ``language``: a voice of that language
        reading another one's words garbles them (a user's English routine,
        with the app in Russian)."""
        return dict(self.values).get(language)


@dataclass(frozen=True)
class Provenance:
    """Where a piece of advice comes from and how strong the evidence is."""

    evidence: Evidence
    source: str


@dataclass(frozen=True)
class Step:
    """One step of an emergency protocol."""

    id: str
    instruction: Text
    action: Action
    provenance: Provenance
    how: Text | None = None
    hold: int | None = None
    reps: int = 1
    side: Side | None = None
    image: str | None = None
    cautions: frozenset[Caution] = frozenset()
    supported: Text | None = None
    supported_image: str | None = None
    """The picture of the ``supported`` version. Without one, that version is
    shown with no picture: a standing figure beside "sit on the edge of the
    bed" tells a half-asleep person to stand."""


@dataclass(frozen=True)
class Protocol:
    """What to do for a cramp in one place (calf, foot, ...)."""

    id: str
    title: Text
    order: int
    steps: tuple[Step, ...]
    summary: Text | None = None
    read_ahead: bool = False
    image: str | None = None


@dataclass(frozen=True)
class Exercise:
    """A preventive exercise: either held (``hold`` seconds, ``reps`` times) or
    repeated at a tempo (``reps`` repetitions of ``tempo`` seconds each)."""

    id: str
    title: Text
    steps: tuple[Text, ...]
    provenance: Provenance
    image: str | None
    """Always given in a content file; None only in :meth:`as_supported`'s
    version when the supported way has no picture of its own."""
    sides: Sides = Sides.BOTH
    hold: int | None = None
    reps: int = 1
    tempo: float | None = None
    cautions: frozenset[Caution] = frozenset()
    supported: Text | None = None
    supported_image: str | None = None
    """The picture of the ``supported`` version, as for :attr:`Step.supported_image`."""

    def as_supported(self) -> Exercise:
        """The exercise as done the supported way (sitting, or not flat on the
        back): its ``supported`` words are the steps, shown and spoken, with
        their own picture or none. The standing steps and the standing figure
        would tell someone unsteady on their feet to stand."""
        if self.supported is None:
            return self
        return replace(self, steps=(self.supported,), image=self.supported_image,
                       supported=None, supported_image=None)


@dataclass(frozen=True)
class RoutineItem:
    """An exercise inside a routine, with the routine's own overrides."""

    exercise: str
    hold: int | None = None
    reps: int | None = None
    rest: int | None = None


@dataclass(frozen=True)
class Routine:
    id: str
    title: Text
    items: tuple[RoutineItem, ...]
    rest: int = 15
    description: Text | None = None
    source: str | None = None


@dataclass(frozen=True)
class Tip:
    """A short piece of advice (after-care, prevention) with its provenance."""

    id: str
    title: Text
    text: Text
    provenance: Provenance
    cautions: frozenset[Caution] = frozenset()


@dataclass(frozen=True)
class ClotCheck:
    """The question asked before the first stretch or massage. It lives in
    the content, with its sources, so it is validated, cited and translated
    like every other safety text."""

    title: Text
    question: Text
    risk: Text
    """Who is more likely to have a clot: said once, under the question."""
    provenance: Provenance


@dataclass(frozen=True)
class SafetyNote:
    """A short safety text shown by a rule in the app (e.g. before standing
    up at night), with its provenance."""

    text: Text
    provenance: Provenance


@dataclass(frozen=True)
class WarningSign:
    """A sign that a cramp may not be an ordinary one, and how soon to see
    whom (``care``, worded by :mod:`coach.core.care`)."""

    id: str
    sign: Text
    care: Care
    provenance: Provenance


def step_key(protocol_id: str, step_id: str) -> str:
    """A step's identity everywhere (session, diary, CSV, report): step ids
    repeat across protocols ("walk", "legs-up"), so the id alone is not one."""
    return f"{protocol_id}{STEP_KEY_SEPARATOR}{step_id}"


def split_step_key(key: str, protocol_id: str) -> tuple[str, str]:
    """``(protocol, step)`` of a key. Entries logged before keys were
    qualified hold the bare step id: ``protocol_id`` (the entry's place,
    which was its protocol) stands in for the protocol."""
    protocol, separator, step = key.partition(STEP_KEY_SEPARATOR)
    return (protocol, step) if separator else (protocol_id, key)


@dataclass(frozen=True)
class ContentError:
    """A problem in a content file, precise enough to fix without guessing."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


@dataclass(frozen=True)
class Library:
    """Everything that loaded, plus every problem found on the way."""

    protocols: tuple[Protocol, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    routines: tuple[Routine, ...] = ()
    tips: tuple[Tip, ...] = ()
    aftercare: tuple[Tip, ...] = ()
    clot_check: ClotCheck | None = None
    night_safety: SafetyNote | None = None
    warning_signs: tuple[WarningSign, ...] = ()
    errors: tuple[ContentError, ...] = ()
    untranslated: tuple[ContentError, ...] = ()
    """Shipped texts lacking a language the app speaks: ``validate`` lists them;
    the app shows those texts in English meanwhile."""
    skipped_files: tuple[str, ...] = field(default=())

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def routine(self, routine_id: str) -> Routine:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        raise KeyError(routine_id)

    def protocol(self, protocol_id: str) -> Protocol:
        for protocol in self.protocols:
            if protocol.id == protocol_id:
                return protocol
        raise KeyError(protocol_id)

    def step(self, key: str, protocol_id: str = "") -> Step | None:
        """The step a diary entry's key names (see :func:`split_step_key`),
        or None when the content no longer has it."""
        protocol, step_id = split_step_key(key, protocol_id)
        try:
            steps = self.protocol(protocol).steps
        except KeyError:
            return None
        return next((step for step in steps if step.id == step_id), None)
