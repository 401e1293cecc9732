"""The routine player: shows :class:`coach.core.engine.RoutineEngine` and
forwards the controls. Keys: Space starts or pauses, Left goes back, Right
skips, Esc stops; each button prints its key. The screen itself holds the
focus (a focused button would take Space and the arrows for itself), named
as the routine; a screen reader hears each new part of the routine and ten
seconds left through :func:`coach.ui.widgets.announce`.

The engine is only woken, never polled: one precise single-shot timer is armed
for the engine's next change (a whole second, a cue or a segment's end).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from coach.core.engine import CueEvent, Outcome, RoutineEngine, State, View
from coach.core.i18n import N_, _, ngettext
from coach.core.model import Exercise, Side
from coach.core.schedule import QUICK_SNOOZE_MINUTES
from coach.core.timetable import Segment, SegmentKind
from coach.core.wording import minutes_seconds
from coach.ui.basics import button, label, set_label
from coach.ui.timers import Precision, Timers
from coach.ui.widgets import (
    LEFT_ARROW,
    RIGHT_ARROW,
    GuideBody,
    announce,
    key_name,
    keyed,
    seconds_left,
    sentences,
    spoken_seconds,
)

TEN_LEFT_S = 10
"""A screen reader hears "10 seconds left" in holds of at least twice that,
as emergency mode's holds say it."""


def clock_text(seconds: float) -> str:
    """A countdown reads the ceiling: it never shows 0:00 while time is left."""
    return minutes_seconds(max(0, math.ceil(seconds - 1e-9)))


PHASE_TEXT = {
    SegmentKind.GET_READY: N_("Get ready"),
    # Translators: a phase of a stretch: keep the position still.
    SegmentKind.HOLD: N_("Hold"),
    # Translators: a phase of an exercise: do the movement several times.
    SegmentKind.REPS: N_("Repeat"),
    # Translators: a phase of an exercise: let the muscle go loose.
    SegmentKind.RELAX: N_("Relax"),
    # Translators: a phase of an exercise: change to the other leg.
    SegmentKind.SWITCH: N_("Switch sides"),
    # Translators: a phase of a routine: a pause between exercises.
    SegmentKind.REST: N_("Rest"),
}
"""What each part of a routine is called, in English (marked): worded where shown."""


class PlayerScreen(QWidget):
    """``cue`` is called with each due cue; ``ended`` carries the outcome when
    the routine finishes or is stopped; ``closed`` when the user leaves."""

    ended = Signal(object)
    closed = Signal()

    def __init__(self, engine: RoutineEngine, cue: Callable[[CueEvent], None],
                 quiet: Callable[[], None], timers: Timers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._cue = cue
        self._quiet = quiet
        self._reported = False
        self._timer = timers.make(self, self._wake, precision=Precision.PRECISE)
        self._told: tuple[State, int] | None = None
        self._ten_told: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(str(engine.plan.routine.title))
        self.setAccessibleDescription(_(
            "Space starts, pauses and resumes; the Right arrow skips to the next exercise, "
            "the Left arrow goes back; Esc stops."))
        self._build(timers)
        self.refresh()

    def _build(self, timers: Timers) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 16)
        top = QHBoxLayout()
        self._title = label(str(self.engine.plan.routine.title), "title")
        self._progress_text = label("", "muted", wrap=False)
        self._progress_text.setAccessibleDescription(_("Progress"))
        top.addWidget(self._title, 1)
        top.addWidget(self._progress_text)
        column.addLayout(top)
        self._progress = QProgressBar()
        self._progress.setRange(0, 1000)
        self._progress.setTextVisible(False)
        self._progress.setAccessibleName(_("Routine progress"))
        column.addWidget(self._progress)

        self._body = GuideBody(minimum_drawing=150, timers=timers)
        self.countdown = self._body.countdown
        column.addWidget(self._body, 1)

        self._reminder_row = QWidget()
        reminder = QHBoxLayout(self._reminder_row)
        reminder.setContentsMargins(0, 0, 0, 0)
        reminder.addWidget(label(_("Bedtime reminder"), "muted"), 1)
        self._snooze = button(ngettext("Snooze {n} minute", "Snooze {n} minutes",
                                       QUICK_SNOOZE_MINUTES).format(n=QUICK_SNOOZE_MINUTES),
                              lambda: self._reminder_action("snooze"))
        self._skip_tonight = button(_("Skip tonight"), lambda: self._reminder_action("skip"))
        reminder.addWidget(self._snooze)
        reminder.addWidget(self._skip_tonight)
        self._reminder_row.hide()
        self._reminder_actions: dict[str, Callable[[], None]] = {}
        column.addWidget(self._reminder_row)

        controls = QHBoxLayout()
        # Translators: a button: the previous exercise, or this one from its start.
        self._back = button(keyed(LEFT_ARROW, _("Back")),
                            lambda: self._act(self.engine.back()), role="big",
                            tip=_("Previous exercise, or this one again (Left arrow)"))
        self._pause = button(keyed(key_name(Qt.Key.Key_Space), _("Start")), self._toggle,
                             role="primary", tip=_("Start, pause or resume (Space)"))
        # Translators: a button: go on to the next exercise.
        self._skip = button(keyed(RIGHT_ARROW, _("Skip")),
                            lambda: self._act(self.engine.skip()), role="big",
                            tip=_("Next exercise (Right arrow)"))
        self._stop = button(keyed(key_name(Qt.Key.Key_Escape), _("Stop")),
                            self._stop_clicked, role="big", tip=_("Stop the routine (Esc)"))
        for control in (self._back, self._pause, self._skip, self._stop):
            control.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            controls.addWidget(control, 2 if control is self._pause else 1)
        column.addLayout(controls)

    # -- input ---------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space or (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                                       and self.engine.state is State.READY):
            self._toggle()
        elif key == Qt.Key.Key_Left:
            self._act(self.engine.back())
        elif key == Qt.Key.Key_Right:
            self._act(self.engine.skip())
        elif key == Qt.Key.Key_Escape:
            self._stop_clicked()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def offer_reminder_actions(self, snooze: Callable[[int], None] | None,
                               skip: Callable[[], None]) -> None:
        """Opened from a reminder: Snooze and Skip sit next to Start until the
        routine begins."""
        self._reminder_actions = {"skip": skip}
        if snooze is not None:
            self._reminder_actions["snooze"] = lambda: snooze(QUICK_SNOOZE_MINUTES)
        self._snooze.setVisible(snooze is not None)
        self._reminder_row.setVisible(self.engine.state is State.READY)

    def _reminder_action(self, name: str) -> None:
        action = self._reminder_actions.get(name)
        if action is not None:
            action()

    def start(self) -> None:
        if self.engine.state is State.READY:
            self._act(self.engine.start())

    def hold(self) -> None:
        """The screen is left while the routine runs (emergency mode for a
        cramp, home, the window closed): it pauses, and the voice stops, as
        Space would, rather than talk on unseen over what came next."""
        if self.engine.state is State.RUNNING:
            self._act(self.engine.pause())
            self._quiet()

    def _toggle(self) -> None:
        state = self.engine.state
        if state is State.READY:
            self._act(self.engine.start())
        elif state is State.RUNNING:
            # Pausing first delivers any cue already due; then the voice stops,
            # so a paused routine never keeps talking.
            self._act(self.engine.pause())
            self._quiet()
        elif state is State.PAUSED:
            self._act(self.engine.resume())
        else:
            self.closed.emit()

    def _stop_clicked(self) -> None:
        if self.engine.state in (State.FINISHED, State.STOPPED, State.READY):
            self.stop_timers()
            self.closed.emit()
            return
        self.engine.stop()
        self._quiet()
        self.refresh()

    def _wake(self) -> None:
        self._act(self.engine.tick())

    def _act(self, events: list[CueEvent]) -> None:
        if self.engine.state is State.FINISHED:
            self._quiet()  # over (a skip past the last exercise): no instruction talks on
        for event in events:
            self._cue(event)
        self.refresh()

    def stop_timers(self) -> None:
        self._timer.stop()
        self.countdown.stop()

    def flash(self) -> None:
        self.countdown.flash()

    # -- output --------------------------------------------------------------

    def refresh(self) -> None:
        view = self.engine.snapshot()
        segment = view.segment
        self._progress.setValue(round(view.progress * 1000))
        left = clock_text(view.total_remaining)
        if view.exercise_number:
            # Translators: {time} is the time left in the whole routine ("3:45").
            progress = _("Exercise {number} of {total} · {time} left").format(
                number=view.exercise_number, total=view.exercise_total, time=left)
        else:
            # Translators: before the first exercise; {time} is the whole routine's length.
            progress = _("Starting · {time} left").format(time=left)
        self._progress_text.setText(progress)
        shown = segment.exercise
        if segment.kind in (SegmentKind.GET_READY, SegmentKind.REST):
            shown = segment.next_exercise
        if shown is not None:
            self._show_exercise(shown, upcoming=shown is not segment.exercise)
        self._render_timer(view)
        self._render_controls(view)
        self._tell(view)
        if view.state in (State.FINISHED, State.STOPPED) and not self._reported:
            self._reported = True
            outcome: Outcome | None = self.engine.outcome()
            self.ended.emit(outcome)
        wait = self.engine.next_wakeup()
        if wait is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, math.ceil(wait * 1000)))

    def _show_exercise(self, exercise: Exercise, *, upcoming: bool) -> None:
        title = str(exercise.title)
        # Translators: the exercise that comes after this rest or get-ready time.
        heading = _("Next: {exercise}").format(exercise=title) if upcoming else title
        flags = list(self.engine.plan.flags.get(exercise.id, ()))
        if flags and exercise.supported:
            flags.append(str(exercise.supported))
        steps = [str(step) for step in exercise.steps]
        detail = ("\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1))
                  if len(steps) > 1 else "".join(steps))
        self._body.show_guidance(image=exercise.image, alt=title, heading=heading,
                                 detail=detail, flags=flags, provenance=exercise.provenance)

    def _render_timer(self, view: View) -> None:
        segment = view.segment
        state = view.state
        if state is State.FINISHED:
            self.countdown.show_state(_("Well done"), "✓", _("Routine complete."))
            return
        if state is State.STOPPED:
            # Translators: the routine was stopped before its end.
            self.countdown.show_state(_("Stopped"), "",
                                      _("Stopped early. That still counts for something."))
            return
        phase = _phase_words(segment, spoken=False)
        if state is State.PAUSED:
            # Translators: {phase} is what was happening when the routine was paused.
            phase = _("Paused · {phase}").format(phase=phase)
        if state is State.READY:
            phase = _("Ready when you are")
        spoken = spoken_seconds(phase, view.remaining_seconds)
        if segment.kind is SegmentKind.REPS:
            self.countdown.show_state(
                phase, f"{view.rep_number}/{segment.reps}",
                # Translators: {time} is the time left for the repetitions ("0:40").
                _("Repetition {number} of {total}, {time} left").format(
                    number=view.rep_number, total=segment.reps,
                    time=clock_text(view.remaining_seconds)), spoken)
        else:
            holds = (_("Hold {number} of {total}").format(number=segment.rep,
                                                          total=segment.reps)
                     if segment.kind is SegmentKind.HOLD and segment.reps > 1 else "")
            self.countdown.show_state(phase, clock_text(view.remaining_seconds), holds, spoken)

    # -- what a screen reader hears ------------------------------------------

    def _tell(self, view: View) -> None:
        """Announce each new part of the routine (get ready, hold, switch
        sides, rest, the next exercise), a pause, the end, and ten seconds
        left in a long hold. Not the screen's first state: its name says it."""
        told = (view.state, view.segment_index)
        if told != self._told:
            first = self._told is None
            self._told = told
            if not first:
                announce(self, self._phase_words(view), assertive=view.state is State.STOPPED)
            return
        segment = view.segment
        if (view.state is State.RUNNING and segment.kind in (SegmentKind.HOLD, SegmentKind.REPS)
                and segment.duration >= 2 * TEN_LEFT_S
                and 0 < view.remaining_seconds <= TEN_LEFT_S
                and self._ten_told != view.segment_index):
            self._ten_told = view.segment_index
            announce(self, sentences([seconds_left(view.remaining_seconds)]))

    def _phase_words(self, view: View) -> str:
        """"Calf stretch. Hold, left leg, 30 seconds. Hold 1 of 2.", "Rest,
        20 seconds. Next: Hamstring stretch.", in words a screen reader reads
        well."""
        state, segment = view.state, view.segment
        if state is State.FINISHED:
            return _("Well done. The routine is complete.")
        if state is State.STOPPED:
            return _("Stopped early. That still counts for something.")
        if state is State.PAUSED:
            return _("Paused. Press Space to go on.")
        if state is State.READY:
            return ""
        phase = _phase_words(segment, spoken=True)
        parts = [str(segment.exercise.title) if segment.exercise is not None
                 and segment.kind in (SegmentKind.HOLD, SegmentKind.REPS)
                 and self._starts_exercise(view) else "",
                 spoken_seconds(phase, view.remaining_seconds)]
        if segment.kind in (SegmentKind.HOLD, SegmentKind.REPS) and segment.reps > 1:
            parts.append(_("Hold {number} of {total}").format(number=segment.rep,
                                                              total=segment.reps)
                         if segment.kind is SegmentKind.HOLD
                         else ngettext("{n} repetition", "{n} repetitions",
                                       segment.reps).format(n=segment.reps))
        upcoming = segment.next_exercise
        if segment.kind in (SegmentKind.GET_READY, SegmentKind.REST) and upcoming is not None:
            parts.append(_("Next: {exercise}").format(exercise=str(upcoming.title)))
        return sentences(parts)

    def _starts_exercise(self, view: View) -> bool:
        """The segment is the exercise's first (its title is news)."""
        segments = self.engine.plan.segments
        index = view.segment_index
        return index == 0 or segments[index - 1].exercise_index != view.segment.exercise_index

    def _render_controls(self, view: View) -> None:
        state = view.state
        running = state in (State.RUNNING, State.PAUSED)
        labels = {State.READY: _("Start"), State.RUNNING: _("Pause"),
                  State.PAUSED: _("Resume"), State.FINISHED: _("Done"),
                  State.STOPPED: _("Done")}
        set_label(self._pause, keyed(key_name(Qt.Key.Key_Space), labels[state]))
        if state is not State.READY:
            self._reminder_row.hide()
        self._back.setEnabled(running)
        self._skip.setEnabled(running)
        set_label(self._stop, keyed(key_name(Qt.Key.Key_Escape),
                                    _("Stop") if running else _("Close")))


def _phase_words(segment: Segment, *, spoken: bool) -> str:
    """What is happening, with the leg: shown ("Hold · left leg") or said by
    a screen reader ("Hold, left leg")."""
    phase = _(PHASE_TEXT[segment.kind])
    if segment.side is not None and segment.kind in (SegmentKind.HOLD, SegmentKind.REPS):
        if segment.side is Side.LEFT and spoken:
            # Translators: said by a screen reader: {phase} is "Hold" or "Repeat",
            # done with the left leg.
            return _("{phase}, left leg").format(phase=phase)
        if segment.side is Side.LEFT:
            # Translators: {phase} is "Hold" or "Repeat", done with the left leg.
            return _("{phase} · left leg").format(phase=phase)
        if spoken:
            # Translators: said by a screen reader: {phase} is "Hold" or "Repeat",
            # done with the right leg.
            return _("{phase}, right leg").format(phase=phase)
        # Translators: {phase} is "Hold" or "Repeat", done with the right leg.
        return _("{phase} · right leg").format(phase=phase)
    if segment.kind is SegmentKind.SWITCH:
        return _("Switch to the right leg")
    return phase
