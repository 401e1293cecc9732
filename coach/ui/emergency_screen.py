"""Emergency mode: the big place buttons and the guided steps.

It renders :class:`coach.core.emergency.EmergencySession` and forwards input;
the session decides everything. Keys: digits choose a place, Space or Enter is
Next, Backspace is Back, P is "It has passed", R restarts a hold, Esc leaves;
each button prints its key. On the clot check only N and Y answer: nothing is
focused there, so a reflex Space or Enter cannot pass it.

A screen reader hears each change as it happens (a new step, get ready, hold,
ten seconds left, the warning cards) through :func:`coach.ui.widgets.announce`,
the warnings interrupting whatever it was saying.

Every card that says where to get help builds its words from
:mod:`coach.core.care` with the person's own numbers, so no two cards can
disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coach.core import care
from coach.core.countries import Contacts
from coach.core.emergency import (
    TEN_LEFT_S,
    Cue,
    EmergencySession,
    Outcome,
    Phase,
    Screen,
    View,
)
from coach.core.first_screen import places_of
from coach.core.i18n import N_, _, ngettext
from coach.core.profile import Condition
from coach.core.wording import minutes_seconds
from coach.ui.basics import button, label, set_label
from coach.ui.places import HEADING, Pending, PlacesPage, frame
from coach.ui.timers import Precision, Timers
from coach.ui.widgets import (
    ButtonRow,
    GuideBody,
    Keys,
    WrappingCheckBox,
    announce,
    key_name,
    keyed,
    provenance_text,
    rich_text_area,
    seconds_left,
    sentences,
    spoken_seconds,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

FALLBACK_ADVICE = N_(
    "The step-by-step guides could not be loaded.\n\nFor a calf cramp: straighten the "
    "leg and gently pull your toes toward you. Then sit on the edge of the bed and press "
    "the foot flat on the floor.")
"""Shown when the content itself failed: the one piece of first aid in code."""

Announce = Callable[[Sequence[Cue], View], None]
"""Plays and says what a batch of the session's moments brought."""


def _clock(seconds: float) -> str:
    """The stopwatch reads the floor, like any stopwatch."""
    return minutes_seconds(int(seconds))


class _HelpCard(QFrame):
    """The red card: what is happening, what not to do, and where to go, the
    call line as large as the headline."""

    def __init__(self, title: str, headline: str) -> None:
        super().__init__()
        self.setProperty("role", "danger")
        column = QVBoxLayout(self)
        column.setSpacing(8)
        self.title = label(title, "title")
        self.headline = label(headline, "headline")
        self.call = label("", "call")
        self.same_day = label("", "same_day")
        for part in (self.title, self.headline, self.call, self.same_day):
            column.addWidget(part)

    def show_contacts(self, contacts: Contacts) -> None:
        emergency, same_day = care.where_to_go(contacts)
        self.call.setText(emergency)
        self.same_day.setText(same_day)


LEFT_OUT_POINTER = N_("Some advice is left out for your safety profile; the reasons come at "
                      "the end.")
# Translators: a heading in the after-care, over why steps were left out.
LEFT_OUT_HEADING = N_("Left out for your safety profile")


class EmergencyScreen(QWidget):
    """Emits ``finished`` with the session's outcome when after-care is done, and
    ``left`` when the person leaves emergency mode from the place buttons.
    ``quiet`` silences the voice: called whenever the person leaves a guide."""

    finished = Signal(object)
    left = Signal()
    auto_advance_changed = Signal(bool)
    print_card = Signal()

    def __init__(self, session: EmergencySession, announce: Announce,
                 contacts: Callable[[], Contacts], quiet: Callable[[], None], timers: Timers,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emergency")
        self._session = session
        self._announce = announce
        self._contacts = contacts
        self._quiet = quiet
        self._timers = timers
        self._timer = timers.make(self, self._on_timer, precision=Precision.PRECISE)
        self._shown = session.view()
        """What the screen showed last: a screen reader hears what changed."""

        parts = frame(self)
        self._pages = parts.pages
        self._title = parts.title
        self._page_for: dict[Screen, QWidget] = {}
        # Pages are built when first shown: at 3 a.m. only the place buttons
        # are needed at once, and every millisecond before they show counts.
        self._builders: dict[Screen, Callable[[], None]] = {
            Screen.PLACES: self._build_places, Screen.READ_AHEAD: self._build_read_ahead,
            Screen.CLOT_CHECK: self._build_clot_check,
            Screen.CLOT_WARNING: self._build_clot_warning, Screen.STEP: self._build_step,
            Screen.URGENT: self._build_urgent, Screen.AFTERCARE: self._build_aftercare,
        }

        self._build_top_bar(parts.bar)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._framed = False
        """Tab has put the focus on the screen itself (see focusInEvent)."""
        self.refresh()

    # -- construction ------------------------------------------------------

    def _build_top_bar(self, row: QHBoxLayout) -> None:
        """The frame's title line (:func:`coach.ui.places.frame`) gets Back
        before the title, and the cramp timer and "It has passed" after it."""
        self._back_to_places = button(keyed(key_name(Qt.Key.Key_Escape), _("Places")),
                                      self._leave_protocol,
                                      tip=_("Back to the place buttons (Esc)"))
        self._stopwatch = label("", "stopwatch")
        self._passed = button(_("{key}  It has passed").format(key=Keys.passed()),
                              self._passed_clicked, role="primary",
                              tip=_("The cramp is over: go to after-care ({key})").format(
                                  key=Keys.passed()))
        row.insertWidget(0, self._back_to_places)
        row.addWidget(self._stopwatch)
        row.addWidget(self._passed)
        for widget in (self._back_to_places, self._passed):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _page(self, screen: Screen) -> QWidget:
        if screen not in self._page_for:
            self._builders[screen]()
        return self._page_for[screen]

    def _add_page(self, screen: Screen, page: QWidget) -> None:
        self._page_for[screen] = page
        self._pages.addWidget(page)

    def _build_places(self) -> None:
        protocols = self._session.places()
        fallback = None
        if not protocols:
            # The shipped guides failed to load (a broken install): never leave
            # someone in pain with an empty screen.
            fallback = self._fallback = _HelpCard(_("Cramp Coach could not load its guides"),
                                                  _(FALLBACK_ADVICE))
        page = PlacesPage(places_of(protocols), fallback)
        page.chosen.connect(lambda index: self.choose(protocols[index].id))
        page.print_card.connect(self.print_card.emit)
        self._places = page
        self._add_page(Screen.PLACES, page)

    def _build_read_ahead(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        # Translators: a screen reader's name for a card of steps to read ahead
        # (the in-water card); its title replaces it once shown.
        self._read_ahead_text, self._read_ahead_area = rich_text_area(_("Read ahead"))
        column.addWidget(self._read_ahead_area, 1)
        column.addWidget(button(keyed(key_name(Qt.Key.Key_Escape), _("Back to places")),
                                self._leave_protocol, role="big"))
        self._add_page(Screen.READ_AHEAD, page)

    def _build_clot_check(self) -> None:
        check = self._session.clot_check
        assert check is not None  # the session is not usable without it
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(14)
        column.addWidget(label(str(check.title), "title"))
        column.addWidget(label(str(check.question), "headline"))
        column.addWidget(label(str(check.risk), "notice"))
        column.addWidget(label(provenance_text(check.provenance), "badge"))
        column.addStretch(1)
        row = QHBoxLayout()
        self._clot_no = button(_("{key}  No, none of these").format(key=Keys.no()),
                               lambda: self._act(self._session.answer_clot_check(False)),
                               role="primary",
                               tip=_("Continue with the steps ({key})").format(key=Keys.no()))
        self._clot_yes = button(_("{key}  Yes, one of these").format(key=Keys.yes()),
                                lambda: self._act(self._session.answer_clot_check(True)),
                                role="danger",
                                tip=_("Get advice on what to do instead ({key})").format(
                                    key=Keys.yes()))
        for choice in (self._clot_no, self._clot_yes):
            # Reached with Tab or a click only: Space and Enter must not answer.
            choice.setAutoDefault(False)
            choice.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            row.addWidget(choice, 1)
        column.addLayout(row)
        self._add_page(Screen.CLOT_CHECK, page)

    def _warning_page(self, screen: Screen, card: _HelpCard,
                      buttons: list[QPushButton]) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(card)
        column.addStretch(1)
        row = ButtonRow()
        for choice in buttons:
            row.add(choice)
        column.addWidget(row)
        self._add_page(screen, page)

    def _build_clot_warning(self) -> None:
        self._clot_card = _HelpCard(_("This may be a blood clot"),
                                    _("Do not massage or stretch the leg."))
        self._warning_page(
            Screen.CLOT_WARNING, self._clot_card,
            [button(keyed(key_name(Qt.Key.Key_Backspace), _("I answered by mistake")),
                    lambda: self._act(self._session.back()),
                    tip=_("Back to the question (Backspace)")),
             button(keyed(key_name(Qt.Key.Key_Escape), _("Close")), self._leave_protocol,
                    role="big")])

    def _build_urgent(self) -> None:
        minutes = round(care.URGENT_AFTER_S / 60)
        self._urgent_card = _HelpCard(
            ngettext("This cramp has lasted over {n} minute",
                     "This cramp has lasted over {n} minutes", minutes).format(n=minutes),
            _("A cramp this long needs checking today."))
        self._warning_page(
            Screen.URGENT, self._urgent_card,
            [button(_("Keep going with the steps"),
                    lambda: self._act(self._session.dismiss_urgent()), role="big"),
             button(_("{key}  It has passed").format(key=Keys.passed()),
                    self._passed_clicked, role="primary")])

    def _build_step(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(6)
        self._step_count = label("", "muted")
        self._instruction = label("", "step")
        column.addWidget(self._step_count)
        column.addWidget(self._instruction)
        self._body = GuideBody(minimum_drawing=130, timers=self._timers)
        self.countdown = self._body.countdown
        column.addWidget(self._body, 1)

        controls = ButtonRow()
        self._back = button(keyed(key_name(Qt.Key.Key_Backspace), _("Back")),
                            lambda: self._act(self._session.back()), role="big",
                            tip=_("Previous step (Backspace)"))
        self._restart = button(_("{key}  Restart hold").format(key=Keys.restart()),
                               lambda: self._act(self._session.restart_hold()),
                               tip=_("Start this hold's countdown again ({key})").format(
                                   key=Keys.restart()))
        # Wraps, so the row of controls fits a narrow window in every language.
        self._auto = WrappingCheckBox(_("Move on by itself"))
        self._auto.setToolTip(_("Go to the next step when a hold ends"))
        self._auto.setChecked(self._session.auto_advance)
        self._auto.toggled.connect(self._auto_toggled)
        self._next = button(_("Next"), lambda: self._act(self._session.next()),
                            role="primary", tip=_("Next step (Space or Enter)"))
        controls.add(self._back)
        controls.add(self._restart)
        controls.add_stretch()
        controls.add(self._auto)
        controls.add(self._next, 1)
        for control in (self._back, self._restart, self._next, self._auto):
            control.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        column.addWidget(controls)
        self._add_page(Screen.STEP, page)

    def _build_aftercare(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(label(_("Good. The worst is over."), "title"))
        # Translators: a screen reader's name for the after-care text.
        self._aftercare_text, scroll = rich_text_area(_("After-care"))
        column.addWidget(scroll, 1)
        self._done = button(keyed(key_name(Qt.Key.Key_Enter), _("Done")), self._finish,
                            role="primary", tip=_("Finish (Enter)"))
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
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and screen is Screen.AFTERCARE:
            self._finish()  # the key on the button, wherever the focus went (the text)
        elif key == Qt.Key.Key_Backspace:
            self._act(self._session.back())
        elif key == Qt.Key.Key_Escape:
            self._escape()
        elif Keys.pressed(text, "passed"):
            self._passed_clicked()
        elif Keys.pressed(text, "restart"):
            self._act(self._session.restart_hold())
        elif screen is Screen.CLOT_CHECK and Keys.pressed(text, "yes"):
            self._clot_yes.click()
        elif screen is Screen.CLOT_CHECK and Keys.pressed(text, "no"):
            self._clot_no.click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def set_guidance(self, profile: frozenset[Condition], auto_advance: bool) -> None:
        self._session.set_guidance(profile, auto_advance)
        if Screen.STEP in self._page_for:
            self._auto.setChecked(auto_advance)
        self.refresh()  # a guide under way may have lost the step on screen

    def start(self) -> None:
        """Show the place buttons, ready for a digit or a tap."""
        if self._session.screen is Screen.AFTERCARE:
            self._session.leave()
        self.refresh()

    def choose(self, protocol_id: str) -> None:
        self._act(self._session.choose(protocol_id))

    def replay(self, pending: Sequence[Pending]) -> None:
        """Do what the person did on the first screen before this one took
        its place (:class:`coach.ui.places.FirstScreen`), in order, as if it
        had been done here."""
        for done in pending:
            if done.kind == "place":
                if self._session.screen is Screen.PLACES \
                        and done.number < len(self._places.buttons):
                    self._places.buttons[done.number].click()
            elif done.kind == "card":
                self.print_card.emit()
            else:
                QApplication.sendEvent(self, QKeyEvent(QEvent.Type.KeyPress, done.number,
                                                       Qt.KeyboardModifier.NoModifier,
                                                       done.text))

    def _digit(self, digit: int) -> None:
        if self._session.screen is Screen.PLACES:
            self._places.press(digit)

    def _passed_clicked(self) -> None:
        self._act(self._session.passed())

    def _escape(self) -> None:
        if self._session.screen is Screen.PLACES:
            self.left.emit()
        else:
            self._leave_protocol()

    def _leave_protocol(self) -> None:
        self._quiet()
        self._session.leave()
        self.refresh()

    def _finish(self) -> None:
        self._quiet()
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
        before = self._shown
        self.refresh()
        if self._session.screen in (Screen.AFTERCARE, Screen.CLOT_WARNING, Screen.URGENT):
            self._quiet()  # the guide is interrupted: no instruction may go on talking
        self._tell(before, self._shown, cues)
        if cues:
            self._announce(cues, self._session.view())

    def _tell(self, before: View, view: View, cues: Sequence[Cue]) -> None:
        """Tell a screen reader what changed: the new page or step, then the
        countdown's phase, ten seconds left; the warning cards interrupt."""
        from coach.app.coaching import answer_clot_check, passed_hint

        parts: list[str] = []
        if Cue.PASSED_HINT in cues:
            parts.append(passed_hint())
        moved = (view.screen is not before.screen or view.protocol is not before.protocol
                 or view.step_number != before.step_number)
        warning = view.screen in (Screen.CLOT_WARNING, Screen.URGENT)
        if moved:
            check = self._session.clot_check
            if view.screen is Screen.CLOT_CHECK and check is not None:
                parts += [str(check.title), str(check.question), answer_clot_check()]
            elif warning:
                card = self._clot_card if view.screen is Screen.CLOT_WARNING \
                    else self._urgent_card
                parts += [part.text() for part in (card.title, card.headline, card.call,
                                                   card.same_day)]
            elif view.screen is Screen.AFTERCARE:
                parts.append(_("Good. The worst is over."))
            elif view.screen is Screen.READ_AHEAD and view.protocol is not None:
                parts.append(str(view.protocol.title))
            elif view.screen is Screen.STEP:
                parts += [self._step_count.text(), self._instruction.text()]
        if view.screen is Screen.STEP:
            if moved or view.phase is not before.phase or view.rep != before.rep:
                parts.append(self._phase_words(view))
            if Cue.TEN_LEFT in cues:
                parts.append(seconds_left(TEN_LEFT_S))
        announce(self, sentences(parts), assertive=warning)

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
        self._shown = view
        previous = self._pages.currentWidget()
        self._pages.setCurrentWidget(self._page(view.screen))
        in_protocol = view.screen not in (Screen.PLACES,)
        self._back_to_places.setVisible(in_protocol)
        self._passed.setVisible(view.screen in (Screen.STEP, Screen.CLOT_CHECK))
        self._stopwatch.setVisible(view.stopwatch_shown)
        self._stopwatch.setText(_("Cramp timer {time}").format(time=_clock(view.elapsed)))
        self._title.setText(str(view.protocol.title) if view.protocol else _(HEADING))
        # The screen itself has the focus on the clot check (no button may):
        # a screen reader names it as its title reads, and says how to answer.
        hint = self._answer_hint() if view.screen is Screen.CLOT_CHECK else ""
        if (self.accessibleName(), self.accessibleDescription()) != (self._title.text(), hint):
            self.setAccessibleName(self._title.text())  # not every second of a hold
            self.setAccessibleDescription(hint)
        render = {
            Screen.PLACES: self._render_places,
            Screen.READ_AHEAD: self._render_read_ahead,
            Screen.STEP: self._render_step,
            Screen.CLOT_WARNING: lambda _v: self._clot_card.show_contacts(self._contacts()),
            Screen.URGENT: lambda _v: self._urgent_card.show_contacts(self._contacts()),
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

    @staticmethod
    def _answer_hint() -> str:
        from coach.app.coaching import answer_clot_check

        return answer_clot_check()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The app focuses the screen when it shows it: the page's first
        control takes the focus (the first place, Next, Done), except on the
        clot check, where the screen keeps it so that only N, Y or a click
        answers. Tab still stops on the screen itself, named as its title,
        and then a frame round it shows where the focus went."""
        super().focusInEvent(event)
        tabbed = event.reason() in (Qt.FocusReason.TabFocusReason,
                                    Qt.FocusReason.BacktabFocusReason)
        self._framed = tabbed
        self.update()
        if not tabbed:
            self._focus_primary(self._session.screen)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._framed = False
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._framed:
            # Only now: QPainter's Python enums would cost the first paint.
            from PySide6.QtGui import QPainter, QPen

            painter = QPainter(self)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 4))
            painter.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 12, 12)

    def _focus_primary(self, screen: Screen) -> None:
        if screen is Screen.CLOT_CHECK:
            # Deliberately no button: only N, Y or a click may answer.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        primary = {Screen.STEP: "_next", Screen.AFTERCARE: "_done"}.get(screen)
        target: QWidget | None = getattr(self, primary) if primary else None
        if screen is Screen.PLACES and self._places.buttons:
            target = self._places.buttons[0]
        page = self._pages.currentWidget()
        if target is None and page is not None:
            target = page.findChild(QPushButton)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _render_places(self, _view: View) -> None:
        if not self._places.buttons:
            self._fallback.show_contacts(self._contacts())

    def _render_read_ahead(self, view: View) -> None:
        protocol = view.protocol
        assert protocol is not None
        items = "".join(f"<li style='margin-bottom:10px'><b>{escape(str(s.instruction))}</b>"
                        + (f"<br>{escape(str(s.how))}" if s.how else "") + "</li>"
                        for s in protocol.steps)
        self._read_ahead_area.setAccessibleName(str(protocol.title))
        summary = f"<p>{escape(str(protocol.summary))}</p>" if protocol.summary else ""
        self._read_ahead_text.setText(f"<h2>{escape(str(protocol.title))}</h2>{summary}"
                                      f"<ol>{items}</ol>")

    def _render_step(self, view: View) -> None:
        shown = view.step
        assert shown is not None
        step = shown.step
        self._step_count.setText(_("Step {number} of {total}").format(
            number=view.step_number, total=view.step_total))
        detail = str(shown.how) if shown.how else ""
        self._instruction.setText(str(shown.instruction))
        if shown.as_supported and shown.may_stand:
            detail = _("If you feel steady, you can instead: {instruction}").format(
                instruction=step.instruction)
        flags = list(shown.flags)
        if shown.flags and step.supported and not shown.seated:
            flags.append(str(step.supported))
        # One line, not the reasons: with several conditions they ran to a
        # dozen lines beside the first step. They are in the after-care.
        notes = (_(LEFT_OUT_POINTER),) if view.left_out and view.step_number == 1 else ()
        night_note = self._session.night_safety
        if shown.stand_up_next and night_note is not None:
            flags.insert(0, str(night_note.text))
        self._body.show_guidance(image=shown.image, alt=str(shown.instruction), heading="",
                                 detail=detail, flags=flags, provenance=step.provenance,
                                 notes=notes)
        self._back.setEnabled(view.step_number > 1)
        last = view.step_number == view.step_total
        set_label(self._next, keyed(key_name(Qt.Key.Key_Space),
                                    _("Finish") if last else _("Next")))
        self._restart.setVisible(step.hold is not None)
        number = {Phase.HOLD: _clock(view.remaining), Phase.PREP: str(view.remaining),
                  Phase.DONE: "✓", Phase.NONE: ""}[view.phase]
        self.countdown.show_state(self._phase_text(view.phase), number,
                                  self._detail_line(view),
                                  spoken_seconds(self._phase_text(view.phase), view.remaining))

    @staticmethod
    def _phase_text(phase: Phase) -> str:
        return {Phase.PREP: _("Get ready"), Phase.HOLD: _("Hold"),
                Phase.DONE: _("Done"), Phase.NONE: ""}[phase]

    def _detail_line(self, view: View) -> str:
        if view.asks_if_passed:
            from coach.app.coaching import passed_hint

            return passed_hint()
        if view.phase is Phase.DONE and not self._session.auto_advance:
            return _("Press Next when ready")
        return (_("Hold {number} of {total}").format(number=view.rep, total=view.reps)
                if view.reps > 1 else "")

    def _phase_words(self, view: View) -> str:
        """The countdown as a screen reader says it: "Get ready, 5 seconds",
        "Hold, 30 seconds", and which hold of how many."""
        phase = self._phase_text(view.phase)
        if view.phase in (Phase.PREP, Phase.HOLD):
            return sentences([spoken_seconds(phase, view.remaining), self._detail_line(view)])
        return sentences([phase, self._detail_line(view)])

    def _render_aftercare(self, view: View) -> None:
        tips = "".join(f"<p><b>{escape(str(tip.title))}.</b> {escape(str(tip.text))} "
                       f"<span style='font-size:11pt'>({escape(provenance_text(tip.provenance))})"
                       "</span></p>" for tip in view.aftercare)
        lasted = ("<p>" + escape(_("The cramp lasted about {time}.").format(
            time=_clock(view.elapsed))) + "</p>"
                  if view.elapsed >= 1 else "")
        reasons = "".join(f"<p><i>{escape(reason)}</i></p>" for reason in view.left_out)
        emergency, same_day = care.where_to_go(self._contacts())
        # Outside the f-string: the catalogue's extractor cannot see into one.
        heading = _("When to get help")
        get_help = (f"<h3>{escape(heading)}</h3><p><b>{escape(emergency)}</b></p>"
                    f"<p>{escape(same_day)}</p>")
        if view.step_total == 0:  # why there were no steps: first
            self._aftercare_text.setText(lasted + reasons + tips + get_help)
            return
        left_out = (f"<h3>{escape(_(LEFT_OUT_HEADING))}</h3>{reasons}" if reasons else "")
        self._aftercare_text.setText(lasted + tips + get_help + left_out)
