"""A stand-in desktop notification server for the tests, run as its own
process on a private session bus: ``python -m tests.notification_server
ADDRESS [--capabilities actions,body] [--refuse-notify] [--mute]``.

It owns ``org.freedesktop.Notifications`` and checks every call's signature as
GDBus servers (dunst, GNOME Shell) do, so a uint32 sent as an int32 is refused
here too. It records every call with its arguments exactly as they came over
the wire (a hint's value keeps its D-Bus type), closes and replaces
notifications like a real server, and emits ``ActionInvoked`` to the whole bus
(as older servers do) when a test asks, so the client must tell its own
notification from others.

The test drives it through ``org.crampcoach.TestServer`` at ``/``: ``Calls()``
returns the record as JSON and ``Invoke(id, key)`` plays the person choosing
an action. With ``--mute`` it records calls but never answers them: a hung server.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    Message,
    MessageType,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CONTROL = "org.crampcoach.TestServer"
SIGNATURES = {"GetCapabilities": "", "GetServerInformation": "", "CloseNotification": "u",
              "Notify": "susssasa{sv}i", "Calls": "", "Invoke": "us"}
DISMISSED, CLOSED_BY_CALL = 2, 3


class Server:
    def __init__(self, capabilities: list[str], refuse_notify: bool) -> None:
        self.capabilities = capabilities
        self.refuse_notify = refuse_notify
        self.calls: list[dict[str, Any]] = []
        self.open: set[int] = set()
        self.next_id = 1

    def handle(self, msg: Message) -> list[Message]:
        """The reply to ``msg`` and any signals it causes."""
        fields = msg.header.fields
        member = fields.get(HeaderFields.member)
        signature = fields.get(HeaderFields.signature, "")
        if member not in SIGNATURES:
            return [new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")]
        if signature != SIGNATURES[member]:
            return [new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                              (f"Type of message '({signature})' does not match expected "
                               f"type '({SIGNATURES[member]})'",))]
        if member == "Calls":
            return [new_method_return(msg, "s", (json.dumps(self.calls),))]
        if member == "Invoke":
            # As GNOME Shell does (spec 1.2): the token for the window the
            # action may open, then the action.
            notification, key = msg.body
            out = [self.signal("ActivationToken", "us", (notification, token_for(notification))),
                   self.signal("ActionInvoked", "us", (notification, key))]
            return [new_method_return(msg), *out, *self.closed(notification, DISMISSED)]
        self.calls.append({"member": member, "sender": fields.get(HeaderFields.sender),
                           "args": _jsonable(msg.body)})
        if member == "GetCapabilities":
            return [new_method_return(msg, "as", (self.capabilities,))]
        if member == "GetServerInformation":
            return [new_method_return(msg, "ssss", ("fake", "cramp-coach tests", "1", "1.2"))]
        if member == "CloseNotification":
            (notification,) = msg.body
            return [new_method_return(msg), *self.closed(notification, CLOSED_BY_CALL)]
        if self.refuse_notify:
            return [new_error(msg, "org.freedesktop.DBus.Error.Failed", "s", ("refused",))]
        replaces = msg.body[1]
        notification = replaces if replaces in self.open else self.next_id
        if notification == self.next_id:
            self.next_id += 1
        self.open.add(notification)
        self.calls[-1]["id"] = notification
        return [new_method_return(msg, "u", (notification,))]

    def closed(self, notification: int, reason: int) -> list[Message]:
        if notification not in self.open:
            return []
        self.open.discard(notification)
        return [self.signal("NotificationClosed", "uu", (notification, reason))]

    @staticmethod
    def signal(name: str, signature: str, body: tuple[Any, ...]) -> Message:
        return new_signal(DBusAddress(PATH, interface=SERVICE), name, signature, body)


def token_for(notification: int) -> str:
    """The activation token the stand-in gives with an action on ``notification``."""
    return f"stand-in-token-{notification}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("address")
    parser.add_argument("--capabilities", default="actions,body")
    parser.add_argument("--refuse-notify", action="store_true")
    parser.add_argument("--mute", action="store_true")
    args = parser.parse_args()
    server = Server([c for c in args.capabilities.split(",") if c], args.refuse_notify)
    with open_dbus_connection(args.address) as connection:
        connection.send_and_get_reply(message_bus.RequestName(CONTROL), timeout=5)
        connection.send_and_get_reply(message_bus.RequestName(SERVICE), timeout=5)
        while True:
            msg = connection.receive()
            if msg.header.message_type is not MessageType.method_call:
                continue
            replies = server.handle(msg)
            if args.mute and msg.header.fields.get(HeaderFields.interface) == SERVICE:
                continue  # recorded, never answered
            for out in replies:
                connection.send(out)


if __name__ == "__main__":
    main()
