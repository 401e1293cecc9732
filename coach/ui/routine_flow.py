"""Routines, from the list to the player to the diary record.

Imported when first needed, not at start-up: the first screen is emergency
mode or home, and neither needs any of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from coach.app import content
from coach.core.diary import DiaryError, RoutineSession
from coach.core.engine import CueEvent, Outcome, RoutineEngine
from coach.core.profile import assess
from coach.core.timetable import CueKind, Plan, build_plan
from coach.ui.player_screen import PlayerScreen
from coach.ui.routines_screen import RoutinesScreen

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

ROUTINE_SOUNDS: dict[CueKind, str] = {
    CueKind.START: "start", CueKind.HALFWAY: "halfway", CueKind.TICK: "tick",
    CueKind.END: "end", CueKind.SWITCH: "switch", CueKind.REP: "rep",
    CueKind.GET_READY: "halfway", CueKind.REST: "halfway",
}
"""Which sound marks each routine cue. REST and GET_READY share the soft bell;
with a voice they speak what comes next instead."""


class RoutineFlow(QObject):
    """``recorded`` carries the diary's :class:`RoutineSession` once saved."""

    recorded = Signal(object)

    def __init__(self, app: CoachApp) -> None:
        super().__init__(app)
        self._app = app
        self.routines: RoutinesScreen | None = None
        self.player: PlayerScreen | None = None

    def plan(self, routine_id: str) -> Plan:
        """The routine as this person will do it: their get-ready time, and
        without what their safety profile hides."""
        app = self._app
        profile = app.profile
        return build_plan(app.library.routine(routine_id), app.library.exercise,
                          app.settings.get_ready_seconds,
                          exclude=lambda ex: assess(ex.cautions, profile).hidden)

    def open_routines(self) -> None:
        window = self._app.window
        if self.routines is None:
            self.routines = RoutinesScreen(self.plan)
            self.routines.back.connect(self._app.go_home)
            self.routines.start.connect(self.start_routine)
            self.routines.imported.connect(self.reload_content)
            window.add_screen("routines", self.routines, "Routines")
        self.routines.show_library(self._app.library)
        window.show_screen("routines")
        self.routines.focus_list()
        window.bring_to_front()

    def open_routine(self, routine_id: str) -> None:
        """Open a routine ready to start (from the tray, a reminder or the
        command line); an unknown id shows the list with a message."""
        self.open_routines()
        try:
            self._app.library.routine(routine_id)
        except KeyError:
            self._app.notices.post("warning", f"There is no routine called '{routine_id}'.")
            return
        self.start_routine(routine_id, autostart=False)

    def start_routine(self, routine_id: str, autostart: bool = True) -> None:
        app = self._app
        plan = self.plan(routine_id)
        if not plan.segments:
            app.notices.post("warning", "Every exercise in this routine is left out for "
                             "your safety profile.")
            return
        if self.player is not None:
            self.discard_player()
        profile = app.profile
        self.player = PlayerScreen(RoutineEngine(plan, app.clock), self._cue,
                                   flags=lambda ex: assess(ex.cautions, profile).reasons,
                                   quiet=app.silence_cues)
        self.player.ended.connect(self._record)
        self.player.closed.connect(self._player_closed)
        app.window.add_screen("player", self.player, str(plan.routine.title))
        app.window.show_screen("player")
        app.window.bring_to_front()
        if autostart:
            self.player.start()

    def waiting_to_start(self) -> bool:
        return (self.player is not None and self._app.window.current_screen() == "player"
                and self.player.engine.state.value == "ready")

    def discard_player(self) -> None:
        assert self.player is not None
        self._app.silence_cues()
        self.player.stop_timers()
        self._app.window.remove_screen("player")
        self.player.deleteLater()
        self.player = None

    def stop_timers(self) -> None:
        if self.player is not None:
            self.player.stop_timers()

    def _player_closed(self) -> None:
        self.discard_player()
        self.open_routines()

    def reload_content(self) -> None:
        self._app.library = content.load()
        self._app.report_content_problems()
        if self.routines is not None:
            self.routines.show_library(self._app.library)

    def _cue(self, event: CueEvent) -> None:
        app = self._app
        kind = event.cue.kind
        text = None
        if app.voice_active() and event.cue.text is not None:
            text = str(event.cue.text)
            if kind is CueKind.REST:
                text = f"Rest. Next: {text}"
            elif kind is CueKind.GET_READY:
                text = f"Get ready: {text}"
        elif kind is CueKind.SWITCH and app.voice_active():
            text = "Switch to the other leg"
        if kind is CueKind.REST and text is None:
            return  # the END of the hold just before already marked the moment
        app.cue(ROUTINE_SOUNDS[kind], text)

    def _record(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        app = self._app
        plan = self.player.engine.plan if self.player else None
        title = str(plan.routine.title) if plan else outcome.routine_id
        diary = app.diary()
        if diary is None:
            return
        record = RoutineSession(started=outcome.started, routine_id=outcome.routine_id,
                                routine_title=title, completed=outcome.completed,
                                duration_s=outcome.active_s)
        try:
            saved = diary.add_routine_session(record)
        except DiaryError as exc:
            app.notices.post("error", f"This routine could not be recorded: {exc}")
            return
        self.recorded.emit(saved)
