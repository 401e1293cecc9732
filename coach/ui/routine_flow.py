"""Routines, from the list to the player to the diary record.

Imported when first needed, not at start-up: the first screen is emergency
mode or home, and neither needs any of this.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from coach.app.navigation import Screen
from coach.app.routines import RoutineVoice, plan_for
from coach.core.engine import CueEvent, Outcome, RoutineEngine, State
from coach.core.i18n import _
from coach.core.model import Library
from coach.core.timetable import Plan
from coach.ui.context import Context
from coach.ui.player_screen import PlayerScreen
from coach.ui.routines_screen import EVERY_EXERCISE_LEFT_OUT, RoutinesScreen


class RoutineFlow(QObject):
    """``recorded`` carries the diary's :class:`RoutineSession` once saved."""

    recorded = Signal(object)

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.routines: RoutinesScreen | None = None
        self.player: PlayerScreen | None = None
        ctx.content.subscribe(self._content_changed)
        ctx.settings.subscribe(lambda _s, _c: self._content_changed(ctx.content.library),
                               ["profile", "get_ready_seconds"])

    def plan(self, routine_id: str) -> Plan:
        return plan_for(self._ctx.content.library, routine_id, self._ctx.settings.current)

    def open_routines(self) -> None:
        navigation = self._ctx.navigation
        if self.routines is None:
            self.routines = RoutinesScreen(self.plan)
            self.routines.back.connect(navigation.home)
            self.routines.start.connect(self.start_routine)
            self.routines.imported.connect(self._ctx.content.reload)
            navigation.add(Screen.ROUTINES, self.routines, _("Routines"))
        self.routines.show_library(self._ctx.content.library)
        navigation.show(Screen.ROUTINES)
        self.routines.focus_list()

    def open_routine(self, routine_id: str, *, start: bool = False) -> None:
        """Open a routine (from the tray, a reminder or the command line):
        ready to start, or started when the person already chose to (the
        reminder's "Start routine"). An unknown id shows the list with a
        message."""
        self.open_routines()
        try:
            self._ctx.content.library.routine(routine_id)
        except KeyError:
            # Translators: {name} is the routine's id as it was asked for ("evening").
            self._ctx.notices.post("warning", lambda: _("There is no routine called '{name}'.")
                                   .format(name=routine_id))
            return
        self.start_routine(routine_id, autostart=start)

    def start_routine(self, routine_id: str, autostart: bool = True) -> None:
        ctx = self._ctx
        plan = self.plan(routine_id)
        if not plan.segments:
            ctx.notices.post("warning", lambda: _(EVERY_EXERCISE_LEFT_OUT))
            return
        if self.player is not None:
            self.discard_player()
        self.player = self._player_for(plan)
        ctx.navigation.add(Screen.PLAYER, self.player, str(plan.routine.title))
        ctx.navigation.show(Screen.PLAYER)
        ctx.cues.prepare()
        if autostart:
            self.player.start()

    def _player_for(self, plan: Plan) -> PlayerScreen:
        ctx = self._ctx
        voice = RoutineVoice()
        player = PlayerScreen(RoutineEngine(plan, ctx.clock),
                              lambda event: self._cue(voice, event),
                              quiet=ctx.cues.silence, timers=ctx.timers)
        player.ended.connect(self._record)
        player.closed.connect(self._player_closed)
        return player

    def _replan_waiting(self) -> None:
        """A routine opened but not yet started (from the reminder, say) is
        planned again when its get-ready time, the safety profile or the
        routines change:
        it has not begun, so it should begin as Settings now say. A routine
        under way keeps its plan; the next one follows the change."""
        if self.player is None or self.player.engine.state is not State.READY:
            return
        try:
            plan = self.plan(self.player.engine.plan.routine.id)
        except KeyError:  # gone from the library meanwhile
            plan = None
        if plan is None or not plan.segments:
            shown = self._ctx.navigation.current() is Screen.PLAYER
            self.discard_player()
            if plan is not None:
                self._ctx.notices.post("warning", lambda: _(EVERY_EXERCISE_LEFT_OUT))
            if shown:
                self.open_routines()
            return
        waiting, self.player = self.player, self._player_for(plan)
        waiting.stop_timers()
        self._ctx.navigation.replace(Screen.PLAYER, self.player, str(plan.routine.title))
        waiting.deleteLater()

    def waiting_to_start(self) -> bool:
        return (self.player is not None and self._ctx.navigation.current() is Screen.PLAYER
                and self.player.engine.state is State.READY)

    def discard_player(self) -> None:
        assert self.player is not None
        self._ctx.cues.silence()
        self.player.stop_timers()
        self._ctx.navigation.remove(Screen.PLAYER)
        self.player.deleteLater()
        self.player = None

    def stop_timers(self) -> None:
        if self.player is not None:
            self.player.stop_timers()

    def hold(self) -> None:
        """Another screen took the player's place, or the window closed."""
        if self.player is not None:
            self.player.hold()

    def flash(self) -> None:
        if self.player is not None:
            self.player.flash()

    def _player_closed(self) -> None:
        self.discard_player()
        self.open_routines()

    def _content_changed(self, library: Library) -> None:
        if self.routines is not None:
            self.routines.show_library(library)
        self._replan_waiting()

    def _cue(self, voice: RoutineVoice, event: CueEvent) -> None:
        cue = voice.cue(event, self._ctx.cues.voice)
        if cue is not None:
            self._ctx.cues.emit([cue])

    def _record(self, outcome: Outcome | None) -> None:
        if outcome is None or self.player is None:
            return
        saved = self._ctx.diary.record_routine(
            outcome.routine_id, str(self.player.engine.plan.routine.title), outcome.completed,
            outcome.started, outcome.active_s)
        if saved is not None:
            self.recorded.emit(saved)
