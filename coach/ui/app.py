"""The application controller: builds the window and the first screen, and
owns what lives as long as the app (settings, theme, cues, the diary).

Start-up speed is a promise (``benchmarks/startup.py``), so only what the
first screen needs is imported here. Routines (:mod:`coach.ui.routine_flow`)
and the tray with its reminder (:mod:`coach.ui.resident`) are imported and
built after the first screen is painted, or when first asked for.

Side effects come in through :class:`Services`, so the GUI tests run the real
widgets against a fake clock, a fake sound player and a fake speaker.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from coach import resources
from coach.app import content
from coach.core import countries, nighttime, paths
from coach.core.clock import Clock, SystemClock
from coach.core.countries import Contacts
from coach.core.emergency import Cue as EmergencyCue
from coach.core.emergency import EmergencySession
from coach.core.emergency import View as EmergencyView
from coach.core.model import Library
from coach.core.notices import Notices
from coach.core.profile import Condition, parse_conditions
from coach.core.settings import Settings, SettingsStore
from coach.ui import theme
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.home_screen import HomeScreen
from coach.ui.main_window import MainWindow
from coach.ui.notice_bar import NoticeBar

if TYPE_CHECKING:
    from coach.core.diary import Diary
    from coach.services.autostart import Autostart
    from coach.services.cues import CueDispatcher
    from coach.services.sound import CuePlayer
    from coach.services.speech import Speaker
    from coach.ui.diary_flow import DiaryFlow
    from coach.ui.resident import Resident
    from coach.ui.routine_flow import RoutineFlow

DISCLAIMER = ("Cramp Coach gives first-aid and stretching guidance for ordinary leg "
              "cramps. It is not medical advice and cannot diagnose. If a cramp lasts "
              "over 10 minutes, keeps coming back, or the leg is swollen, red or warm, "
              "see a doctor.")


@dataclass
class Services:
    """Everything with a side effect, swappable for tests. None means "make the
    real one when first needed"."""

    clock: Clock = field(default_factory=SystemClock)
    notices: Notices = field(default_factory=Notices)
    library: Library | None = None
    player: CuePlayer | None = None
    speaker: Speaker | None = None
    diary: Diary | None = None
    tray: bool | None = None
    """None: use the system tray if the desktop has one."""
    autostart: Autostart | None = None
    zone: Callable[[], tzinfo] | None = None


class CoachApp(QObject):
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
        self.report_content_problems()
        self._theme_override = theme_override
        self._theme_timer = QTimer(self)
        self._theme_timer.setSingleShot(True)
        self._theme_timer.timeout.connect(self.apply_theme)
        self._dispatcher: CueDispatcher | None = None
        self._speaker_injected = self.services.speaker is not None
        self._diary = self.services.diary
        self._flow: RoutineFlow | None = None
        self._diary_flow: DiaryFlow | None = None
        self.resident: Resident | None = None
        self.emergency: EmergencyScreen | None = None

        self._window: MainWindow | None = None
        self.apply_theme()
        qapp.setQuitOnLastWindowClosed(False)
        # The tray and the reminder start once the first screen is on screen,
        # or after two seconds if it never is (started minimised or in the
        # background).
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.start_resident)
        self._later.start(2000)

    @property
    def window(self) -> MainWindow:
        """Built when first needed: a resident app waiting in the tray has no
        window at all until the person opens one."""
        if self._window is None:
            self._window = self._build_window()
        return self._window

    def _build_window(self) -> MainWindow:
        window = MainWindow(NoticeBar(self.notices))
        window.setWindowIcon(QIcon(str(resources.icon_path())))
        self.home = HomeScreen()
        window.add_screen("home", self.home, "")
        self.home.emergency.connect(self.open_emergency)
        self.home.routines.connect(self.open_routines)
        self.home.settings.connect(self.open_settings)
        self.home.diary.connect(self.open_diary)
        self.home.tips.connect(lambda: self.diary_flow().open_tips())
        window.close_requested.connect(self._window_closing)
        window.first_painted.connect(lambda: self._later.start(0))
        self._install_shortcuts(window)
        self._offer_disclaimer(window)
        window.restore_placement(self._saved_placement("main"))
        return window

    # -- settings ------------------------------------------------------------

    def update_settings(self, **changes: object) -> None:
        self.settings = self.store.update(**changes)

    @property
    def profile(self) -> frozenset[Condition]:
        return parse_conditions(self.settings.profile)

    def zone(self) -> tzinfo:
        if self.services.zone is not None:
            return self.services.zone()
        from coach.core.timezones import local_zone

        return local_zone()

    def autostart(self) -> Autostart:
        if self.services.autostart is None:
            from coach.services.autostart import autostart_for_platform

            self.services.autostart = autostart_for_platform()
        return self.services.autostart

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
        if self.qapp.property("theme") != palette.name:
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
            from coach.services.cues import CueDispatcher
            from coach.services.sound import PlaysoundPlayer
            from coach.services.speech import make_speaker

            notices = self.notices

            def no_audio(_message: str) -> None:
                notices.post("info", "No sound output was found, so cues flash on screen "
                             "instead.", key="no-audio")

            player = self.services.player or PlaysoundPlayer(on_unavailable=no_audio)
            speaker = self.services.speaker or make_speaker(self.settings.voice)
            self.services.player, self.services.speaker = player, speaker
            self._dispatcher = CueDispatcher(
                player, speaker, muted=lambda: not self.settings.sound,
                on_visual=lambda _cue: self._flash(), clock=self.clock.monotonic)
        return self._dispatcher

    def cue(self, kind: str, text: str | None = None) -> None:
        from coach.services.cues import Cue

        self.dispatcher.emit(Cue(kind, text))

    def _announce_emergency(self, moments: Sequence[EmergencyCue], view: EmergencyView
                            ) -> None:
        from coach.app.coaching import emergency_cues

        for cue in emergency_cues(moments, view, self.library):
            self.dispatcher.emit(cue)

    def contacts(self) -> Contacts:
        """The numbers to call, for the country in the settings."""
        return self.settings.contacts()

    def is_night(self) -> bool:
        return nighttime.is_night(self.clock.wall().astimezone(self.zone()))

    def silence_cues(self) -> None:
        """Stop any instruction being spoken (pause, stop, leaving a routine)."""
        if self._dispatcher is not None:
            self._dispatcher.silence()

    def voice_active(self) -> bool:
        speaker = self.services.speaker
        return self.settings.voice and speaker is not None and speaker.available

    def reset_cues(self) -> None:
        """The voice setting changed: make the dispatcher again on the next cue."""
        if not self._speaker_injected:
            self._dispatcher = None
            self.services.speaker = None

    def _flash(self) -> None:
        if self._window is None:
            return
        current = self._window.current_screen()
        if current == "emergency" and self.emergency is not None:
            self.emergency.flash()
        elif current == "player" and self._flow is not None and self._flow.player is not None:
            self._flow.player.flash()

    # -- screens -------------------------------------------------------------

    def _install_shortcuts(self, window: MainWindow) -> None:
        window.add_shortcut("F1", self.open_emergency)
        window.add_shortcut("Ctrl+E", self.open_emergency)
        window.add_shortcut("Ctrl+R", self.open_routines)
        window.add_shortcut("Ctrl+D", self.open_diary)
        window.add_shortcut("Ctrl+,", self.open_settings)
        window.add_shortcut("Ctrl+Q", self.quit)

    def show(self) -> None:
        self.window.show_screen("home")
        self.window.bring_to_front()

    def handle_request(self, action: str, routine: str | None = None) -> None:
        """A launch request, from this process's command line or a later launch."""
        if action == "emergency":
            self.open_emergency()
        elif action == "routine" and routine:
            self.routine_flow().open_routine(routine)
        elif action == "show":
            self.show()
        elif action == "reload":
            self.start_resident().reload_settings()

    def open_emergency(self) -> None:
        window = self.window  # built first: the screen is registered only once both exist
        if self.emergency is None:
            session = EmergencySession(self.library, self.clock, profile=self.profile,
                                       auto_advance=self.settings.auto_advance,
                                       night=self.is_night)
            screen = EmergencyScreen(session, self._announce_emergency, self.contacts,
                                     self.silence_cues)
            screen.left.connect(self.go_home)
            screen.finished.connect(
                lambda outcome: self.diary_flow().offer_quick_log(outcome))
            screen.auto_advance_changed.connect(
                lambda on: self.update_settings(auto_advance=on))
            screen.print_card.connect(self.print_bedside_card)
            window.add_screen("emergency", screen, "Emergency")
            self.emergency = screen
        self.emergency.start()
        window.show_screen("emergency")
        window.bring_to_front()

    def reset_emergency(self) -> None:
        """The safety profile changed: build emergency mode again when next opened."""
        if self.emergency is not None:
            self.emergency.stop_timers()
            self.window.remove_screen("emergency")
            self.emergency.deleteLater()
            self.emergency = None

    def print_bedside_card(self) -> None:
        """Save the card as a PDF and open it in the desktop's viewer, which
        prints it: no printer dialog of our own to get lost in at night."""
        from pathlib import Path

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from coach.app.bedside import bedside_card
        from coach.core.export_csv import ExportError
        from coach.render.card import write_card

        chosen, _filter = QFileDialog.getSaveFileName(
            self.window, "Save the bedside card", str(Path.home() / "cramp-bedside-card.pdf"),
            "PDF (*.pdf)")
        if not chosen:
            return
        path = Path(chosen)
        card = bedside_card(self.library, self.profile, self.contacts())
        try:
            write_card(path, card, countries.paper_size(countries.system_territory()),
                       force=True)
        except (ExportError, OSError) as exc:
            QMessageBox.warning(self.window, "The card could not be saved", str(exc))
            return
        self.notices.post("info", f"Saved the bedside card to {path}.")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def go_home(self) -> None:
        self.window.show_screen("home")
        self.home.cramp_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def routine_flow(self) -> RoutineFlow:
        if self._flow is None:
            from coach.ui.routine_flow import RoutineFlow

            self._flow = RoutineFlow(self)
            resident = self.start_resident()
            self._flow.recorded.connect(resident.routine_recorded)
        return self._flow

    def open_routines(self) -> None:
        self.routine_flow().open_routines()

    def diary_flow(self) -> DiaryFlow:
        if self._diary_flow is None:
            from coach.ui.diary_flow import DiaryFlow

            self._diary_flow = DiaryFlow(self)
        return self._diary_flow

    def open_diary(self) -> None:
        self.diary_flow().open_history()

    def open_settings(self) -> None:
        self.start_resident().open_settings()

    def start_resident(self) -> Resident:
        """The tray and the reminder; started once, just after the first paint."""
        if self.resident is None:
            from coach.ui.resident import Resident

            self._later.stop()
            self.resident = Resident(self)
            self.resident.start()
        return self.resident

    # -- records ---------------------------------------------------------------

    def diary(self) -> Diary | None:
        """Opened on first use; a problem is reported once, and the app goes on
        without a diary rather than failing."""
        if self._diary is None:
            from coach.core.diary import Diary, DiaryError

            try:
                self._diary = Diary.open(paths.diary_file(), clock=self.clock)
            except DiaryError as exc:
                self.notices.post("error", str(exc), key="diary-open")
                return None
            if self._diary.notice:
                self.notices.post("warning", self._diary.notice, key="diary-moved")
        return self._diary

    # -- lifetime --------------------------------------------------------------

    def _window_closing(self) -> None:
        self._remember_placement()
        keep = self.start_resident().window_closing()
        self.window.hide_on_close = keep
        if not keep:
            self.quit()

    def quit(self) -> None:
        if self._window is not None and self._window.isVisible():
            self._remember_placement()
        self.shutdown()
        self.qapp.quit()

    def shutdown(self) -> None:
        """Stop timers and release resources; the window may outlive this."""
        self._theme_timer.stop()
        self._later.stop()
        if self.resident is not None:
            self.resident.stop()
        if self.emergency is not None:
            self.emergency.stop_timers()
        if self._flow is not None:
            self._flow.stop_timers()
        if self._diary is not None and self.services.diary is None:
            self._diary.close()
            self._diary = None

    # -- one-time messages ---------------------------------------------------

    def report_content_problems(self) -> None:
        if not self.library.errors:
            return
        skipped = ", ".join(self.library.skipped_files) or "some entries"
        first = self.library.errors[0]
        self.notices.post(
            "warning",
            f"Some content could not be loaded and was skipped ({skipped}). First "
            f"problem: {first}. Run 'cramp-coach validate' for the full list.",
            key=f"content-errors-{len(self.library.errors)}-{skipped}")

    def _offer_disclaimer(self, window: MainWindow) -> None:
        if not self.settings.disclaimer_accepted:
            window.notice_bar.add_action(
                DISCLAIMER, "I understand",
                lambda: self.update_settings(disclaimer_accepted=True))
