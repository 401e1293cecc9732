"""Bedtime reminders as desktop notifications that can be answered where they
appear: Start routine, Snooze, Skip tonight, through the desktop's own
notification server (``org.freedesktop.Notifications`` on the session bus).

:class:`Notifier` is the whole interface the app sees. ``show`` answers False
when no server can offer buttons (none on the bus, no ``actions`` capability,
no session bus, Windows or macOS), so the caller falls back to the tray balloon
or the reminder window straight away; the person's choice comes back by running
the chosen :class:`Action`.

The bus is spoken with jeepney, not QtDBus: PySide6 turns every Python int into
a D-Bus int32, while ``Notify`` and ``CloseNotification`` take a uint32 id and
the urgency hint is a byte, so servers built on GDBus (dunst, GNOME Shell) or
QtDBus (Plasma) refuse the call ("Type of message '(sisssasa{sv}i)' does not
match expected type '(susssasa{sv}i)'"). jeepney marshals by explicit
signature; this module drives its socket from Qt's event loop, so nothing here
ever waits for the bus: the connection, the capability query and every call are
answered later, each call with a deadline.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeGuard

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from coach import APP_NAME, resources
from coach.core import paths
from coach.core.i18n import _, ngettext
from coach.core.schedule import QUICK_SNOOZE_MINUTES
from coach.services import activation
from coach.services.autostart import APP_ID

Message = Any
"""A jeepney message (jeepney has no type information)."""

SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
DEFAULT_ACTION = "default"
"""The key a server sends when the notification itself is clicked."""
URGENCY_NORMAL = 1
NEVER_EXPIRES = 0
REPLY_TIMEOUT_MS = 5000
"""A server that has not answered by then is treated as gone."""
NOTIFY_SIGNATURE = "susssasa{sv}i"


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    run: Callable[[], None]


class Notifier(Protocol):
    def show(self, title: str, body: str, actions: Sequence[Action],
             failed: Callable[[], None]) -> bool:
        """Show the one reminder notification, replacing the previous one.

        False when it cannot be shown with its actions; ``failed`` runs if it
        is lost later instead (the server refused it, went away before the
        person answered, or never replied)."""
        ...

    def close(self) -> None:
        """Withdraw it: the reminder was answered some other way."""
        ...


def bedtime_actions(start: Callable[[], None], open_ready: Callable[[], None],
                    snooze: Callable[[int], None] | None,
                    skip: Callable[[], None]) -> list[Action]:
    """The reminder's buttons; ``snooze`` is None once no snooze is left.
    Its button starts the routine; a click on the notification itself
    (the default action) opens it ready, with Snooze and Skip beside Start."""
    # Translators: what a click on the bedtime reminder's notification does
    # (most desktops do not show this label).
    actions = [Action(DEFAULT_ACTION, _("Open the routine"), open_ready),
               # Translators: a button of the bedtime reminder's notification.
               Action("start", _("Start routine"), start)]
    if snooze is not None:
        # Translators: a button of the bedtime reminder's notification; "min" is minutes.
        actions.append(Action("snooze", ngettext("Snooze {minutes} min", "Snooze {minutes} min",
                                                 QUICK_SNOOZE_MINUTES).format(
                                                     minutes=QUICK_SNOOZE_MINUTES),
                              lambda: snooze(QUICK_SNOOZE_MINUTES)))
    # Translators: a button of the bedtime reminder's notification.
    actions.append(Action("skip", _("Skip tonight"), skip))
    return actions


class NoNotifier:
    """No session bus here: every reminder takes the fallback."""

    def show(self, title: str, body: str, actions: Sequence[Action],
             failed: Callable[[], None]) -> bool:
        return False

    def close(self) -> None:
        return None


def session_bus_path(environ: Mapping[str, str] = os.environ) -> str | None:
    """The session bus's socket as libdbus finds it (the address in the
    environment, else ``$XDG_RUNTIME_DIR/bus``), but never by autolaunch: that
    would start a private bus no notification server listens on."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        try:
            return str(next(_jeepney().bus.get_connectable_addresses(address)))
        except (RuntimeError, ValueError, StopIteration):
            return None
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime, "bus").is_socket():
        return str(Path(runtime, "bus"))
    return None


def session_notifier(parent: QObject | None = None) -> Notifier:
    """The notifier for this desktop, connecting in the background."""
    if not paths.is_xdg():  # the notification spec is freedesktop.org's
        return NoNotifier()
    try:
        _jeepney()
    except ImportError:  # a build without the Linux-only dependency
        return NoNotifier()
    path = session_bus_path()
    return NoNotifier() if path is None else DBusNotifier(path, parent)


class DBusNotifier(QObject):
    """One private connection to the session bus, read through a socket
    notifier. Answers are matched by serial, and signals are taken only from
    the server's own unique name and for the id it gave our notification:
    ``ActionInvoked`` and ``NotificationClosed`` of other apps' notifications
    can reach us too."""

    def __init__(self, bus_path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        jeepney = _jeepney()
        self._auth = jeepney.auth.Authenticator()
        self._parser = jeepney.Parser()
        self._out = bytearray()
        self._serial = 0
        self._replies: dict[int, tuple[Callable[[Message | None], None], QTimer]] = {}
        self._server: str | None = None
        self._capabilities: frozenset[str] | None = None
        self._asking = False
        self._latest: int | None = None
        """Serial of the newest Notify still awaiting its id."""
        self._shown: int | None = None
        """The server's id for our newest notification."""
        self._on_screen = False
        self._close_wanted = False
        self._actions: dict[str, Callable[[], None]] = {}
        self._token: str | None = None
        """The server's activation token for the action being chosen: it
        comes just before ``ActionInvoked`` (spec 1.2), and lets the window
        the action opens come to the front on Wayland."""
        self._failed: Callable[[], None] | None = None
        self._sock: socket.socket | None = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.setblocking(False)
        try:
            self._sock.connect(bus_path)
        except OSError:
            self._sock.close()
            self._sock = None
            return
        fd = self._sock.fileno()
        self._reader = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._readable)
        self._writer = QSocketNotifier(fd, QSocketNotifier.Type.Write, self)
        self._writer.setEnabled(False)
        self._writer.activated.connect(self._flush)
        self._write(self._auth.data_to_send())

    @property
    def capabilities(self) -> frozenset[str] | None:
        """What the server said it can do; None until it has answered."""
        return self._capabilities

    @property
    def showing(self) -> int | None:
        """The server's id for our notification while it is on screen."""
        return self._shown if self._on_screen else None

    # -- Notifier ------------------------------------------------------------------

    def show(self, title: str, body: str, actions: Sequence[Action],
             failed: Callable[[], None]) -> bool:
        if self._capabilities is None:
            self._ask_capabilities()  # for the next reminder: a server may start later
            return False
        if "actions" not in self._capabilities:
            return False
        flat = [text for action in actions for text in (action.key, action.label)]
        hints = {"urgency": ("y", URGENCY_NORMAL), "desktop-entry": ("s", APP_ID)}
        replaces = self.showing or 0
        self._actions = {action.key: action.run for action in actions}
        self._failed = failed
        self._close_wanted = False
        serial = self._next_serial()
        self._latest = serial
        self._call(serial, "Notify", NOTIFY_SIGNATURE,
                   (APP_NAME, replaces, resources.icon_path().as_uri(), title, body, flat,
                    hints, NEVER_EXPIRES),
                   lambda reply: self._notified(serial, reply))
        return True

    def close(self) -> None:
        self._actions = {}
        self._failed = None
        if self._latest is not None:
            self._close_wanted = True
        elif self.showing is not None:
            self._on_screen = False
            self._call(self._next_serial(), "CloseNotification", "u", (self._shown,))

    # -- replies and signals ------------------------------------------------------------

    def _ask_capabilities(self) -> None:
        if self._asking or self._sock is None or not self._auth.authenticated:
            return
        self._asking = True
        self._call(self._next_serial(), "GetCapabilities", None, (), self._got_capabilities)

    def _got_capabilities(self, reply: Message | None) -> None:
        self._asking = False
        if _succeeded(reply):
            self._server = _sender(reply)
            self._capabilities = frozenset(reply.body[0])

    def _notified(self, serial: int, reply: Message | None) -> None:
        if serial != self._latest:
            # Overtaken by a newer reminder: this one must not linger.
            if _succeeded(reply):
                self._call(self._next_serial(), "CloseNotification", "u", (reply.body[0],))
            return
        self._latest = None
        if not _succeeded(reply):
            self._give_up()
            return
        self._server = _sender(reply)
        self._shown, self._on_screen = reply.body[0], True
        if self._close_wanted:
            self._close_wanted = False
            self.close()

    def _signal(self, message: Message) -> None:
        HeaderFields = _jeepney().HeaderFields
        fields = message.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        signature = fields.get(HeaderFields.signature)
        sender = fields.get(HeaderFields.sender)
        if (interface, member, signature) == ("org.freedesktop.DBus", "NameOwnerChanged",
                                              "sss"):
            if sender == "org.freedesktop.DBus" and message.body[0] == SERVICE:
                self._server_changed(message.body[2])
            return
        if interface != SERVICE or sender is None or sender != self._server:
            return
        if (member, signature) == ("ActivationToken", "us"):
            if message.body[0] == self._shown:
                self._token = message.body[1]
        elif (member, signature) == ("ActionInvoked", "us"):
            self._invoked(message.body[0], message.body[1])
        elif (member, signature) == ("NotificationClosed", "uu") and \
                message.body[0] == self._shown:
            self._on_screen = False

    def _invoked(self, notification: int, key: str) -> None:
        if notification != self._shown or not self._actions:
            return
        run = self._actions.get(key)
        token, self._token = self._token, None
        # Answered: it goes. The spec says the server removes it, but dunst
        # leaves it up after an action chosen with `dunstctl action`.
        self.close()
        if run is not None:
            activation.use(token)
            run()

    def _server_changed(self, owner: str) -> None:
        """A server started, was replaced or went away: what we knew of it no
        longer holds, and a reminder still waiting on it is lost."""
        self._server = owner or None
        self._capabilities = None
        if self._on_screen or self._latest is not None:
            self._on_screen = False
            self._latest = None
            self._give_up()
        if owner:
            self._ask_capabilities()

    def _give_up(self) -> None:
        failed, self._failed = self._failed, None
        self._actions = {}
        if failed is not None:
            failed()

    # -- the connection ---------------------------------------------------------------

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _call(self, serial: int, member: str, signature: str | None, body: tuple[Any, ...],
              on_reply: Callable[[Message | None], None] | None = None) -> None:
        jeepney = _jeepney()
        address = jeepney.DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=SERVICE)
        self._send(jeepney.new_method_call(address, member, signature, body), serial, on_reply)

    def _send(self, message: Message, serial: int,
              on_reply: Callable[[Message | None], None] | None) -> None:
        if on_reply is not None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._answered(serial, None))
            timer.start(REPLY_TIMEOUT_MS)
            self._replies[serial] = (on_reply, timer)
        if self._sock is None:
            QTimer.singleShot(0, self, lambda: self._answered(serial, None))
            return
        self._write(message.serialise(serial))

    def _answered(self, serial: int, reply: Message | None) -> None:
        pending = self._replies.pop(serial, None)
        if pending is None:
            return
        on_reply, timer = pending
        timer.stop()
        timer.deleteLater()
        on_reply(reply)

    def _write(self, data: bytes) -> None:
        self._out += data
        self._flush()

    def _flush(self) -> None:
        while self._out and self._sock is not None:
            try:
                sent = self._sock.send(self._out)
            except BlockingIOError:
                self._writer.setEnabled(True)
                return
            except OSError:
                QTimer.singleShot(0, self, self._lost)
                return
            del self._out[:sent]
        if self._sock is not None:
            self._writer.setEnabled(False)

    def _readable(self) -> None:
        if self._sock is None:
            return
        try:
            data = self._sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
            return
        if not self._auth.authenticated:
            self._authenticate(data)
            return
        jeepney = _jeepney()
        for message in self._parser.feed(data):
            kind = message.header.message_type
            if kind in (jeepney.MessageType.method_return, jeepney.MessageType.error):
                self._answered(message.header.fields.get(jeepney.HeaderFields.reply_serial, 0),
                               message)
            elif kind is jeepney.MessageType.signal:
                self._signal(message)

    def _authenticate(self, data: bytes) -> None:
        jeepney = _jeepney()
        try:
            self._auth.feed(data)
        except jeepney.AuthenticationError:
            self._lost()
            return
        if not self._auth.authenticated:
            self._write(self._auth.data_to_send() or b"")
            return
        self._write(jeepney.auth.BEGIN)
        self._send(jeepney.message_bus.Hello(), self._next_serial(), None)
        ours = jeepney.MatchRule(type="signal", sender=SERVICE, interface=SERVICE, path=OBJECT_PATH)
        owner = jeepney.MatchRule(type="signal", sender="org.freedesktop.DBus",
                          interface="org.freedesktop.DBus", member="NameOwnerChanged",
                          path="/org/freedesktop/DBus")
        owner.add_arg_condition(0, SERVICE)
        for rule in (ours, owner):
            self._send(jeepney.message_bus.AddMatch(rule), self._next_serial(), None)
        self._ask_capabilities()

    def _lost(self) -> None:
        """The bus connection is gone: so are the server and its notifications."""
        if self._sock is None:
            return
        self._reader.setEnabled(False)
        self._writer.setEnabled(False)
        self._sock.close()
        self._sock = None
        self._out.clear()
        self._server_changed("")
        for serial in list(self._replies):
            self._answered(serial, None)


def _jeepney() -> Any:
    """jeepney, imported on first use so that the app still runs (on its
    fallbacks) where it is not installed."""
    import jeepney.auth
    import jeepney.bus

    return jeepney


def _succeeded(reply: Message | None) -> TypeGuard[Message]:
    return (reply is not None
            and reply.header.message_type is _jeepney().MessageType.method_return)


def _sender(reply: Message) -> str | None:
    sender = reply.header.fields.get(_jeepney().HeaderFields.sender)
    return sender if isinstance(sender, str) else None
