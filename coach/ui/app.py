"""The application object: it builds the app layer's models and services,
the window and the flows, and wires them together. It decides nothing.

Start-up speed is a promise (``benchmarks/startup.py``), so only what the
first screen needs is imported here. Routines (:mod:`coach.ui.routine_flow`),
the diary screens (:mod:`coach.ui.diary_flow`) and the tray with its reminder
(:mod:`coach.ui.resident`) are imported and built after the first screen is
painted, or when first asked for.

Flows get a :class:`~coach.ui.context.Context` (this object satisfies it),
never the whole app. Side effects come in through :class:`Services`, so the
GUI tests run the real widgets against a fake clock, fake timers, a fake
sound player and a fake speaker.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from coach import resources
from coach.app.content import ContentModel
from coach.app.navigation import FOCUSED, Screen
from coach.app.settings import SettingsModel
from coach.core import i18n, nighttime, paths
from coach.core.care import URGENT_AFTER_S
from coach.core.clock import Clock, SystemClock
from coach.core.early_settings import saved_language
from coach.core.emergency import Cue as Moment
from coach.core.emergency import EmergencySession
from coach.core.emergency import View as EmergencyView
from coach.core.i18n import _, ngettext
from coach.core.model import Library
from coach.core.notices import Notices, Wording
from coach.core.profile import parse_conditions
from coach.core.settings import Settings, SettingsStore
from coach.services import activation
from coach.ui import places, shortcuts, theme
from coach.ui.emergency_screen import EmergencyScreen
from coach.ui.home_screen import HomeScreen
from coach.ui.language import Language
from coach.ui.main_window import MainWindow, open_window, opens_compact, placement_bytes
from coach.ui.notice_bar import NoticeBar
from coach.ui.timers import QtTimers, Timers

if TYPE_CHECKING:
    from coach.app.cues import CueBoard
    from coach.app.diary import DiaryService
    from coach.core.diary import Diary
    from coach.services.autostart import Autostart
    from coach.services.desktop import Shortcut
    from coach.services.sound import CuePlayer
    from coach.services.speech import Speaker
    from coach.ui.diary_flow import DiaryFlow
    from coach.ui.first_paint import FirstPaint
    from coach.ui.resident import Resident
    from coach.ui.routine_flow import RoutineFlow



def disclaimer() -> str:
    """Shown once, until accepted; its minutes are the care rule's."""
    minutes = round(URGENT_AFTER_S / 60)
    return ngettext(
        "Cramp Coach gives first-aid and stretching guidance for ordinary leg cramps. "
        "It is not medical advice and cannot diagnose. If a cramp lasts over {n} "
        "minute, keeps coming back, or the leg is swollen, red or warm, see a doctor.",
        "Cramp Coach gives first-aid and stretching guidance for ordinary leg cramps. "
        "It is not medical advice and cannot diagnose. If a cramp lasts over {n} "
        "minutes, keeps coming back, or the leg is swollen, red or warm, see a doctor.",
        minutes).format(n=minutes)

RESIDENT_AFTER_MS = 2000
"""The tray and the reminder start after the first paint, or after this long
if there is none (started minimised or in the background)."""


@dataclass
class Services:
    """Everything with a side effect, swappable for tests. None means "make the
    real one when first needed"."""

    clock: Clock = field(default_factory=SystemClock)
    notices: Notices = field(default_factory=Notices)
    timers: Timers = field(default_factory=QtTimers)
    library: Library | None = None
    player: CuePlayer | None = None
    speaker: Speaker | None = None
    diary: Diary | None = None
    tray: bool | None = None
    """None: an icon in the system tray whenever the desktop has one, now or
    later. True or False say whether there is one (tests)."""
    autostart: Autostart | None = None
    zone: Callable[[], tzinfo] | None = None
    shortcut: Shortcut | None = None
    """None: the desktop's own, where it allows one (GNOME)."""


class WindowNavigation:
    """The window's screens, the window built when first needed: a resident
    app waiting in the tray has no window at all until the person opens one."""

    def __init__(self, build: Callable[[], MainWindow], home: Callable[[], None]) -> None:
        self._build = build
        self._home = home
        self._window: MainWindow | None = None

    @property
    def built(self) -> MainWindow | None:
        return self._window

    @property
    def window(self) -> MainWindow:
        if self._window is None:
            self._window = self._build()
        return self._window

    def forget(self) -> None:
        """The window is being replaced: the next use builds a new one."""
        self._window = None

    def adopt(self, window: MainWindow) -> None:
        """A window built before the app (the first paint's) is the window."""
        self._window = window

    def add(self, screen: Screen, widget: QWidget, title: str) -> None:
        self.window.add_screen(screen, widget, title)

    def remove(self, screen: Screen) -> None:
        self.window.remove_screen(screen)

    def replace(self, screen: Screen, widget: QWidget, title: str) -> None:
        shown = self.current() is screen
        self.window.remove_screen(screen)
        self.window.add_screen(screen, widget, title)
        if shown:
            self.window.show_screen(screen)

    def show(self, screen: Screen) -> None:
        self.window.show_screen(screen)
        self.window.bring_to_front()

    def current(self) -> Screen | None:
        return None if self._window is None else self._window.current_screen()

    def home(self) -> None:
        self._home()

    def parent(self) -> QWidget:
        return self.window

    def offer(self, text: Wording, action: Wording, on_action: Callable[[], object]) -> None:
        self.window.notice_bar.add_action(text, action, on_action)


class CoachApp(QObject):
    settled = Signal()
    """Once, when the tray and the reminder start: just after the first paint
    (or, with no window, after :data:`RESIDENT_AFTER_MS`). What the first
    screen does not need waits for this, such as answering later launches."""

    def __init__(self, qapp: QApplication, services: Services | None = None,
                 theme_override: str | None = None,
                 language_override: str | None = None, first: FirstPaint | None = None) -> None:
        """``language_override`` (``--lang``) holds until the person chooses a
        language in Settings. ``first``: the window a start for a cramp
        painted first (see :mod:`coach.ui.first_paint`), which this app takes
        on; its notices are the app's."""
        super().__init__()
        self.qapp = qapp
        self.services = services or Services()
        self._theme_override = theme_override
        self.clock = self.services.clock
        self.notices = self.services.notices
        self.timers = self.services.timers
        # Before the settings load, so a problem found in them is told in
        # the person's language.
        self.language = Language(qapp)
        self.language.apply(language_override or saved_language(paths.settings_file()))
        self.settings = SettingsModel(SettingsStore(paths.settings_file(), self.notices,
                                                    self.clock))
        self.content = ContentModel(self.notices, self.services.library)
        self._diary: DiaryService | None = None
        self._cues: CueBoard | None = None
        self.navigation = WindowNavigation(self._build_window, self.go_home)
        self.emergency: EmergencyScreen | None = None
        self.resident: Resident | None = None
        self._routines: RoutineFlow | None = None
        self._diary_flow: DiaryFlow | None = None
        self._notice_bar: NoticeBar | None = None
        """Carried over from a window built again in a new language."""
        self._language_waiting = False
        """A language chosen over a cramp or a routine, spoken once it is left."""
        self._quitting = False
        self._first_screen = first.screen if first is not None else None
        if first is not None:
            self.navigation.adopt(first.window)

        self._theme_timer = self.timers.make(self, self.apply_theme)
        self.settings.subscribe(lambda _s, _c: self.apply_theme(), ["theme"])
        self.settings.subscribe(self._guide_settings_changed, ["profile", "auto_advance"])
        self.settings.subscribe(self._language_chosen, ["language"])
        self.content.subscribe(lambda _library: self._rebuild_emergency())
        self.content.subscribe(lambda _library: self._remember_places())
        self.apply_theme()
        qapp.setQuitOnLastWindowClosed(False)
        self._later = self.timers.make(self, self._start_resident_later)
        self._prepare_later = self.timers.make(self, self._prepare_cues)
        self._language_later = self.timers.make(self, self._speak_chosen_language)
        self.settled.connect(self._prepare_cues)
        self.settled.connect(self._remember_places)
        self.settled.connect(self._tidy)
        if first is not None:
            first.window.set_notice_bar(NoticeBar(self.notices))
            self._furnish(first.window)
        # Painted already, a first window does not say so again.
        self._later.start(0 if first is not None else RESIDENT_AFTER_MS)

    @property
    def window(self) -> MainWindow:
        return self.navigation.window

    def _build_window(self) -> MainWindow:
        notice_bar, self._notice_bar = self._notice_bar or NoticeBar(self.notices), None
        return self._furnish(open_window(self._saved_placement("main"), notice_bar))

    def _furnish(self, window: MainWindow) -> MainWindow:
        """The icon, the home screen, the window's keys and what its signals
        do: for a window this app built, or the one the first paint built
        (whose icon, on X11 drawn at several sizes, could wait)."""
        window.setWindowIcon(QIcon(str(resources.icon_path())))
        self.home = HomeScreen()
        window.add_screen(Screen.HOME, self.home, "")
        self.home.emergency.connect(self.open_emergency)
        self.home.routines.connect(self.open_routines)
        self.home.settings.connect(self.open_settings)
        self.home.diary.connect(self.open_diary)
        self.home.tips.connect(lambda: self.diary_flow().open_tips())
        window.close_requested.connect(self._window_closing)
        window.compact_changed.connect(lambda _compact: self.apply_theme())
        window.first_painted.connect(lambda: self._later.start(0))
        window.screen_shown.connect(self._screen_shown)
        self._install_shortcuts(window)
        self._offer_disclaimer(window)
        return window

    # -- what flows use --------------------------------------------------------

    @property
    def diary(self) -> DiaryService:
        """Made on first use, after the first screen: the diary and its rules
        are a good share of start-up, and the place buttons need neither."""
        if self._diary is None:
            from coach.app.diary import DiaryService

            self._diary = DiaryService(paths.diary_file(), self.clock, self.notices,
                                       self.settings, self.zone,
                                       lambda: self.content.library.warning_signs,
                                       self.services.diary)
        return self._diary

    @property
    def cues(self) -> CueBoard:
        """Made on the first cue, for the same reason."""
        if self._cues is None:
            from coach.app.cues import CueBoard

            self._cues = CueBoard(self.settings, self.clock, self._make_player,
                                  self._make_speaker)
            self._cues.flash = self._flash
        return self._cues

    def zone(self) -> tzinfo:
        if self.services.zone is not None:
            return self.services.zone()
        from coach.core.timezones import local_zone

        return local_zone()

    def is_night(self) -> bool:
        return nighttime.is_night(self.clock.wall().astimezone(self.zone()))

    def autostart(self) -> Autostart:
        if self.services.autostart is None:
            from coach.services.autostart import autostart_for_platform

            self.services.autostart = autostart_for_platform()
        return self.services.autostart

    def _desktop_shortcut(self) -> Shortcut | None:
        if self.services.shortcut is not None:
            return self.services.shortcut
        from coach.services.desktop import desktop_shortcut

        return desktop_shortcut()

    def _make_player(self) -> CuePlayer:
        if self.services.player is not None:
            return self.services.player
        from coach.services.sound import make_player

        notices = self.notices

        def no_audio(_message: str) -> None:
            notices.post("info", lambda: _("No sound output was found, so cues flash on "
                                           "screen instead."), key="no-audio")

        return make_player(no_audio)

    def _make_speaker(self, enabled: bool) -> Speaker:
        if self.services.speaker is not None:
            return self.services.speaker
        from coach.services.speech import make_speaker

        return make_speaker(enabled)

    def _flash(self) -> None:
        current = self.navigation.current()
        if current is Screen.EMERGENCY and self.emergency is not None:
            self.emergency.flash()
        elif current is Screen.PLAYER and self._routines is not None:
            self._routines.flash()

    # -- window placement ------------------------------------------------------

    def _saved_placement(self, name: str) -> bytes | None:
        return placement_bytes(self.settings.current.windows.get(name, ""))

    def _remember_placement(self) -> None:
        windows = dict(self.settings.current.windows)
        windows["main"] = base64.b64encode(self.window.placement()).decode("ascii")
        self.settings.update(windows=windows)

    # -- theme ---------------------------------------------------------------

    def apply_theme(self) -> None:
        """Apply the theme, and in "auto" re-check exactly at the next 08:00 or
        20:00 rather than polling."""
        setting = self._theme_override or self.settings.current.theme
        local = self.clock.wall().astimezone(self.zone())
        window = self.navigation.built
        compact = window.compact if window is not None else opens_compact(self.qapp)
        theme.apply(self.qapp, theme.choose(setting, local.hour), compact)
        self._theme_timer.stop()
        if setting == "auto":
            # In UTC: two times of one zone subtract as wall clocks, and on
            # the morning the clocks go forward the wait came out an hour long.
            wait = nighttime.next_switch(local).astimezone(timezone.utc) - self.clock.wall()
            self._theme_timer.start(int(wait / timedelta(milliseconds=1)) + 1000)

    # -- screens -------------------------------------------------------------

    def _install_shortcuts(self, window: MainWindow) -> None:
        for keys, handler in ((shortcuts.EMERGENCY, self.open_emergency),
                              (shortcuts.ROUTINES, self.open_routines),
                              (shortcuts.DIARY, self.open_diary),
                              (shortcuts.SETTINGS, self.open_settings),
                              (shortcuts.QUIT, self.quit)):
            for key in keys:
                window.add_shortcut(key, handler, in_dialogs=keys is shortcuts.EMERGENCY)

    def show(self) -> None:
        self.navigation.show(Screen.HOME)

    def handle_request(self, action: str, routine: str | None = None,
                       token: str | None = None) -> None:
        """A launch request, from this process's command line or a later
        launch; ``token`` lets its window come to the front on Wayland."""
        activation.use(token)
        if action == "emergency":
            self.open_emergency()
        elif action == "routine" and routine:
            self.routine_flow().open_routine(routine)
        elif action == "show":
            self.show()
        elif action == "reload":
            self.start_resident().reload_settings()

    def open_emergency(self) -> None:
        # A dialog open over the window (Settings, an entry, a question)
        # would block emergency mode behind it: it is closed as by Cancel.
        for _attempt in range(8):  # dialogs over dialogs, never forever
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                break
            dialog.close()
        navigation = self.navigation
        first = None
        if self.emergency is None:
            settings = self.settings.current
            session = EmergencySession(self.content.library, self.clock,
                                       profile=parse_conditions(settings.profile),
                                       auto_advance=settings.auto_advance, night=self.is_night)
            screen = EmergencyScreen(session, self._announce,
                                     lambda: self.settings.current.contacts(),
                                     self._silence, self.timers)
            screen.left.connect(self.go_home)
            screen.finished.connect(
                lambda outcome: self.diary_flow().offer_quick_log(outcome))
            screen.auto_advance_changed.connect(
                lambda on: self.settings.update(auto_advance=on))
            screen.print_card.connect(self.print_bedside_card)
            first, self._first_screen = self._first_screen, None
            if first is not None:  # the place buttons painted first give way
                navigation.replace(Screen.EMERGENCY, screen, _(places.TITLE))
                first.deleteLater()
            else:
                navigation.add(Screen.EMERGENCY, screen, _(places.TITLE))
            self.emergency = screen  # only once registered: a failed build is retried
        self.emergency.start()
        navigation.show(Screen.EMERGENCY)
        if first is not None:
            self.emergency.replay(first.pending)
        if self.resident is not None:  # else once settled, after the first paint
            self._prepare_later.start(0)

    def _remember_places(self) -> None:
        """For the next start for a cramp, painted before the guides load:
        kept once this start has settled, and again after new guides or a
        new language."""
        from coach.core.emergency import places as shown_places
        from coach.core.first_screen import places_of, remember

        try:
            remember(paths.first_screen_file(), i18n.current(),
                     places_of(shown_places(self.content.library)))
        except OSError as error:
            logging.getLogger(__name__).info(
                "The place buttons were not kept for the next start: %s", error)

    def _tidy(self) -> None:
        """Temporary files left by a write that was cut short (a crash, a
        power cut) in the caches; the settings and reminder stores clear
        their own when they load."""
        from coach.core.atomic import STALE_TEMP_AGE, remove_leftovers

        for path in (paths.content_cache_file(), paths.first_screen_file()):
            remove_leftovers(path, self.clock.wall() - STALE_TEMP_AGE)

    def _prepare_cues(self) -> None:
        """After the place buttons are painted, never before: they must not
        wait (a zero timer started before the first paint runs before it)."""
        if self.emergency is not None and (self.settings.current.voice
                                           or self.settings.current.sound):
            self.cues.prepare()

    def _silence(self) -> None:
        if self._cues is not None:  # nothing was ever said otherwise
            self._cues.silence()

    def _announce(self, moments: Sequence[Moment], view: EmergencyView) -> None:
        from coach.app.coaching import emergency_cues

        self.cues.emit(emergency_cues(moments, view, self.content.library))

    def _guide_settings_changed(self, settings: Settings, _changed: frozenset[str]) -> None:
        if self.emergency is not None:
            self.emergency.set_guidance(parse_conditions(settings.profile),
                                        settings.auto_advance)

    def _language_chosen(self, _settings: Settings, _changed: frozenset[str]) -> None:
        """Settings can be opened over a cramp (its shortcut works everywhere),
        and building the window again would throw the guide or the quick log
        away: then the new language waits until that screen is left."""
        if self.navigation.current() in FOCUSED:
            self._language_waiting = True
            return
        self._speak_chosen_language()

    def _screen_shown(self, screen: Screen) -> None:
        if screen is not Screen.PLAYER and self._routines is not None:
            self._routines.hold()
        if self._language_waiting and screen not in FOCUSED:
            self._language_waiting = False
            # Not from inside the window's own call: it is about to be replaced.
            self._language_later.start(0)

    def _speak_chosen_language(self) -> None:
        before = i18n.current()
        if self.language.apply(self.settings.current.language) != before:
            self._rebuild_in_language()
            self._remember_places()

    def _rebuild_in_language(self) -> None:
        """Every word on screen is chosen when its widget is built, so a new
        language builds the window again (where it was, on the same screen
        it showed home), and the tray's menu. The notice strip is kept and
        worded again (see :mod:`coach.ui.notice_bar`). Never while a cramp or
        a routine is on screen (see :meth:`_language_chosen`)."""
        window = self.navigation.built
        if window is None:
            return
        shown = window.isVisible()
        self._remember_placement()
        self._rebuild_emergency()
        if self._routines is not None:
            self._routines.stop_timers()
        for flow in (self._routines, self._diary_flow):
            if flow is not None:
                flow.deleteLater()
        self._routines = self._diary_flow = None
        notice_bar = window.notice_bar
        notice_bar.setParent(None)  # kept: what it shows has not been dismissed
        self.navigation.forget()
        window.hide()
        window.deleteLater()
        notice_bar.reword()
        self._notice_bar = notice_bar
        if self.resident is not None:
            self.resident.relabel()
        if shown:
            self.show()

    def _rebuild_emergency(self) -> None:
        """New content: emergency mode is built again from it when next opened."""
        if self.emergency is not None:
            self.emergency.stop_timers()
            self.navigation.remove(Screen.EMERGENCY)
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
        from coach.core import countries
        from coach.core.export_csv import ExportError
        from coach.render.card import write_card

        chosen, _filter = QFileDialog.getSaveFileName(
            self.window, _("Save the bedside card"),
            # Translators: a file name; keep it short, no slashes.
            str(Path.home() / (_("cramp-bedside-card") + ".pdf")),
            _("PDF documents (*.pdf)"))
        if not chosen:
            return
        path = Path(chosen)
        settings = self.settings.current
        card = bedside_card(self.content.library, parse_conditions(settings.profile),
                            settings.contacts())
        try:
            write_card(path, card, countries.paper_size(countries.system_territory()),
                       force=True)
        except (ExportError, OSError) as exc:
            QMessageBox.warning(self.window, _("The card could not be saved"), str(exc))
            return
        self.notices.post("info", lambda: _("Saved the bedside card to {path}.").format(path=path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def go_home(self) -> None:
        self.navigation.show(Screen.HOME)
        self.home.cramp_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def routine_flow(self) -> RoutineFlow:
        if self._routines is None:
            from coach.ui.routine_flow import RoutineFlow

            self._routines = RoutineFlow(self, self)
            self._routines.recorded.connect(self.start_resident().routine_recorded)
        return self._routines

    def open_routines(self) -> None:
        self.routine_flow().open_routines()

    def diary_flow(self) -> DiaryFlow:
        if self._diary_flow is None:
            from coach.ui.diary_flow import DiaryFlow

            self._diary_flow = DiaryFlow(self, self.print_bedside_card, self)
        return self._diary_flow

    def open_diary(self) -> None:
        self.diary_flow().open_history()

    def open_settings(self) -> None:
        self.start_resident().open_settings()

    def _start_resident_later(self) -> None:
        self.start_resident()

    def start_resident(self) -> Resident:
        """The tray and the reminder; started once, just after the first paint."""
        if self.resident is None:
            from coach.ui.resident import Resident, ResidentActions

            self._later.stop()
            self.resident = Resident(self, ResidentActions(
                emergency=self.open_emergency, show=self.show, quit=self.quit,
                routines=self.routine_flow, autostart=self.autostart,
                tray=self.services.tray, shortcut=self._desktop_shortcut), self)
            self.resident.reminders.clock_moved.connect(self.apply_theme)
            self.resident.start()
            self._offer_menu_entry()
            self.settled.emit()
        return self.resident

    # -- lifetime --------------------------------------------------------------

    def _window_closing(self) -> None:
        if self._quitting:
            return  # Qt closes the windows on its way out: not a close to stay running
        if self._routines is not None:
            self._routines.hold()
        self._remember_placement()
        keep = self.start_resident().window_closing()
        self.window.hide_on_close = keep
        if not keep:
            self.quit()

    def quit(self) -> None:
        if self._quitting:
            return  # once: a second Quit, or a second signal, finds it done
        window = self.navigation.built
        if window is not None:
            if window.isVisible():
                self._remember_placement()
            # Qt asks every window to close on quit, and one that refuses
            # (kept to run on without a tray) would stop it.
            window.hide_on_close = False
        self._quitting = True
        self.shutdown()
        self.qapp.quit()

    def shutdown(self) -> None:
        """Stop timers and release resources; the window may outlive this."""
        self._theme_timer.stop()
        self._later.stop()
        self._prepare_later.stop()
        if self.resident is not None:
            self.resident.stop()
        if self.emergency is not None:
            self.emergency.stop_timers()
        if self._routines is not None:
            self._routines.stop_timers()
        if self._diary is not None:
            self._diary.close()

    # -- one-time messages ---------------------------------------------------

    def _offer_disclaimer(self, window: MainWindow) -> None:
        if not self.settings.current.disclaimer_accepted:
            def accepted() -> None:
                self.settings.update(disclaimer_accepted=True)
                self._offer_menu_entry()

            # Pinned: "Saved to your diary" and the like must not push it
            # out of sight before it is understood.
            window.notice_bar.add_action(disclaimer, lambda: _("I understand"), accepted,
                                         key="disclaimer", pinned=True)

    def _offer_menu_entry(self) -> None:
        """Once, on the desktops that have an applications menu, after the
        disclaimer: installed with pip or pipx, Cramp Coach has no menu entry
        and no icon until it adds them, and a person who is not at ease in a
        terminal would never find ``cramp-coach install-desktop``."""
        from coach.services import desktop

        settings = self.settings.current
        window = self.navigation.built
        if (not settings.disclaimer_accepted or window is None or not window.isVisible()
                or not desktop.should_offer(settings.desktop_offered)):
            return
        self.settings.update(desktop_offered=True)
        window.notice_bar.add_action(
            lambda: _("Add Cramp Coach to your applications menu, with its icon and a "
                      "Cramp now! item?"), lambda: _("Add to menu"), self._add_menu_entry)

    def _add_menu_entry(self) -> None:
        from coach.services import desktop

        try:
            desktop.install()
        except desktop.DesktopError as exc:
            reason = str(exc)
            self.notices.post("error", lambda: _("Cramp Coach could not be added to the menu: "
                                                 "{reason}").format(reason=reason))
            return
        self.notices.post("info", lambda: _("Cramp Coach is now in your applications menu: "
                                            "search for \"cramp\"."))
