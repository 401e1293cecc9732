"""The application controller: builds the window, wires screens to the core,
and owns what lives as long as the app (settings, theme, cues, the diary).

Side effects come in through :class:`Services`, so the GUI tests run the real
widgets against a fake clock, a fake sound player and a fake speaker.
Screens other than the first are built on first use, to keep start-up fast.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QMessageBox

from coach import content, resources
from coach.core import nighttime, paths
from coach.core.clock import Clock, SystemClock
from coach.core.diary import Diary, DiaryError, RoutineSession
from coach.core.emergency import EmergencySession
from coach.core.engine import CueEvent, Outcome, RoutineEngine
from coach.core.model import Library
from coach.core.notices import Notices
from coach.core.profile import Condition, assess, parse_conditions
from coach.core.reminders import BEDTIME_ROUTINE, ReminderStateStore
from coach.core.schedule import Fire, ReminderConfig
from coach.core.settings import Settings, SettingsStore
from coach.core.timetable import CueKind, Plan, build_plan
from coach.core.timezones import local_zone
from coach.services.autostart import Autostart, autostart_for_platform
from coach.services.cues import Cue, CueDispatcher
from coach.services.sound import CuePlayer, PlaysoundPlayer
from coach.services.speech import VOICE_ADDON_MISSING, QtSpeaker, Speaker, make_speaker
from coach.ui import theme
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.home_screen import HomeScreen
from coach.ui.main_window import MainWindow
from coach.ui.notice_bar import NoticeBar
from coach.ui.player_screen import PlayerScreen
from coach.ui.reminder_controller import ReminderController
from coach.ui.reminder_window import ReminderWindow
from coach.ui.routines_screen import RoutinesScreen
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.tray import Tray, TrayActions, tray_available
from coach.ui.widgets import button, label

DISCLAIMER = ("Cramp Coach gives first-aid and stretching guidance for ordinary leg "
              "cramps. It is not medical advice and cannot diagnose. If a cramp lasts "
              "over 10 minutes, keeps coming back, or the leg is swollen, red or warm, "
              "see a doctor.")

ROUTINE_SOUNDS: dict[CueKind, str] = {
    CueKind.START: "start", CueKind.HALFWAY: "halfway", CueKind.TICK: "tick",
    CueKind.END: "end", CueKind.SWITCH: "switch", CueKind.REP: "rep",
    CueKind.GET_READY: "halfway", CueKind.REST: "halfway",
}
"""Which sound marks each routine cue. REST and GET_READY share the soft bell;
with a voice they speak what comes next instead."""


def _no_audio_notice(notices: Notices) -> Callable[[str], None]:
    def report(_message: str) -> None:
        notices.post("info", "No sound output was found, so cues flash on screen "
                     "instead.", key="no-audio")
    return report


@dataclass
class Services:
    """Everything with a side effect, swappable for tests. ``player`` and
    ``speaker`` of None mean "make the real one when first needed"."""

    clock: Clock = field(default_factory=SystemClock)
    notices: Notices = field(default_factory=Notices)
    library: Library | None = None
    player: CuePlayer | None = None
    speaker: Speaker | None = None
    diary: Diary | None = None
    tray: bool | None = None
    """None: use the system tray if the desktop has one."""
    autostart: Autostart = field(default_factory=autostart_for_platform)
    zone: Callable[[], tzinfo] = local_zone


class CoachApp(QObject):
    routine_recorded = Signal(object)
    reminder_shown = Signal(object)

    def __init__(self, qapp: QApplication, services: Services | None = None,
                 theme_override: str | None = None) -> None:
        super().__init__()
        self.qapp = qapp
        self.services = services or Services()
        self.clock = self.services.clock
        self.notices = self.services.notices
        self.store = SettingsStore(paths.settings_file(), self.notices, self.clock)
        self.settings: Settings = self.store.load()
        self.library = self.services.library or content.load()
        self._report_content_problems()
        self._theme_override = theme_override
        self._theme_timer = QTimer(self)
        self._theme_timer.setSingleShot(True)
        self._theme_timer.timeout.connect(self.apply_theme)
        self._dispatcher: CueDispatcher | None = None
        self._speaker_injected = self.services.speaker is not None
        self._diary = self.services.diary

        self.window = MainWindow(NoticeBar(self.notices))
        self.window.setWindowIcon(QIcon(str(resources.icon_path())))
        self.home = HomeScreen()
        self.window.add_screen("home", self.home, "")
        self.home.emergency.connect(self.open_emergency)
        self.home.routines.connect(self.open_routines)
        self.home.settings.connect(self.open_settings)
        self.window.close_requested.connect(self._window_closing)
        self._install_shortcuts()
        self._offer_disclaimer()
        self.apply_theme()
        self.window.restore_placement(self._saved_placement("main"))
        self.emergency: EmergencyScreen | None = None
        self.routines: RoutinesScreen | None = None
        self.player: PlayerScreen | None = None
        self.tray: Tray | None = None
        self.reminder_window: ReminderWindow | None = None
        self.reminders = ReminderController(
            self.clock, ReminderStateStore(paths.reminder_state_file(), self.notices,
                                           self.clock),
            self.reminder_config, self.services.zone, self.diary, self.notices, self)
        self.reminders.remind.connect(self._show_reminder)
        self.reminders.changed.connect(self._reminder_moved)
        self.routine_recorded.connect(
            lambda record: self.reminders.routine_completed(record.routine_id, record.started)
            if record.completed else None)
        qapp.setQuitOnLastWindowClosed(False)
        # The tray and the reminder start once the first screen is up: nothing
        # they do is needed to show it.
        self._resident = QTimer(self)
        self._resident.setSingleShot(True)
        self._resident.timeout.connect(self._start_resident)
        self._resident.start(0)

    # -- settings ------------------------------------------------------------

    def update_settings(self, **changes: object) -> None:
        self.settings = self.store.update(**changes)

    def reminder_config(self) -> ReminderConfig:
        try:
            return ReminderConfig.from_dict(dict(self.settings.reminder))
        except ValueError as exc:
            self.notices.post("warning", f"The reminder settings are not usable ({exc}); "
                              "the reminder is off until it is set again.",
                              key="reminder-config")
            return ReminderConfig()

    @property
    def profile(self) -> frozenset[Condition]:
        return parse_conditions(self.settings.profile)

    def _saved_placement(self, name: str) -> bytes | None:
        encoded = self.settings.windows.get(name)
        if not encoded:
            return None
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return None

    def _remember_placement(self) -> None:
        windows = dict(self.settings.windows)
        windows["main"] = base64.b64encode(self.window.placement()).decode("ascii")
        self.update_settings(windows=windows)

    # -- theme ---------------------------------------------------------------

    def apply_theme(self) -> None:
        """Apply the theme, and in "auto" re-check exactly at the next 08:00 or
        20:00 rather than polling."""
        setting = self._theme_override or self.settings.theme
        local = self.clock.wall().astimezone()
        palette = theme.choose(setting, local)
        self.qapp.setStyleSheet(theme.stylesheet(palette))
        self.qapp.setProperty("theme", palette.name)
        self._theme_timer.stop()
        if setting == "auto":
            boundary = nighttime.next_switch(local)
            wait_ms = int((boundary - local) / timedelta(milliseconds=1)) + 1000
            self._theme_timer.start(min(wait_ms, 2**31 - 1))

    # -- cues ------------------------------------------------------------------

    @property
    def dispatcher(self) -> CueDispatcher:
        """Made on the first cue, not at start-up: finding the audio backend
        takes a while and the first screen must not wait for it."""
        if self._dispatcher is None:
            player = self.services.player or PlaysoundPlayer(
                on_unavailable=_no_audio_notice(self.notices))
            speaker = self.services.speaker or make_speaker(self.settings.voice)
            self.services.player, self.services.speaker = player, speaker
            self._dispatcher = CueDispatcher(
                player, speaker, muted=lambda: not self.settings.sound,
                on_visual=lambda _cue: self._flash(), clock=self.clock.monotonic)
        return self._dispatcher

    def cue(self, kind: str, text: str | None = None) -> None:
        self.dispatcher.emit(Cue(kind, text))

    def _routine_cue(self, event: CueEvent) -> None:
        kind = event.cue.kind
        speaker = self.services.speaker
        voice = self.settings.voice and speaker is not None and speaker.available
        text = None
        if voice and event.cue.text is not None:
            text = str(event.cue.text)
            if kind is CueKind.REST:
                text = f"Rest. Next: {text}"
            elif kind is CueKind.GET_READY:
                text = f"Get ready: {text}"
        elif kind is CueKind.SWITCH and voice:
            text = "Switch to the other leg"
        if kind is CueKind.REST and text is None:
            return  # the END of the hold just before already marked the moment
        self.cue(ROUTINE_SOUNDS[kind], text)

    def _flash(self) -> None:
        current = self.window.current_screen()
        if current == "emergency" and self.emergency is not None:
            self.emergency.flash()
        elif current == "player" and self.player is not None:
            self.player.flash()

    # -- screens -------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        self.window.add_shortcut("F1", self.open_emergency)
        self.window.add_shortcut("Ctrl+E", self.open_emergency)
        self.window.add_shortcut("Ctrl+R", self.open_routines)
        self.window.add_shortcut("Ctrl+,", self.open_settings)
        self.window.add_shortcut("Ctrl+Q", self.quit)

    def show(self) -> None:
        self.window.show_screen("home")
        self.window.bring_to_front()

    def handle_request(self, action: str, routine: str | None = None) -> None:
        """A launch request, from this process's command line or a later launch."""
        if action == "emergency":
            self.open_emergency()
        elif action == "routine" and routine:
            self.open_routine(routine)
        elif action == "show":
            self.show()
        elif action == "reload":
            self.reload_settings()

    def open_emergency(self) -> None:
        if self.emergency is None:
            session = EmergencySession(self.library, self.clock, profile=self.profile,
                                       auto_advance=self.settings.auto_advance)
            self.emergency = EmergencyScreen(session, self.cue)
            self.emergency.left.connect(self.go_home)
            self.emergency.finished.connect(lambda _outcome: self.go_home())
            self.emergency.auto_advance_changed.connect(
                lambda on: self.update_settings(auto_advance=on))
            self.window.add_screen("emergency", self.emergency, "Emergency")
        self.emergency.start()
        self.window.show_screen("emergency")
        self.window.bring_to_front()

    def go_home(self) -> None:
        self.window.show_screen("home")
        self.home.cramp_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def plan(self, routine_id: str) -> Plan:
        """The routine as this person will do it: their get-ready time, and
        without what their safety profile hides."""
        profile = self.profile
        return build_plan(self.library.routine(routine_id), self.library.exercise,
                          self.settings.get_ready_seconds,
                          exclude=lambda ex: assess(ex.cautions, profile).hidden)

    def open_routines(self) -> None:
        if self.routines is None:
            self.routines = RoutinesScreen(self.plan)
            self.routines.back.connect(self.go_home)
            self.routines.start.connect(self.start_routine)
            self.routines.imported.connect(self.reload_content)
            self.window.add_screen("routines", self.routines, "Routines")
        self.routines.show_library(self.library)
        self.window.show_screen("routines")
        self.routines.focus_list()
        self.window.bring_to_front()

    def open_routine(self, routine_id: str) -> None:
        """Open a routine ready to start (from the tray, a reminder or the
        command line); an unknown id shows the list with a message."""
        self.open_routines()
        try:
            self.library.routine(routine_id)
        except KeyError:
            self.notices.post("warning", f"There is no routine called '{routine_id}'.")
            return
        self.start_routine(routine_id, autostart=False)

    def start_routine(self, routine_id: str, autostart: bool = True) -> None:
        plan = self.plan(routine_id)
        if not plan.segments:
            self.notices.post("warning", "Every exercise in this routine is left out for "
                              "your safety profile.")
            return
        if self.player is not None:
            self._discard_player()
        profile = self.profile
        self.player = PlayerScreen(RoutineEngine(plan, self.clock), self._routine_cue,
                                   flags=lambda ex: assess(ex.cautions, profile).reasons)
        self.player.ended.connect(self._record_routine)
        self.player.closed.connect(self._player_closed)
        self.window.add_screen("player", self.player, str(plan.routine.title))
        self.window.show_screen("player")
        self.window.bring_to_front()
        if autostart:
            self.player.start()

    def _discard_player(self) -> None:
        assert self.player is not None
        self.player.stop_timers()
        self.window.remove_screen("player")
        self.player.deleteLater()
        self.player = None

    def _player_closed(self) -> None:
        self._discard_player()
        self.open_routines()

    def reload_content(self) -> None:
        self.library = content.load()
        self._report_content_problems()
        if self.routines is not None:
            self.routines.show_library(self.library)

    # -- records ---------------------------------------------------------------

    def diary(self) -> Diary | None:
        """Opened on first use; a problem is reported once, and the app goes on
        without a diary rather than failing."""
        if self._diary is None:
            try:
                self._diary = Diary.open(paths.diary_file(), clock=self.clock)
            except DiaryError as exc:
                self.notices.post("error", str(exc), key="diary-open")
                return None
            if self._diary.notice:
                self.notices.post("warning", self._diary.notice, key="diary-moved")
        return self._diary

    def _record_routine(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        plan = self.player.engine.plan if self.player else None
        title = str(plan.routine.title) if plan else outcome.routine_id
        diary = self.diary()
        if diary is None:
            return
        record = RoutineSession(started=outcome.started, routine_id=outcome.routine_id,
                                routine_title=title, completed=outcome.completed,
                                duration_s=outcome.active_s)
        try:
            saved = diary.add_routine_session(record)
        except DiaryError as exc:
            self.notices.post("error", f"This routine could not be recorded: {exc}")
            return
        self.routine_recorded.emit(saved)

    # -- lifetime --------------------------------------------------------------

    def quit(self) -> None:
        if self.window.isVisible():
            self._remember_placement()
        self.shutdown()
        self.qapp.quit()

    def shutdown(self) -> None:
        """Stop timers and release resources; the window may outlive this."""
        self._theme_timer.stop()
        self._resident.stop()
        self.reminders.stop()
        if self.tray is not None:
            self.tray.hide()
        for screen in (self.emergency, self.player):
            if screen is not None:
                screen.stop_timers()
        if self._diary is not None and self.services.diary is None:
            self._diary.close()
            self._diary = None

    # -- resident: tray and reminder -------------------------------------------

    def _start_resident(self) -> None:
        use_tray = self.services.tray if self.services.tray is not None else tray_available()
        if use_tray:
            self.tray = Tray(QIcon(str(resources.icon_path())), TrayActions(
                emergency=self.open_emergency, bedtime=self.open_bedtime,
                snooze=self.snooze, skip=self.skip_tonight, settings=self.open_settings,
                show=self.show, quit=self.quit), self)
            self.tray.message_clicked.connect(self.open_bedtime)
            self.tray.show()
        self.reminders.start()

    def _keeps_running(self) -> bool:
        return self.tray is not None or self.reminder_config().enabled

    def _window_closing(self) -> None:
        self._remember_placement()
        keep = self._keeps_running()
        self.window.hide_on_close = keep
        if not keep:
            self.quit()
        elif self.tray is None and not self.settings.tray_notice_shown:
            self.update_settings(tray_notice_shown=True)
            self.notices.post("info", "This desktop has no system tray, so Cramp Coach "
                              "keeps running after its window is closed: your bedtime "
                              "reminder will appear as a small window. To stop it, use "
                              "Quit (Ctrl+Q).", key="no-tray")

    def _reminder_moved(self) -> None:
        if self.tray is None:
            return
        local = self.reminders.next_local()
        text = (f"Next reminder: {local:%a %H:%M}" if local is not None
                else "No bedtime reminder set")
        self.tray.set_next(text, self.reminders.can_snooze())

    def _show_reminder(self, fire: Fire) -> None:
        self.cue("reminder")
        late = " (a little late: the computer was asleep)" if fire.kind == "late" else ""
        text = f"Time for your bedtime stretch{late}. It takes about 7 minutes."
        if self.tray is not None:
            self.tray.notify("Bedtime stretch", text + " Click to start.")
        else:
            if self.reminder_window is None:
                self.reminder_window = ReminderWindow(self.open_bedtime, self.snooze,
                                                      self.skip_tonight)
            self.reminder_window.present(text, self.reminders.can_snooze())
        self._reminder_moved()
        self.reminder_shown.emit(fire)

    def open_bedtime(self) -> None:
        """The bedtime routine ready to start, with Snooze and Skip at hand."""
        self.open_routine(BEDTIME_ROUTINE)
        if self.player is not None:
            self.player.offer_reminder_actions(
                snooze=self.snooze if self.reminders.can_snooze() else None,
                skip=self.skip_tonight)

    def snooze(self, minutes: int) -> None:
        problem = self.reminders.snooze(minutes)
        if problem:
            self.notices.post("info", problem)
        elif self.window.current_screen() == "player" and self.player is not None \
                and self.player.engine.state.value == "ready":
            self._discard_player()
            self.window.hide() if self._keeps_running() and self.tray else self.go_home()

    def skip_tonight(self) -> None:
        self.reminders.skip_tonight()
        self.notices.post("info", "No more reminders tonight. Sleep well.", key=None)
        if self.window.current_screen() == "player" and self.player is not None \
                and self.player.engine.state.value == "ready":
            self._discard_player()
            self.go_home()

    # -- settings ----------------------------------------------------------------

    def open_settings(self) -> None:
        speaker = self.services.speaker
        note = ""
        if self.settings.voice and isinstance(speaker, QtSpeaker) and not speaker.available:
            note = speaker.reason or VOICE_ADDON_MISSING
        elif not self.settings.voice:
            note = "Spoken instructions need the optional voice add-on: pip install .[voice]"
        try:
            autostart_on = self.services.autostart.is_enabled()
        except OSError:
            autostart_on = self.settings.autostart
        dialog = SettingsDialog(self.settings, self.reminder_config(), autostart_on, note,
                                self.window)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        choices = dialog.choices()
        first_reminder = choices.reminder.enabled and not self.reminder_config().enabled
        # The schedule wants a catch-up under the old settings before new ones apply.
        self.reminders.refresh()
        profile_changed = choices.profile != self.settings.profile
        voice_before = self.settings.voice
        self.update_settings(theme=choices.theme, sound=choices.sound, voice=choices.voice,
                             get_ready_seconds=choices.get_ready_seconds,
                             auto_advance=choices.auto_advance,
                             reminder=choices.reminder.to_dict(), profile=choices.profile)
        if choices.voice != voice_before and not self._speaker_injected:
            self._dispatcher = None  # made again, with or without a voice
            self.services.speaker = None
        self._set_autostart(choices.autostart, autostart_on)
        if profile_changed and self.emergency is not None:
            self.emergency.stop_timers()
            self.window.remove_screen("emergency")
            self.emergency.deleteLater()
            self.emergency = None
        self.apply_theme()
        self.reminders.refresh()
        if first_reminder and not self.settings.autostart_offered and not choices.autostart:
            self.offer_autostart()

    def _set_autostart(self, wanted: bool, current: bool) -> None:
        if wanted == current:
            return
        try:
            if wanted:
                self.services.autostart.enable()
            else:
                self.services.autostart.disable()
        except OSError as exc:
            self.notices.post("error", f"Start at login could not be changed: "
                              f"{exc.strerror or exc}.")
            return
        self.update_settings(autostart=wanted)

    def offer_autostart(self) -> None:
        """Offered once, after the first reminder is set: a reminder only works
        while Cramp Coach runs."""
        self.update_settings(autostart_offered=True)
        answer = QMessageBox.question(
            self.window, "Start at login?",
            "Your bedtime reminder only comes while Cramp Coach is running. Start it "
            "quietly in the tray each time you log in?")
        if answer == QMessageBox.StandardButton.Yes:
            self._set_autostart(True, False)

    def reload_settings(self) -> None:
        """Settings changed from outside (the command line): take them up."""
        self.reminders.refresh()  # catch up under the old settings first
        self.settings = self.store.load()
        self.apply_theme()
        self.reminders.refresh()

    # -- one-time messages ---------------------------------------------------

    def _report_content_problems(self) -> None:
        if not self.library.errors:
            return
        skipped = ", ".join(self.library.skipped_files) or "some entries"
        first = self.library.errors[0]
        self.notices.post(
            "warning",
            f"Some content could not be loaded and was skipped ({skipped}). First "
            f"problem: {first}. Run 'cramp-coach validate' for the full list.",
            key=f"content-errors-{len(self.library.errors)}-{skipped}")

    def _offer_disclaimer(self) -> None:
        if self.settings.disclaimer_accepted:
            return
        frame = QFrame()
        frame.setProperty("role", "banner")
        row = QHBoxLayout(frame)
        text = label(DISCLAIMER, "notice")
        row.addWidget(text, 1)

        def accept() -> None:
            self.update_settings(disclaimer_accepted=True)
            frame.hide()
            frame.deleteLater()

        row.addWidget(button("I understand", accept))
        self.window.notice_bar.add_message(frame)

