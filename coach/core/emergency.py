"""Emergency mode as a state machine: places, the clot check, guided steps with
hold countdowns, the 10-minute escalation, and after-care.

The screens only render :meth:`EmergencySession.view` and forward button
presses; every rule (when to ask about a clot, when to escalate, what the
profile hides, when the cramp timer stops, what is done sitting at night) is
decided here, where it can be tested with a fake clock.

The cramp timer measures the cramp, not the session: it stops at the first
resting step (whose text begins "When it has passed...") or at "It has
passed", whichever comes first. So the 10-minute escalation can never appear
after the cramp is over, and the diary records how long the cramp lasted.
Only the person moves on to a resting step: steps move on by themselves
when a hold ends, but never into rest, which would stop the timer (and the
escalation with it) while the cramp may still be going on.

Its times are on the clock that goes on while the computer sleeps
(:meth:`Clock.since_boot`): an automatic suspend in the middle of a long
cramp must not take that time off the cramp, the 10-minute card or the diary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from coach.core.care import URGENT_AFTER_S
from coach.core.clock import Clock
from coach.core.model import (
    Action,
    Caution,
    ClotCheck,
    Library,
    Protocol,
    SafetyNote,
    Step,
    Text,
    Tip,
    step_key,
)
from coach.core.profile import Condition, Posture, assess, flags_as_done, standing_step

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


_STILL = frozenset({Screen.PLACES, Screen.READ_AHEAD, Screen.CLOT_WARNING})
"""Screens where nothing counts: no hold, and no cramp timer on screen (on
the clot warning it runs on underneath, for an answer given by mistake)."""


class Phase(str, Enum):
    """Where a step's hold countdown is."""

    NONE = "none"
    PREP = "prep"
    HOLD = "hold"
    DONE = "done"


class Cue(str, Enum):
    """A moment worth marking: with sound, or with words when a voice is on.
    What each one sounds like or says is decided above the core."""

    CHECK = "check"
    """The clot check is on screen."""
    STEP = "step"
    """A step is on screen: its instruction can be read out, once."""
    START = "start"
    """A hold begins."""
    TEN_LEFT = "ten_left"
    """Ten seconds of a hold are left (holds of 20 s or more)."""
    END = "end"
    """A hold ended and another of the same step follows."""
    DONE = "done"
    """The step's last hold ended."""
    NEXT = "next"
    """The session moved on to the next step by itself."""
    PASSED_HINT = "passed_hint"
    """How to say it is over: once a session after the first step's holds,
    and again where the guide waits before a resting step."""


TEN_LEFT_S = 10
"""When the "ten seconds" cue comes; only in holds of at least twice that."""


@dataclass(frozen=True)
class ShownStep:
    """A step as this person does it now. ``seated``: show the step's
    seated or supported version first (at night, when unsteady on their
    feet, or where the profile asks for it, as in pregnancy);
    ``stand_up_next``: the next step is the first done standing, so this one
    says to turn on a light and sit on the edge of the bed first."""

    step: Step
    flags: tuple[str, ...] = ()
    seated: bool = False
    stand_up_next: bool = False
    may_stand: bool = False
    """Seated only because it is night: someone who feels steady may do the
    step as written instead. Never for someone unsteady on their feet (a
    standing step with no seated version is left out for them, so offering
    to stand would contradict it), nor when the profile asks for the seated
    or lying version itself (pregnancy: not flat on the back)."""

    @property
    def as_supported(self) -> bool:
        """Shown in its supported version: its words and picture."""
        return self.seated and self.step.supported is not None

    @property
    def instruction(self) -> Text:
        supported = self.step.supported
        return supported if self.as_supported and supported is not None else \
            self.step.instruction

    @property
    def image(self) -> str | None:
        return self.step.supported_image if self.as_supported else self.step.image

    @property
    def how(self) -> Text | None:
        """The step's ``how``, except beside the seated version of a standing
        step: there it describes the standing one ("bend the other knee,
        hold on to a chair with the other hand"). A step seated for another
        reason (pregnancy's legs-up) keeps its own, when to get help and all."""
        if self.as_supported and Caution.BALANCE in self.step.cautions:
            return None
        return self.step.how


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
    stopwatch_shown: bool = False
    """Whether the cramp timer is shown: not before it starts, nor while it
    runs on a screen whose numbers stand still (it would read as stopped)."""
    asks_if_passed: bool = False
    """The step is done and the next one is a rest, which only the person
    moves on to: the screen asks whether the cramp has passed."""
    left_out: tuple[str, ...] = ()
    aftercare: tuple[Tip, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What happened, for the diary's quick log."""

    protocol_id: str
    started: datetime
    duration_s: float
    steps_used: tuple[str, ...]
    """Step keys (:func:`coach.core.model.step_key`), in the order done."""
    clot_signs: bool
    steps_other_way: frozenset[str] = frozenset()
    """Those of :attr:`steps_used` shown in their supported (seated or
    lying) version: the diary then names the step as the person was told it."""


def usable(library: Library) -> bool:
    """A guide can be followed only with the clot check that guards its
    first stretch; without it (a broken install) the screen shows the
    fallback advice instead of guides."""
    return library.clot_check is not None and any(
        not p.read_ahead for p in library.protocols)


def places(library: Library) -> tuple[Protocol, ...]:
    """The place buttons' guides, in the order shown: the guides, then the
    cards to read ahead; none when no guide can be followed."""
    if not usable(library):
        return ()
    return tuple(sorted(library.protocols, key=lambda protocol: protocol.read_ahead))


class EmergencySession:
    """``night`` is asked when a place is chosen: the app's night rule, so a
    standing step is offered sitting first in the dark."""

    def __init__(self, library: Library, clock: Clock, *,
                 profile: frozenset[Condition] = frozenset(), auto_advance: bool = True,
                 night: Callable[[], bool] = lambda: False) -> None:
        self._library = library
        self._clock = clock
        self._profile = profile
        self._night = night
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
        self._started_boot: float | None = None
        self._started_wall: datetime | None = None
        self._stopped_at: float | None = None
        self._urgent_shown = False
        self._return_to = Screen.STEP
        self._phase = Phase.NONE
        self._deadline = 0.0
        self._rep = 0
        self._ten_due = False
        self._hint_given = False
        self._used: list[str] = []
        self._other_way: set[str] = set()

    # -- queries -----------------------------------------------------------

    @property
    def screen(self) -> Screen:
        return self._screen

    def set_guidance(self, profile: frozenset[Condition], auto_advance: bool) -> None:
        """The safety profile (and auto-advance) changed in Settings, perhaps
        over a guide under way: its steps done stay done, and those still to
        come follow the new profile. A step now hidden (massage, once a clot
        history is ticked) is left at once for the next one."""
        self._profile = profile
        self.auto_advance = auto_advance
        if self._protocol is None or not self._steps or self._screen in (
                Screen.PLACES, Screen.READ_AHEAD, Screen.AFTERCARE):
            return
        fresh, left_out = shown_steps(self._protocol, profile, night=self._night())
        order = {step.id: number for number, step in enumerate(self._protocol.steps)}
        current = self._steps[self._index]
        ahead = [s for s in fresh if order[s.step.id] >= order[current.step.id]]
        self._left_out = (*self._left_out,
                          *(reason for reason in left_out if reason not in self._left_out))
        if not ahead:  # the step on screen is now left out, and nothing comes after it
            self._to_aftercare()
            return
        self._steps = (*self._steps[:self._index], *ahead)
        if ahead[0].step.id != current.step.id and self._screen is Screen.STEP:
            # The step on screen is now one to leave out: on to the next, and
            # the cramp has not passed for that (nor does its timer stop).
            self._enter(self._index, passed=False)

    @property
    def usable(self) -> bool:
        return usable(self._library)

    @property
    def clot_check(self) -> ClotCheck | None:
        return self._library.clot_check

    @property
    def night_safety(self) -> SafetyNote | None:
        return self._library.night_safety

    @property
    def timing(self) -> bool:
        """The cramp timer is running."""
        return self._started_boot is not None and self._stopped_at is None

    def places(self) -> tuple[Protocol, ...]:
        return places(self._library)

    def elapsed(self) -> float:
        if self._started_boot is None:
            return 0.0
        end = self._stopped_at if self._stopped_at is not None else self._clock.since_boot()
        return end - self._started_boot

    def view(self) -> View:
        shown = self._steps[self._index] if self._steps else None
        aftercare: tuple[Tip, ...] = ()
        if self._screen is Screen.AFTERCARE:
            # A tip done standing (a short walk) is left out for someone
            # unsteady on their feet, as a standing step with no seated
            # version is.
            aftercare = tuple(
                tip for tip in self._library.aftercare
                if not assess(tip.cautions, self._profile).hidden
                and standing_step(tip.cautions, False, self._profile, night=False)[0]
                is not Posture.LEFT_OUT)
        remaining, elapsed = 0, self.elapsed()
        if self._phase in (Phase.PREP, Phase.HOLD):
            remaining = max(0, math.ceil(self._deadline - self._clock.since_boot()))
        return View(
            screen=self._screen, protocol=self._protocol, step=shown,
            step_number=self._index + 1 if shown else 0, step_total=len(self._steps),
            phase=self._phase, remaining=remaining, rep=self._rep,
            reps=shown.step.reps if shown and shown.step.hold else 0,
            elapsed=elapsed,
            # Only while it runs: once the cramp has passed, after-care says
            # how long it lasted, and a timer frozen beside it would read as
            # a cramp still going on ("Судорога длится 0:12").
            stopwatch_shown=self.timing and self._screen not in _STILL,
            asks_if_passed=(self._phase is Phase.DONE and self.timing
                            and self._following() is Action.REST),
            left_out=self._left_out, aftercare=aftercare,
        )

    def next_wakeup(self) -> float | None:
        """Seconds until what is shown next changes: the countdown's next whole
        second, or the stopwatch's, whichever is sooner."""
        if self._screen in _STILL:
            return None
        now = self._clock.since_boot()
        waits = []
        if self._phase in (Phase.PREP, Phase.HOLD):
            left = self._deadline - now
            waits.append(left - math.floor(left) if left % 1 else 1.0)
        if self.timing:
            assert self._started_boot is not None
            running = now - self._started_boot
            waits.append(1.0 - (running % 1.0))
            if not self._urgent_shown:
                waits.append(URGENT_AFTER_S - running)
        positive = [w for w in waits if w > 1e-6]
        if positive:
            return min(positive)
        return None if self._phase in (Phase.NONE, Phase.DONE) and not self.timing else 1.0

    def outcome(self) -> Outcome | None:
        if self._protocol is None or self._started_wall is None:
            return None
        return Outcome(self._protocol.id, self._started_wall, self.elapsed(),
                       tuple(self._used), self._clot_signs, frozenset(self._other_way))

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
        self._started_boot = self._clock.since_boot()
        self._started_wall = self._clock.wall()
        self._steps, self._left_out = shown_steps(protocol, self._profile, night=self._night())
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
        """The same step's holds from the first, without reading it out again."""
        if self._screen is Screen.STEP:
            return [c for c in self._enter(self._index) if c is not Cue.STEP]
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
        now = self._clock.since_boot()
        if (self.timing and not self._urgent_shown
                and self._screen in (Screen.STEP, Screen.CLOT_CHECK)):
            assert self._started_boot is not None
            if now - self._started_boot >= URGENT_AFTER_S:
                self._urgent_shown = True
                self._return_to = self._screen
                self._phase = Phase.NONE
                self._screen = Screen.URGENT
                return cues
        while self._screen is Screen.STEP and self._phase in (Phase.PREP, Phase.HOLD):
            step = self._steps[self._index].step
            assert step.hold is not None
            if (self._phase is Phase.HOLD and self._ten_due
                    and now >= self._deadline - TEN_LEFT_S):
                self._ten_due = False
                if now < self._deadline:
                    cues.append(Cue.TEN_LEFT)
            if now < self._deadline:
                break
            if self._phase is Phase.PREP:
                self._phase = Phase.HOLD
                self._deadline += step.hold
                self._ten_due = step.hold >= 2 * TEN_LEFT_S
                cues.append(Cue.START)
            elif self._rep < step.reps:
                self._rep += 1
                self._phase = Phase.PREP
                self._deadline += PREP_S
                cues.append(Cue.END)
            else:
                self._phase = Phase.DONE
                cues.append(Cue.DONE)
                if not self._hint_given and self.timing:
                    self._hint_given = True
                    cues.append(Cue.PASSED_HINT)
                following = self._following()
                if self.auto_advance and following is not None:
                    if following is not Action.REST:
                        cues.append(Cue.NEXT)
                        cues.extend(self._advance(at=self._deadline))
                    elif Cue.PASSED_HINT not in cues and self.timing:
                        cues.append(Cue.PASSED_HINT)  # the guide waits: say how to end it
        return cues

    # -- transitions ---------------------------------------------------------

    def _advance(self, at: float | None) -> list[Cue]:
        if self._screen is not Screen.STEP:
            return []
        if self._index + 1 < len(self._steps):
            return self._enter(self._index + 1, at)
        return self._to_aftercare()

    def _enter(self, index: int, at: float | None = None, *, passed: bool = True) -> list[Cue]:
        """Show step ``index``; ``at`` is when it began, for an auto-advance that a
        late tick noticed after the fact. ``passed`` False: reaching a resting
        step does not mean the cramp has passed (a step left out under it)."""
        self._index = index
        step = self._steps[index].step
        if step.action.needs_clot_check and not self._clot_checked:
            self._phase = Phase.NONE
            self._screen = Screen.CLOT_CHECK
            return [Cue.CHECK]
        self._screen = Screen.STEP
        assert self._protocol is not None
        key = step_key(self._protocol.id, step.id)
        if key not in self._used:
            self._used.append(key)
        if self._steps[index].as_supported:
            self._other_way.add(key)
        if step.action is Action.REST and passed:
            self._stop_timer()  # resting means the cramp has passed
        self._ten_due = False
        if step.hold:
            self._phase = Phase.PREP
            self._rep = 1
            self._deadline = (self._clock.since_boot() if at is None else at) + PREP_S
        else:
            self._phase = Phase.NONE
            self._rep = 0
        return [Cue.STEP]

    def _following(self) -> Action | None:
        """What the next step does, if there is one."""
        if self._screen is Screen.STEP and self._index + 1 < len(self._steps):
            return self._steps[self._index + 1].step.action
        return None

    def _stop_timer(self) -> None:
        if self._stopped_at is None and self._started_boot is not None:
            self._stopped_at = self._clock.since_boot()

    def _to_aftercare(self) -> list[Cue]:
        self._stop_timer()
        self._phase = Phase.NONE
        self._screen = Screen.AFTERCARE
        return []


def shown_steps(protocol: Protocol, profile: frozenset[Condition], *, night: bool
                ) -> tuple[tuple[ShownStep, ...], tuple[str, ...]]:
    """The steps of ``protocol`` for this person now, and why any were left
    out: what the guide shows, and what the bedside card prints."""
    shown: list[ShownStep] = []
    left_out: list[str] = []

    def leave_out(reasons: tuple[str, ...]) -> None:
        left_out.extend(r for r in reasons if r not in left_out)

    for step in protocol.steps:
        verdict = assess(step.cautions, profile)
        if verdict.hidden:
            leave_out(verdict.reasons)
            continue
        posture, why = standing_step(step.cautions, step.supported is not None, profile,
                                     night=night, name=str(step.instruction))
        if posture is Posture.LEFT_OUT:
            leave_out((why,))
            continue
        supported = verdict.supported and step.supported is not None
        seated = posture is Posture.SEATED_FIRST or supported
        may_stand = (posture is Posture.SEATED_FIRST and not supported
                     and Condition.UNSTEADY not in profile)
        flags = tuple(r for r in (*flags_as_done(step.cautions, profile,
                                                 standing=not seated or may_stand), why) if r)
        shown.append(ShownStep(step, flags, seated=seated, may_stand=may_stand))
    if night or Condition.UNSTEADY in profile:
        shown = _warn_before_standing(shown)
    return tuple(shown), tuple(left_out)


def _warn_before_standing(steps: list[ShownStep]) -> list[ShownStep]:
    """Mark the step before the first one done standing (or that step itself,
    when it comes first) to say: light on, sit on the edge of the bed first."""
    first = next((i for i, s in enumerate(steps) if Caution.BALANCE in s.step.cautions), None)
    if first is None:
        return steps
    at = max(0, first - 1)
    return [replace(s, stand_up_next=True) if i == at else s for i, s in enumerate(steps)]
