"""The application controller: builds the window, wires screens to the core,
and owns the few things that live as long as the app (settings, theme, cues).

Side effects come in through :class:`Services`, so the GUI tests run the real
widgets against a fake clock, a fake sound player and a fake tray.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from coach.core.notices import Notices
from coach.core.settings import Settings, SettingsStore
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout

from coach import content, resources
from coach.core import nighttime, paths
from coach.core.clock import Clock, SystemClock
from coach.core.emergency import EmergencySession
from coach.core.model import Library
from coach.core.profile import parse_conditions
from coach.ui import theme
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.home_screen import HomeScreen
from coach.ui.main_window import MainWindow
from coach.ui.notice_bar import NoticeBar
from coach.ui.widgets import button, label

DISCLAIMER = ("Cramp Coach gives first-aid and stretching guidance for ordinary leg "
              "cramps. It is not medical advice and cannot diagnose. If a cramp lasts "
              "over 10 minutes, keeps coming back, or the leg is swollen, red or warm, "
              "see a doctor.")


@dataclass
class Services:
    """Everything with a side effect, swappable for tests."""

    clock: Clock = field(default_factory=SystemClock)
    notices: Notices = field(default_factory=Notices)
    library: Library | None = None


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
        self._report_content_problems()
        self._theme_override = theme_override
        self._theme_timer = QTimer(self)
        self._theme_timer.setSingleShot(True)
        self._theme_timer.timeout.connect(self.apply_theme)

        self.window = MainWindow(NoticeBar(self.notices))
        self.window.setWindowIcon(QIcon(str(resources.icon_path())))
        self.home = HomeScreen()
        self.window.add_screen("home", self.home, "")
        self.home.emergency.connect(self.open_emergency)
        self.window.close_requested.connect(self._remember_placement)
        self._install_shortcuts()
        self._offer_disclaimer()
        self.apply_theme()
        self.window.restore_placement(self._saved_placement("main"))
        self.emergency: EmergencyScreen | None = None

    # -- settings ------------------------------------------------------------

    def update_settings(self, **changes: object) -> None:
        self.settings = self.store.update(**changes)

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
        local = datetime.now().astimezone()
        palette = theme.choose(setting, local)
        self.qapp.setStyleSheet(theme.stylesheet(palette))
        self.qapp.setProperty("theme", palette.name)
        self._theme_timer.stop()
        if setting == "auto":
            boundary = nighttime.next_switch(local)
            wait_ms = int((boundary - local) / timedelta(milliseconds=1)) + 1000
            self._theme_timer.start(min(wait_ms, 2**31 - 1))

    # -- screens -------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        self.window.add_shortcut("F1", self.open_emergency)
        self.window.add_shortcut("Ctrl+E", self.open_emergency)
        self.window.add_shortcut("Ctrl+Q", self.quit)

    def show(self) -> None:
        self.window.show_screen("home")
        self.window.bring_to_front()

    def open_emergency(self) -> None:
        if self.emergency is None:
            session = EmergencySession(self.library, self.clock,
                                       profile=parse_conditions(self.settings.profile),
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

    def cue(self, kind: str) -> None:
        """Sound is wired in by the cue dispatcher; without it the cue is shown."""
        screen = self.window.current_screen()
        if screen == "emergency" and self.emergency is not None:
            self.emergency.flash()

    def quit(self) -> None:
        self._remember_placement()
        self.qapp.quit()

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
            key="content-errors")

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
