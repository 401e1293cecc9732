"""Emergency mode: the big place buttons and the guided steps.

It renders :class:`coach.core.emergency.EmergencySession` and forwards input;
the session decides everything. Keys: digits choose a place, Space or Enter is
Next, Backspace is Back, P is "It has passed", Esc leaves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach import resources
from coach.core.emergency import Cue, EmergencySession, Outcome, Phase, Screen, View
from coach.core.labels import minutes_seconds
from coach.ui.widgets import (
    GuideBody,
    button,
    label,
    provenance_text,
    rich_text_area,
    set_label,
)

EMERGENCY_HELP = ("Call your local emergency number now (112 in Europe, 911 in the US, "
                  "999 in the UK).")


FALLBACK_ADVICE = (
    "The step-by-step guides could not be loaded.\n\nFor a calf cramp: straighten the "
    "leg and gently pull your toes toward you. Then stand on that leg and walk a few "
    "steps. If it lasts over 10 minutes, or the leg is swollen, red or warm, get "
    "medical help.")


def _clock(seconds: float) -> str:
    """The stopwatch reads the floor, like any stopwatch."""
    return minutes_seconds(int(seconds))


def _frame(role: str) -> QFrame:
    frame = QFrame()
    frame.setProperty("role", role)
    return frame


class EmergencyScreen(QWidget):
    """Emits ``finished`` with the session's outcome when after-care is done, and
    ``left`` when the person leaves emergency mode from the place buttons."""

    finished = Signal(object)
    left = Signal()
    auto_advance_changed = Signal(bool)

    def __init__(self, session: EmergencySession, play_cue: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergency")
        self._session = session
        self._play_cue = play_cue
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer)

        self._pages = QStackedWidget(self)
        self._page_for: dict[Screen, QWidget] = {}
        # Pages are built when first shown: at 3 a.m. only the place buttons
        # are needed at once, and every millisecond before they show counts.
        self._builders: dict[Screen, Callable[[], None]] = {
            Screen.PLACES: self._build_places, Screen.READ_AHEAD: self._build_read_ahead,
            Screen.CLOT_CHECK: self._build_clot_check,
            Screen.CLOT_WARNING: self._build_clot_warning, Screen.STEP: self._build_step,
            Screen.URGENT: self._build_urgent, Screen.AFTERCARE: self._build_aftercare,
        }

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(8)
        outer.addWidget(self._build_top_bar())
        outer.addWidget(self._pages, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.refresh()

    # -- construction ------------------------------------------------------

    def _build_top_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self._back_to_places = button("Places", self._leave_protocol,
                                      tip="Back to the place buttons (Esc)")
        self._title = label("Where is the cramp?", "title")
        self._stopwatch = label("", "stopwatch", wrap=False)
        self._stopwatch.setAccessibleName("Cramp timer")
        self._passed = button("It has passed", self._passed_clicked, role="primary",
                              tip="The cramp is over: go to after-care (P)")
        row.addWidget(self._back_to_places)
        row.addWidget(self._title, 1)
        row.addWidget(self._stopwatch)
        row.addWidget(self._passed)
        for widget in (self._back_to_places, self._passed):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return bar

    def _page(self, screen: Screen) -> QWidget:
        if screen not in self._page_for:
            self._builders[screen]()
        return self._page_for[screen]

    def _add_page(self, screen: Screen, page: QWidget) -> None:
        self._page_for[screen] = page
        self._pages.addWidget(page)

    def _build_places(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setSpacing(14)
        self._place_buttons: list[QPushButton] = []
        regular = [p for p in self._session.places() if not p.read_ahead]
        ahead = [p for p in self._session.places() if p.read_ahead]
        for index, protocol in enumerate([*regular, *ahead], start=1):
            text = str(protocol.title) + (" (read ahead)" if protocol.read_ahead else "")
            widget = button(text, self._chooser(protocol.id), role="place",
                            tip=f"Press {index}" if index <= 9 else "")
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            if protocol.image:
                widget.setIcon(QIcon(str(resources.asset(protocol.image))))
                widget.setIconSize(QSize(96, 96))
            self._place_buttons.append(widget)
            if protocol.read_ahead:
                widget.setProperty("role", "big")
                grid.addWidget(widget, 10 + index, 0, 1, 2)
            else:
                grid.addWidget(widget, (index - 1) // 2, (index - 1) % 2)
        for row in range(math.ceil(len(regular) / 2)):
            grid.setRowStretch(row, 3)
        if not regular:
            # The shipped guides failed to load (a broken install): never leave
            # someone in pain with an empty screen.
            grid.addWidget(label(FALLBACK_ADVICE, "step"), 0, 0, 1, 2)
        hint = label("Tap where it hurts, or press its number. Esc closes.", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(hint, 99, 0, 1, 2)
        self._add_page(Screen.PLACES, page)

    def _build_read_ahead(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        self._read_ahead_text, scroll = rich_text_area("Read this before you swim")
        column.addWidget(scroll, 1)
        column.addWidget(button("Back to places", self._leave_protocol, role="big"))
        self._add_page(Screen.READ_AHEAD, page)

    def _build_clot_check(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(16)
        column.addWidget(label("Quick safety check before you stretch or rub the leg", "title"))
        column.addWidget(label("Is one leg swollen, warm, red or darker than the other?\n"
                               "Are you short of breath, or do you have chest pain?", "step"))
        column.addStretch(1)
        row = QHBoxLayout()
        self._clot_no = button("No, none of these", lambda: self._act(
            self._session.answer_clot_check(False)), role="primary",
            tip="Continue with the steps (N)")
        self._clot_yes = button("Yes, one of these", lambda: self._act(
            self._session.answer_clot_check(True)), role="danger",
            tip="Get advice on what to do instead (Y)")
        row.addWidget(self._clot_no, 1)
        row.addWidget(self._clot_yes, 1)
        column.addLayout(row)
        self._add_page(Screen.CLOT_CHECK, page)

    def _warning_page(self, screen: Screen, title: str, headline: str, advice: str,
                      buttons: list[QPushButton]) -> None:
        """A red card that says what to do now, with the ways onward below it."""
        page = QWidget()
        column = QVBoxLayout(page)
        box = _frame("danger")
        inner = QVBoxLayout(box)
        inner.addWidget(label(title, "title"))
        inner.addWidget(label(headline, "step"))
        inner.addWidget(label(advice, "notice"))
        column.addWidget(box)
        column.addStretch(1)
        row = QHBoxLayout()
        for choice in buttons:
            row.addWidget(choice)
        column.addLayout(row)
        self._add_page(screen, page)

    def _build_clot_warning(self) -> None:
        self._warning_page(
            Screen.CLOT_WARNING, "This may be a blood clot", "Do not massage or stretch the leg.",
            "Get urgent medical help. If you are short of breath or have chest pain: "
            + EMERGENCY_HELP + " Otherwise, contact your doctor or an urgent care line "
            "(NHS 111 in the UK) today.",
            [button("I answered by mistake", lambda: self._act(self._session.back())),
             button("Close", self._leave_protocol, role="big")])

    def _build_step(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(6)
        self._step_count = label("", "muted")
        self._instruction = label("", "step")
        column.addWidget(self._step_count)
        column.addWidget(self._instruction)
        self._body = GuideBody(minimum_drawing=130)
        self.countdown = self._body.countdown
        column.addWidget(self._body, 1)

        controls = QHBoxLayout()
        self._back = button("Back", lambda: self._act(self._session.back()), role="big",
                            tip="Previous step (Backspace)")
        self._restart = button("Restart hold", lambda: self._act(self._session.restart_hold()),
                               tip="Start this hold's countdown again (R)")
        self._auto = QCheckBox("Move on by itself")
        self._auto.setAccessibleName("Move on by itself")
        self._auto.setToolTip("Go to the next step when a hold ends")
        self._auto.setChecked(self._session.auto_advance)
        self._auto.toggled.connect(self._auto_toggled)
        self._next = button("Next", lambda: self._act(self._session.next()), role="primary",
                            tip="Next step (Space or Enter)")
        controls.addWidget(self._back)
        controls.addWidget(self._restart)
        controls.addStretch(1)
        controls.addWidget(self._auto)
        controls.addWidget(self._next, 1)
        for control in (self._back, self._restart, self._next, self._auto):
            control.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        column.addLayout(controls)
        self._add_page(Screen.STEP, page)

    def _build_urgent(self) -> None:
        self._warning_page(
            Screen.URGENT, "This cramp has lasted over 10 minutes", "See a doctor urgently.",
            "A cramp this long needs checking today: contact your doctor or an urgent "
            "care line (NHS 111 in the UK). If the leg is swollen, red or warm, or you "
            "are short of breath: " + EMERGENCY_HELP,
            [button("Keep going with the steps",
                    lambda: self._act(self._session.dismiss_urgent()), role="big"),
             button("It has passed", self._passed_clicked, role="primary")])

    def _build_aftercare(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(label("Good. The worst is over.", "title"))
        self._aftercare_text, scroll = rich_text_area("After-care")
        column.addWidget(scroll, 1)
        self._done = button("Done", self._finish, role="primary", tip="Finish (Enter)")
        column.addWidget(self._done)
        self._add_page(Screen.AFTERCARE, page)

    # -- input -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys reach here when the focused button does not use them. A focused
        button takes Space and Enter itself, and focus sits on Next on a step,
        so Space and Enter mean Next unless the user tabbed elsewhere."""
        key = event.key()
        screen = self._session.screen
        text = event.text().lower()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self._digit(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and screen is Screen.STEP:
            self._act(self._session.next())
        elif key == Qt.Key.Key_Backspace:
            self._act(self._session.back())
        elif key == Qt.Key.Key_Escape:
            self._escape()
        elif text == "p":
            self._passed_clicked()
        elif text == "r":
            self._act(self._session.restart_hold())
        elif text in ("y", "n") and screen is Screen.CLOT_CHECK:
            (self._clot_yes if text == "y" else self._clot_no).click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def start(self) -> None:
        """Show the place buttons, ready for a digit or a tap."""
        if self._session.screen is Screen.AFTERCARE:
            self._session.leave()
        self.refresh()

    def choose(self, protocol_id: str) -> None:
        self._choose(protocol_id)

    def _choose(self, protocol_id: str) -> None:
        self._act(self._session.choose(protocol_id))

    def _chooser(self, protocol_id: str) -> Callable[[], None]:
        return lambda: self._choose(protocol_id)

    def _digit(self, digit: int) -> None:
        if self._session.screen is Screen.PLACES and digit <= len(self._place_buttons):
            self._place_buttons[digit - 1].click()

    def _passed_clicked(self) -> None:
        self._act(self._session.passed())

    def _escape(self) -> None:
        if self._session.screen is Screen.PLACES:
            self.left.emit()
        else:
            self._leave_protocol()

    def _leave_protocol(self) -> None:
        self._session.leave()
        self.refresh()

    def _finish(self) -> None:
        outcome: Outcome | None = self._session.outcome()
        self._session.leave()
        self.refresh()
        self.finished.emit(outcome)

    def _auto_toggled(self, on: bool) -> None:
        self._session.auto_advance = on
        self.auto_advance_changed.emit(on)

    def _on_timer(self) -> None:
        self._act(self._session.tick())

    def _act(self, cues: list[Cue]) -> None:
        for cue in cues:
            self._play_cue(cue.value)
        self.refresh()

    def stop_timers(self) -> None:
        self._timer.stop()
        if Screen.STEP in self._page_for:
            self.countdown.stop()

    def flash(self) -> None:
        """A visual stand-in for a sound cue when sound is off or unavailable."""
        if Screen.STEP in self._page_for:
            self.countdown.flash()

    # -- output ------------------------------------------------------------

    def view(self) -> View:
        return self._session.view()

    def refresh(self) -> None:
        view = self._session.view()
        previous = self._pages.currentWidget()
        self._pages.setCurrentWidget(self._page(view.screen))
        in_protocol = view.screen not in (Screen.PLACES,)
        self._back_to_places.setVisible(in_protocol)
        self._passed.setVisible(view.screen in (Screen.STEP, Screen.CLOT_CHECK))
        self._stopwatch.setVisible(view.elapsed > 0)
        self._stopwatch.setText(f"Cramp timer {_clock(view.elapsed)}")
        self._title.setText(str(view.protocol.title) if view.protocol else "Where is the cramp?")
        render = {
            Screen.READ_AHEAD: self._render_read_ahead,
            Screen.STEP: self._render_step,
            Screen.AFTERCARE: self._render_aftercare,
        }.get(view.screen)
        if render:
            render(view)
        if previous is not self._pages.currentWidget():
            self._focus_primary(view.screen)
        wait = self._session.next_wakeup()
        if wait is None:
            self._timer.stop()
        else:
            # Wake just after the boundary, so the new second is already due.
            self._timer.start(max(1, math.ceil(wait * 1000) + 2))

    def _focus_primary(self, screen: Screen) -> None:
        primary = {Screen.CLOT_CHECK: "_clot_no", Screen.STEP: "_next",
                   Screen.AFTERCARE: "_done"}.get(screen)
        target: QWidget | None = getattr(self, primary) if primary else None
        if screen is Screen.PLACES and self._place_buttons:
            target = self._place_buttons[0]
        page = self._pages.currentWidget()
        if target is None and page is not None:
            target = page.findChild(QPushButton)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _render_read_ahead(self, view: View) -> None:
        protocol = view.protocol
        assert protocol is not None
        items = "".join(f"<li style='margin-bottom:10px'><b>{escape(str(s.instruction))}</b>"
                        + (f"<br>{escape(str(s.how))}" if s.how else "") + "</li>"
                        for s in protocol.steps)
        summary = f"<p>{escape(str(protocol.summary))}</p>" if protocol.summary else ""
        self._read_ahead_text.setText(
            f"<h2>Read this before you swim</h2>{summary}<ol>{items}</ol>")

    def _render_step(self, view: View) -> None:
        shown = view.step
        assert shown is not None
        step = shown.step
        self._step_count.setText(f"Step {view.step_number} of {view.step_total}")
        self._instruction.setText(str(step.instruction))
        flags = list(shown.flags)
        if shown.flags and step.supported:
            flags.append(str(step.supported))
        if view.left_out and view.step_number == 1:
            flags.extend(view.left_out)
        self._body.show_guidance(image=step.image, alt=str(step.instruction), heading="",
                                 detail=str(step.how) if step.how else "", flags=flags,
                                 provenance=step.provenance)
        self._back.setEnabled(view.step_number > 1)
        last = view.step_number == view.step_total
        set_label(self._next, "Finish" if last else "Next")
        self._restart.setVisible(step.hold is not None)
        phase_text = {Phase.PREP: "Get ready", Phase.HOLD: "Hold", Phase.DONE: "Done",
                      Phase.NONE: ""}[view.phase]
        number = {Phase.HOLD: _clock(view.remaining), Phase.PREP: str(view.remaining),
                  Phase.DONE: "✓", Phase.NONE: ""}[view.phase]
        detail = f"Hold {view.rep} of {view.reps}" if view.reps > 1 else ""
        if view.phase is Phase.DONE and not self._session.auto_advance:
            detail = "Press Next when ready"
        self.countdown.show_state(phase_text, number, detail,
                                  f"{phase_text} {view.remaining} seconds")

    def _render_aftercare(self, view: View) -> None:
        tips = "".join(f"<p><b>{escape(str(tip.title))}.</b> {escape(str(tip.text))} "
                       f"<span style='font-size:11pt'>({escape(provenance_text(tip.provenance))})"
                       "</span></p>" for tip in view.aftercare)
        minutes = (f"<p>The cramp lasted about {_clock(view.elapsed)}.</p>"
                   if view.elapsed >= 1 else "")
        self._aftercare_text.setText(minutes + tips)

