"""Emergency mode as a state machine: places, the clot check, guided steps with
hold countdowns, the 10-minute escalation, and after-care.

The screens only render :meth:`EmergencySession.view` and forward button
presses; every rule (when to ask about a clot, when to escalate, what the
profile hides) is decided here, where it can be tested with a fake clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from coach.core.clock import Clock
from coach.core.model import Library, Protocol, Step, Tip
from coach.core.profile import Condition, assess

URGENT_AFTER_S = 600.0
"""NHS: see a doctor urgently if a cramp lasts longer than 10 minutes."""

PREP_S = 3
"""Seconds to get into position before each hold; it doubles as the short
relaxation between repeated holds."""


class Screen(str, Enum):
    PLACES = "places"
    READ_AHEAD = "read_ahead"
    CLOT_CHECK = "clot_check"
    CLOT_WARNING = "clot_warning"
    STEP = "step"
    URGENT = "urgent"
    AFTERCARE = "aftercare"


class Phase(str, Enum):
    """Where a step's hold countdown is."""

    NONE = "none"
    PREP = "prep"
    HOLD = "hold"
    DONE = "done"


class Cue(str, Enum):
    START = "start"
    END = "end"


@dataclass(frozen=True)
class ShownStep:
    step: Step
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class View:
    screen: Screen
    protocol: Protocol | None = None
    step: ShownStep | None = None
    step_number: int = 0
    step_total: int = 0
    phase: Phase = Phase.NONE
    remaining: int = 0
    rep: int = 0
    reps: int = 0
    elapsed: float = 0.0
    left_out: tuple[str, ...] = ()
    aftercare: tuple[Tip, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What happened, for the diary's quick log."""

    protocol_id: str
    started: datetime
    duration_s: float
    steps_used: tuple[str, ...]
    clot_signs: bool


class EmergencySession:
    def __init__(self, library: Library, clock: Clock, *,
                 profile: frozenset[Condition] = frozenset(), auto_advance: bool = True) -> None:
        self._library = library
        self._clock = clock
        self._profile = profile
        self.auto_advance = auto_advance
        self._reset()

    def _reset(self) -> None:
        self._screen = Screen.PLACES
        self._protocol: Protocol | None = None
        self._steps: tuple[ShownStep, ...] = ()
        self._left_out: tuple[str, ...] = ()
        self._index = 0
        self._clot_checked = False
        self._clot_signs = False
        self._started_mono: float | None = None
        self._started_wall: datetime | None = None
        self._stopped_at: float | None = None
        self._urgent_shown = False
        self._return_to = Screen.STEP
        self._phase = Phase.NONE
        self._deadline = 0.0
        self._rep = 0
        self._used: list[str] = []

    # -- queries -----------------------------------------------------------

    @property
    def screen(self) -> Screen:
        return self._screen

    def places(self) -> tuple[Protocol, ...]:
        return self._library.protocols

    def elapsed(self) -> float:
        if self._started_mono is None:
            return 0.0
        end = self._stopped_at if self._stopped_at is not None else self._clock.monotonic()
        return end - self._started_mono

    def view(self) -> View:
        shown = self._steps[self._index] if self._steps else None
        aftercare: tuple[Tip, ...] = ()
        if self._screen is Screen.AFTERCARE:
            aftercare = tuple(tip for tip in self._library.aftercare
                              if not assess(tip.cautions, self._profile).hidden)
        remaining = 0
        if self._phase in (Phase.PREP, Phase.HOLD):
            remaining = max(0, math.ceil(self._deadline - self._clock.monotonic()))
        return View(
            screen=self._screen, protocol=self._protocol, step=shown,
            step_number=self._index + 1 if shown else 0, step_total=len(self._steps),
            phase=self._phase, remaining=remaining, rep=self._rep,
            reps=shown.step.reps if shown and shown.step.hold else 0,
            elapsed=self.elapsed(), left_out=self._left_out, aftercare=aftercare,
        )

    def next_wakeup(self) -> float | None:
        """Seconds until what is shown next changes: the countdown's next whole
        second, or the stopwatch's, whichever is sooner."""
        if self._screen in (Screen.PLACES, Screen.READ_AHEAD, Screen.CLOT_WARNING):
            return None
        now = self._clock.monotonic()
        waits = []
        if self._phase in (Phase.PREP, Phase.HOLD):
            left = self._deadline - now
            waits.append(left - math.floor(left) if left % 1 else 1.0)
        if self._started_mono is not None and self._stopped_at is None:
            running = now - self._started_mono
            waits.append(1.0 - (running % 1.0))
            if not self._urgent_shown:
                waits.append(URGENT_AFTER_S - running)
        positive = [w for w in waits if w > 1e-6]
        return min(positive) if positive else 1.0

    def outcome(self) -> Outcome | None:
        if self._protocol is None or self._started_wall is None:
            return None
        return Outcome(self._protocol.id, self._started_wall, self.elapsed(),
                       tuple(self._used), self._clot_signs)

    # -- input ---------------------------------------------------------------

    def choose(self, protocol_id: str) -> list[Cue]:
        """The first tap: starts the cramp stopwatch (except for read-ahead cards)."""
        protocol = self._library.protocol(protocol_id)
        self._reset()
        self._protocol = protocol
        if protocol.read_ahead:
            self._steps = tuple(ShownStep(s) for s in protocol.steps)
            self._screen = Screen.READ_AHEAD
            return []
        self._started_mono = self._clock.monotonic()
        self._started_wall = self._clock.wall()
        shown: list[ShownStep] = []
        left_out: list[str] = []
        for step in protocol.steps:
            verdict = assess(step.cautions, self._profile)
            if verdict.hidden:
                left_out.extend(r for r in verdict.reasons if r not in left_out)
            else:
                shown.append(ShownStep(step, verdict.reasons))
        self._steps, self._left_out = tuple(shown), tuple(left_out)
        if not self._steps:
            return self._to_aftercare()
        return self._enter(0)

    def answer_clot_check(self, signs: bool) -> list[Cue]:
        if self._screen is not Screen.CLOT_CHECK:
            return []
        self._clot_checked = True
        self._clot_signs = signs
        if signs:
            self._phase = Phase.NONE
            self._screen = Screen.CLOT_WARNING
            return []
        return self._enter(self._index)

    def next(self) -> list[Cue]:
        return self._advance(at=None)

    def back(self) -> list[Cue]:
        if self._screen is Screen.STEP and self._index > 0:
            return self._enter(self._index - 1)
        if self._screen is Screen.CLOT_WARNING:
            self._clot_checked = False
            self._screen = Screen.CLOT_CHECK
        elif self._screen in (Screen.STEP, Screen.READ_AHEAD, Screen.CLOT_CHECK):
            self.leave()
        return []

    def restart_hold(self) -> list[Cue]:
        if self._screen is Screen.STEP:
            return self._enter(self._index)
        return []

    def passed(self) -> list[Cue]:
        """'It has passed' works from every screen of a running protocol."""
        if self._screen in (Screen.STEP, Screen.CLOT_CHECK, Screen.URGENT):
            return self._to_aftercare()
        return []

    def dismiss_urgent(self) -> list[Cue]:
        if self._screen is not Screen.URGENT:
            return []
        self._screen = self._return_to
        return self._enter(self._index) if self._return_to is Screen.STEP else []

    def leave(self) -> None:
        self._reset()

    def tick(self) -> list[Cue]:
        """Catch up with the clock. Deadlines chain from the previous deadline, so
        a late tick never stretches or shortens a hold."""
        cues: list[Cue] = []
        now = self._clock.monotonic()
        if (self._started_mono is not None and self._stopped_at is None
                and not self._urgent_shown and now - self._started_mono >= URGENT_AFTER_S
                and self._screen in (Screen.STEP, Screen.CLOT_CHECK)):
            self._urgent_shown = True
            self._return_to = self._screen
            self._phase = Phase.NONE
            self._screen = Screen.URGENT
            return cues
        while self._screen is Screen.STEP and self._phase in (Phase.PREP, Phase.HOLD) \
                and now >= self._deadline:
            step = self._steps[self._index].step
            assert step.hold is not None
            if self._phase is Phase.PREP:
                self._phase = Phase.HOLD
                self._deadline += step.hold
                cues.append(Cue.START)
            elif self._rep < step.reps:
                self._rep += 1
                self._phase = Phase.PREP
                self._deadline += PREP_S
                cues.append(Cue.END)
            else:
                self._phase = Phase.DONE
                cues.append(Cue.END)
                if self.auto_advance:
                    cues.extend(self._advance(at=self._deadline))
        return cues

    # -- transitions ---------------------------------------------------------

    def _advance(self, at: float | None) -> list[Cue]:
        if self._screen is not Screen.STEP:
            return []
        if self._index + 1 < len(self._steps):
            return self._enter(self._index + 1, at)
        return self._to_aftercare()

    def _enter(self, index: int, at: float | None = None) -> list[Cue]:
        """Show step ``index``; ``at`` is when it began, for an auto-advance that a
        late tick noticed after the fact."""
        self._index = index
        step = self._steps[index].step
        if step.action.needs_clot_check and not self._clot_checked:
            self._phase = Phase.NONE
            self._screen = Screen.CLOT_CHECK
            return []
        self._screen = Screen.STEP
        if step.id not in self._used:
            self._used.append(step.id)
        if step.hold:
            self._phase = Phase.PREP
            self._rep = 1
            self._deadline = (self._clock.monotonic() if at is None else at) + PREP_S
        else:
            self._phase = Phase.NONE
            self._rep = 0
        return []

    def _to_aftercare(self) -> list[Cue]:
        if self._stopped_at is None and self._started_mono is not None:
            self._stopped_at = self._clock.monotonic()
        self._phase = Phase.NONE
        self._screen = Screen.AFTERCARE
        return []
