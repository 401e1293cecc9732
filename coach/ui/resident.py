"""What lives on while the window is closed: the tray icon, the bedtime
reminder, and the settings that shape them.

Started just after the first screen is shown, so it costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox

from coach import resources
from coach.app.reminders import next_reminder
from coach.app.routines import minutes, plan_for
from coach.core import i18n, paths
from coach.core.i18n import _, ngettext
from coach.core.reminders import BEDTIME_ROUTINE, ReminderStateStore
from coach.core.schedule import Fire, ReminderConfig
from coach.services.cues import Cue
from coach.services.notifications import bedtime_actions, session_notifier
from coach.services.speech import voice_status
from coach.ui import shortcuts
from coach.ui.context import Context
from coach.ui.reminder_controller import ReminderController
from coach.ui.reminder_window import ReminderWindow
from coach.ui.settings_dialog import SettingsDialog
from coach.ui.tray import Tray, TrayActions, tray_available, tray_may_come

if TYPE_CHECKING:
    from coach.core.diary import RoutineSession
    from coach.services.autostart import Autostart
    from coach.services.desktop import Shortcut
    from coach.ui.routine_flow import RoutineFlow


_P = ParamSpec("_P")


@dataclass(frozen=True)
class ResidentActions:
    """What the tray and the reminder may ask of the rest of the app."""

    emergency: Callable[[], None]
    show: Callable[[], None]
    quit: Callable[[], None]
    routines: Callable[[], RoutineFlow]
    autostart: Callable[[], Autostart]
    tray: bool | None = None
    """None: an icon in the system tray whenever the desktop has one, now or
    later. True or False say whether there is one (tests)."""
    shortcut: Callable[[], Shortcut | None] = lambda: None
    """The desktop-wide "Cramp now!" key this desktop allows, for Settings."""


class Resident(QObject):
    """``reminder_shown`` carries each :class:`Fire` as it is shown."""

    reminder_shown = Signal(object)

    def __init__(self, ctx: Context, actions: ResidentActions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actions = actions
        self.tray: Tray | None = None
        self.reminder_window: ReminderWindow | None = None
        self.notifier = session_notifier(self)
        self.reminders = ReminderController(
            ctx.clock, ReminderStateStore(paths.reminder_state_file(), ctx.notices, ctx.clock),
            self.reminder_config, ctx.zone, ctx.diary.diary, ctx.notices, ctx.timers, self)
        self.reminders.remind.connect(self._show_reminder)
        self.reminders.changed.connect(self._reminder_moved)
        ctx.settings.subscribe(lambda _s, _c: self.reminders.refresh(), ["reminder"])

    def start(self) -> None:
        actions = self._actions
        # Made even where no tray shows it yet, wherever Qt puts it in a tray
        # that comes later (see TRAY_MAY_COME), as a panel does that starts
        # after the app at login. Without it, an app started there by
        # autostart had no icon all session.
        if actions.tray if actions.tray is not None else tray_may_come():
            self.tray = Tray(QIcon(str(resources.icon_path())), TrayActions(
                emergency=actions.emergency, bedtime=self.open_bedtime,
                snooze=self.snooze, skip=self.skip_tonight, pause=self.pause_until_tomorrow,
                resume=self.resume_reminders,
                settings=self.open_settings,
                show=actions.show, quit=actions.quit), self)
            self.tray.message_clicked.connect(self.open_bedtime)
            self.tray.opening.connect(self._reminder_moved)
            self.tray.show()
        self.reminders.start()

    def relabel(self) -> None:
        """A new language: the tray's menu and the reminder window say it."""
        if self.tray is not None:
            self.tray.relabel()
            self._reminder_moved()
        if self.reminder_window is not None:
            self.reminder_window.hide()
            self.reminder_window.deleteLater()
            self.reminder_window = None  # made again, in the new words, when next needed

    def stop(self) -> None:
        self.reminders.stop()
        self.notifier.close()
        if self.tray is not None:
            self.tray.hide()

    def reminder_config(self) -> ReminderConfig:
        try:
            return ReminderConfig.from_dict(dict(self._ctx.settings.current.reminder))
        except ValueError as exc:
            problem = str(exc)
            self._ctx.notices.post(
                "warning", lambda: _("The reminder settings are not usable ({problem}); the "
                                     "reminder is off until it is set again.").format(
                    problem=problem),
                key="reminder-config")
            return ReminderConfig()

    def routine_recorded(self, record: RoutineSession) -> None:
        if record.completed:
            self.reminders.routine_completed(record.routine_id, record.started)

    # -- closing the window -------------------------------------------------------

    def shown_tray(self) -> Tray | None:
        """The icon, if a tray shows it now; asked each time, as one may come
        or go."""
        if self.tray is not None and (self._actions.tray or tray_available()):
            return self.tray
        return None

    def keeps_running(self) -> bool:
        return self.shown_tray() is not None or self.reminder_config().enabled

    def window_closing(self) -> bool:
        """True if the app should live on hidden (tray, or a reminder to keep)."""
        if not self.keeps_running():
            return False
        ctx = self._ctx
        if self.shown_tray() is None and not ctx.settings.current.tray_notice_shown:
            ctx.settings.update(tray_notice_shown=True)
            ctx.notices.post("info", lambda: _("This desktop has no system tray, so Cramp Coach "
                                       "keeps running after its window is closed: your "
                                       "bedtime reminder will appear as a small window. To "
                                       "stop it, use Quit ({keys}).").format(
                                           keys=shortcuts.shown(shortcuts.QUIT)),
                             key="no-tray")
        return True

    # -- the reminder -------------------------------------------------------------

    def _reminder_moved(self) -> None:
        """The tray's words for the next reminder. Not for an icon no tray
        shows: wording a date loads the language's calendar data (about 6 MB
        for the whole run); one that comes later has them when its menu opens."""
        tray = self.shown_tray()
        if tray is None:
            return
        fire = self.reminders.next_fire
        tray.set_next(next_reminder(fire, self._ctx.zone()), self.reminders.can_snooze(),
                      reminder_set=fire is not None)
        tray.set_paused(self.reminders.paused())

    def _bedtime_minutes(self) -> int | None:
        try:
            plan = plan_for(self._ctx.content.library, BEDTIME_ROUTINE,
                            self._ctx.settings.current)
        except KeyError:
            return None
        return minutes(plan)

    def _show_reminder(self, fire: Fire) -> None:
        self._ctx.cues.emit([Cue("reminder")])
        sentences = [_("Time for your bedtime stretch (a little late: the computer was "
                       "asleep).") if fire.kind == "late"
                     else _("Time for your bedtime stretch.")]
        length = self._bedtime_minutes()
        if length:
            sentences.append(ngettext("It takes about {n} minute.",
                                      "It takes about {n} minutes.", length).format(n=length))
        text = " ".join(sentences)
        actions = bedtime_actions(self.open_bedtime, lambda: self.open_bedtime(start=False),
                                  self._while_current(fire, self.snooze)
                                  if self.reminders.can_snooze() else None,
                                  self._while_current(fire, self.skip_tonight))
        if not self.notifier.show(_("Bedtime stretch"), text, actions,
                                  failed=lambda: self._show_fallback(text)):
            self._show_fallback(text)
        self._reminder_moved()
        self.reminder_shown.emit(fire)

    def _while_current(self, fire: Fire, act: Callable[_P, None]) -> Callable[_P, None]:
        """A notification stays on the desktop until dismissed: its Snooze or
        Skip pressed the next morning would act on the coming night (skip it,
        or remind in ten minutes, in the afternoon). Then it does nothing but
        go, and says so."""
        def guarded(*args: _P.args, **kwargs: _P.kwargs) -> None:
            if not self.reminders.night_over(fire):
                act(*args, **kwargs)
                return
            self.notifier.close()
            self._ctx.notices.post("info", lambda: _(
                "That reminder was for a night that is over; tonight's reminder is unchanged."))
        return guarded

    def _show_fallback(self, text: str) -> None:
        """No notification with buttons: the tray's balloon, else the window."""
        tray = self.shown_tray()
        if tray is not None:
            tray.notify(_("Bedtime stretch"), " ".join((text, _("Click to start."))))
        else:
            if self.reminder_window is None:
                self.reminder_window = ReminderWindow(self.open_bedtime, self.snooze,
                                                      self.skip_tonight,
                                                      self.pause_until_tomorrow)
            self.reminder_window.present(text, self.reminders.can_snooze())

    def open_bedtime(self, start: bool = True) -> None:
        """Every "Start" of the reminder (its button, the tray's item, the
        balloon that says "Click to start") starts the routine, with its
        get-ready: the person chose to start, so no second Start. A click on
        the notification itself opens it ready (``start`` False), with Snooze
        and Skip at hand until it begins."""
        self.notifier.close()
        flow = self._actions.routines()
        flow.open_routine(BEDTIME_ROUTINE, start=start)
        if flow.player is not None:
            flow.player.offer_reminder_actions(
                snooze=self.snooze if self.reminders.can_snooze() else None,
                skip=self.skip_tonight)

    def snooze(self, minutes: int) -> None:
        problem = self.reminders.snooze(minutes)
        if problem:
            self._ctx.notices.post("info", problem)
        else:
            self.notifier.close()
            self._leave_waiting_routine()

    def skip_tonight(self) -> None:
        self.reminders.skip_tonight()
        self.notifier.close()
        self._ctx.notices.post("info", lambda: _("No more reminders tonight. Sleep well."))
        self._leave_waiting_routine()

    def pause_until_tomorrow(self) -> None:
        self.reminders.pause_until_tomorrow()
        self.notifier.close()
        # With Undo at hand: the menu item is right next to Skip tonight.
        self._ctx.navigation.offer(lambda: _("Reminders are paused until tomorrow morning."),
                                   lambda: _("Undo"), self.resume_reminders)
        self._leave_waiting_routine()

    def resume_reminders(self) -> None:
        if not self.reminders.paused():
            return  # undone already (from the tray or the window)
        self.reminders.resume()
        self._ctx.notices.post("info", lambda: _("Reminders are back on."))

    def _leave_waiting_routine(self) -> None:
        flow = self._actions.routines()
        if flow.waiting_to_start():
            flow.discard_player()
            self._ctx.navigation.home()

    # -- settings -------------------------------------------------------------------

    def open_settings(self) -> None:
        """Whatever depends on a setting follows it by subscription; only the
        reminder needs a catch-up under the old times before the new ones."""
        ctx = self._ctx
        settings = ctx.settings.current
        if settings.voice:
            ctx.cues.prepare()  # so the sentence says what the voice really is
        # In the app's language: the one the cues are spoken in.
        note = voice_status(ctx.cues.speaker if settings.voice else None, i18n.current())
        autostart = self._actions.autostart()
        try:
            autostart_on = autostart.is_enabled()
        except OSError:
            autostart_on = settings.autostart
        reminder = self.reminder_config()
        dialog = SettingsDialog(settings, reminder, autostart_on, note,
                                ctx.navigation.parent(), shortcut=self._actions.shortcut(),
                                tray=self.tray is not None)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        choices = dialog.choices()
        first_reminder = choices.reminder.enabled and not self.reminder_config().enabled
        self.reminders.refresh()
        chosen: dict[str, object] = dict(
            theme=choices.theme, sound=choices.sound, voice=choices.voice,
            get_ready_seconds=choices.get_ready_seconds, auto_advance=choices.auto_advance,
            profile=choices.profile, medicines_started=choices.medicines_started,
            country=choices.country, emergency_numbers=choices.emergency_numbers,
            same_day_help=choices.same_day_help, language=choices.language)
        shown = {name: getattr(settings, name) for name in chosen}
        chosen["reminder"], shown["reminder"] = choices.reminder.to_dict(), reminder.to_dict()
        # Only what the person changed: the rest may have been changed on disk
        # meanwhile ("cramp-coach reminder set" in a terminal), and saving the
        # dialog's copy of it would quietly undo that.
        changed = {name: value for name, value in chosen.items() if value != shown[name]}
        if changed:
            ctx.settings.update(**changed)
        self.set_autostart(choices.autostart, autostart_on)
        if (first_reminder and not ctx.settings.current.autostart_offered
                and not choices.autostart):
            self.offer_autostart()

    def set_autostart(self, wanted: bool, current: bool) -> None:
        if wanted == current:
            return
        autostart = self._actions.autostart()
        try:
            if wanted:
                autostart.enable()
            else:
                autostart.disable()
        except OSError as exc:
            problem = exc.strerror or str(exc)
            self._ctx.notices.post("error", lambda: _("Start at login could not be changed: "
                                                      "{problem}.").format(problem=problem))
            return
        self._ctx.settings.update(autostart=wanted)

    def offer_autostart(self) -> None:
        """Offered once, after the first reminder is set: a reminder only comes
        while Cramp Coach is running."""
        self._ctx.settings.update(autostart_offered=True)
        # Without a tray (and none to come: see start), it runs unseen.
        question = (_("Your bedtime reminder only comes while Cramp Coach is running. Start "
                      "it quietly in the tray each time you log in?") if self.tray is not None
                    else _("Your bedtime reminder only comes while Cramp Coach is running. "
                           "Start it quietly each time you log in?"))
        answer = QMessageBox.question(self._ctx.navigation.parent(), _("Start at login?"),
                                      question)
        if answer == QMessageBox.StandardButton.Yes:
            self.set_autostart(True, False)

    def reload_settings(self) -> None:
        """Settings changed from outside (the command line): catch up under the
        old ones, then take them up (subscribers follow)."""
        self.reminders.refresh()
        self._ctx.settings.reload()
