"""Spoken instructions, in the language of the words, or none at all.

Two engines, tried in this order by :func:`make_speaker`:

1. speech-dispatcher, the speech service Linux desktops already run for their
   screen reader (:class:`SpeechDispatcherSpeaker`). It is reached through its
   SSIP socket, so there is nothing to download: one connection for the whole
   session, no process per sentence, and begin and end events, so
   ``speaking`` is what is being heard rather than a guess.
2. QtTextToSpeech (:class:`QtSpeaker`), from the 200 MB PySide6-Addons wheel
   (``pip install 'cramp-coach[voice]'``): the voices of Windows and macOS.

A voice is chosen for the language of the text being said, never for the
desktop's locale (under C.UTF-8, Qt once read the English instructions with a
Bishnupriya Manipuri voice). Russian read by an English voice is noise to a
half-asleep listener, so when no voice for a language is installed,
``can_speak`` says so and the cue dispatcher plays the cue's sound instead.

Nothing here may stop the app or hold up its GUI thread: no engine, a server
that will not start or that dies, no synthesiser behind it, all end as
``available`` (or ``can_speak``) False with a ``reason`` in plain words for
Settings, logged once. Qt is imported only inside :class:`QtSpeaker`, so the
CLI and the core's tests import this module without Qt.
"""

from __future__ import annotations

import collections
import contextlib
import getpass
import importlib
import importlib.util
import logging
import math
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from coach.core.i18n import N_, _
from coach.core.model import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)

# Why a speaker cannot speak (its ``reason``) is a phrase for a sentence in
# Settings ("Instructions are not read aloud: ..."). The constants here are in
# English, marked for the catalogue; a speaker's reason is worded in the app's
# language when it fails, since most reasons carry details.
VOICE_OFF = N_("spoken instructions are switched off")
"""The switched-off speaker's reason: never shown (Settings says what
switching on would give instead), so it stays in English to compare with."""
VOICE_ADDON_MISSING = N_("the voice add-on is not installed "
                         "(pip install 'cramp-coach[voice]' brings PySide6-Addons)")
# Translators: keep the commands as they are.
INSTALL_VOICE = (N_("install speech-dispatcher and espeak-ng (on Debian or Ubuntu: "
                    "sudo apt install speech-dispatcher espeak-ng)")
                 if sys.platform.startswith("linux")
                 else N_("pip install 'cramp-coach[voice]' adds Qt's text-to-speech"))
"""What to do when this machine has no voice at all."""
# Translators: {install} says what to install, e.g. "install speech-dispatcher and espeak-ng".
_NO_ENGINE = N_("no speech engine is installed: {install}")
NO_ENGINE = _NO_ENGINE.format(install=INSTALL_VOICE)
"""In English; a speaker's reason says it in the app's language (:func:`no_engine`)."""

LANGUAGE_NAMES = {
    # Translators: a language's name, in "Instructions are read aloud in {language}"
    # and "No {language} voice is installed".
    "en": N_("English"),
    "ru": N_("Russian"),
}
"""The languages the content is written in, for the sentence in Settings
(in English: translated where shown)."""


def no_engine() -> str:
    """:data:`NO_ENGINE` in the app's language."""
    return _(_NO_ENGINE).format(install=_(INSTALL_VOICE))


class Speaker(Protocol):
    @property
    def available(self) -> bool:
        """False when nothing can be spoken, so callers rely on sound and text."""
        ...

    @property
    def speaking(self) -> bool:
        """True while words are being synthesised or spoken, or wait their turn."""
        ...

    @property
    def reason(self) -> str | None:
        """Why nothing can be spoken, in words for Settings; None when available."""
        ...

    def can_speak(self, language: str) -> bool:
        """Whether a working voice for ``language`` (a code such as "en" or "ru")
        is installed. Never true for a voice of another language: words the
        listener cannot understand are worse than the cue's sound."""
        ...

    def say(self, text: str, *, language: str = DEFAULT_LANGUAGE, queue: bool = False) -> None:
        """Speak ``text`` with a voice for ``language``, cutting off anything still
        being spoken (the newer instruction is the one that matches the screen),
        or with ``queue`` after it. Says nothing when :meth:`can_speak` is False
        for the language; never raises."""
        ...

    def stop(self) -> None:
        """Fall silent at once, dropping anything queued."""
        ...


def language_code(language: str) -> str:
    """The primary language subtag ("en" of "en-GB" or "en_US"), lower case."""
    return re.split(r"[-_]", language.strip(), maxsplit=1)[0].lower()


def locale_territory(language: str) -> str | None:
    """The territory of the user's locale ("US" of en_US.UTF-8) when the locale
    is in ``language``: an American hears an American voice for English, but
    Russian is still read by a Russian voice."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            code = value.split(".")[0].split("@")[0]
            locale_language, _sep, territory = code.partition("_")
            if locale_language.lower() == language and territory.isalpha():
                return territory.upper()
            return None
    return None


# -- speech-dispatcher ---------------------------------------------------------------

SPAWN_TIMEOUT_S = 15.0
"""``speech-dispatcher --spawn`` returns once the server listens; it loads every
synthesiser first, which can take seconds on an old machine."""
CONNECT_TIMEOUT_S = 5.0
"""How long a server that said it started may take to accept connections."""
REPLY_TIMEOUT_S = 10.0
"""Listing the voices asks the synthesiser, which takes about 0.3 s; a server
that has not answered a command in this long is stuck."""
START_WITHIN_S = 10.0
"""How long the server may take to begin a sentence, beyond the longest that
the sentences queued before it may take."""
FINISH_GRACE_S = 5.0
SECONDS_PER_WORD = 1.0
"""A sentence must end within ``FINISH_GRACE_S + SECONDS_PER_WORD * words`` of
its start (about three times as long as a default voice takes). When the sound
output fails, speech-dispatcher reports the start and never the end; without
this limit ``speaking`` would stay true and hold every cue back for good."""

_NOT_FINISHED = N_("speech-dispatcher started speaking but never finished, so its sound "
                   "output is probably not working")
_NOT_STARTED = N_("speech-dispatcher did not start speaking")
_SERVER_PREFIX = re.compile(r"^\[[^]]*\]\s*speechd:\s*")
_SERVER_STARTING = re.compile(r"^Speech Dispatcher \S+ starting$")
_HUNG_UP = N_("speech-dispatcher stopped (it closed the connection)")


def speechd_socket() -> Path | None:
    """Where speech-dispatcher listens for this user, found as its own client
    library finds it. None when ``SPEECHD_ADDRESS`` names a network address:
    this app opens local sockets only."""
    address = os.environ.get("SPEECHD_ADDRESS", "").strip()
    if address:
        method, _sep, path = address.partition(":")
        if method != "unix_socket":
            return None
        if path:
            return Path(path)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        try:
            runtime = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(runtime) / "speech-dispatcher" / "speechd.sock"


def speech_dispatcher_installed() -> bool:
    """Whether speech-dispatcher is here to try: installed, or already listening."""
    if shutil.which("speech-dispatcher") is not None:
        return True
    path = speechd_socket()
    return path is not None and path.exists()


def voice_tags(voices: Sequence[str]) -> dict[str, str]:
    """From ``LIST SYNTHESIS_VOICES`` lines (``name<TAB>language<TAB>variant``):
    each language code a voice exists for, and the language to ask the server
    for. That is the code itself, so the synthesiser picks its own default
    voice for the language, or the locale's dialect of it when there is a voice
    for that (``en-US``); never a tag of another language."""
    found: dict[str, dict[str, str]] = {}
    for line in voices:
        fields = line.split("\t") if "\t" in line else line.rsplit(" ", 2)
        if len(fields) < 2:
            continue
        tag = fields[1].strip()
        code = language_code(tag)
        if code.isalpha():
            found.setdefault(code, {})[tag.lower()] = tag
    chosen: dict[str, str] = {}
    for code, tags in found.items():
        region = locale_territory(code)
        dialect = f"{code}-{region}".lower() if region else None
        chosen[code] = tags[dialect] if dialect in tags else tags.get(code, code)
    return chosen


def _broke(exc: OSError) -> str:
    # Translators: {error} is the system's own message.
    return _("the connection to speech-dispatcher broke ({error})").format(error=exc)


class _Closed(Exception):
    """The connection is gone or useless; the message says why, for people."""


class _Refused(Exception):
    """The server answered a command with an error."""


@dataclass(eq=False)
class _Utterance:
    text: str
    tag: str
    queue: bool
    msg_id: int | None = None
    deadline: float = math.inf
    begun: bool = False


_CANCEL = object()
_QUIT = object()
_STARTING, _READY, _FAILED = "starting", "ready", "failed"


@dataclass(eq=False)
class _Shared:
    """What the GUI thread reads and the connection thread writes, under ``lock``."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    state: str = _STARTING
    reason: str | None = field(default_factory=lambda: _("speech-dispatcher is still starting"))
    tags: dict[str, str] = field(default_factory=dict)
    pending: list[_Utterance] = field(default_factory=list)
    """Sentences said and not yet ended or cancelled, oldest first."""
    requests: collections.deque[object] = field(default_factory=collections.deque)
    """_Utterance, _CANCEL or _QUIT, for the connection thread to send."""


class _Connection:
    """The SSIP connection and the thread that alone reads and writes it.

    SSIP is synchronous (one command, one reply), but event notifications
    (begin, end, cancelled) arrive between replies at any time, so one thread
    owns the socket: it connects (starting the server if need be), sends what
    the GUI thread queued, and reads events as they come. The GUI thread only
    takes a lock for a few assignments and writes a byte to wake this thread.
    It holds no reference to the speaker, so a speaker nobody uses any more
    is collected and its finaliser ends the connection.
    """

    def __init__(self, shared: _Shared, path: Path | None, custom_path: bool,
                 server: Sequence[str]) -> None:
        self._shared = shared
        self._path = path
        self._custom_path = custom_path
        self._server = tuple(server)
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        self._language: str | None = None
        self._by_id: dict[int, _Utterance] = {}
        self._closing = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_w.setblocking(False)
        self.thread = threading.Thread(target=self._run, name="speech-dispatcher",
                                       daemon=True)
        self.thread.start()

    def wake(self) -> None:
        # A full buffer means it is awake already; no reader, that it has ended.
        with contextlib.suppress(OSError):
            self._wake_w.send(b"\0")

    def close(self) -> None:
        shared = self._shared
        with shared.lock:
            shared.pending.clear()
            shared.requests.append(_QUIT)
            if shared.state != _FAILED:
                shared.state, shared.reason = _FAILED, _("the voice was switched off")
        self._closing.set()
        self.wake()

    # -- the connection thread ----------------------------------------------------

    def _run(self) -> None:
        try:
            self._connect()
            self._greet()
            self._serve()
        except _Closed as exc:
            self._fail(str(exc))
        except Exception:  # a bug here must cost the voice, never the app
            log.exception("The speech-dispatcher connection failed")
            self._fail(_("the voice stopped after an unexpected error"))
        finally:
            if self._sock is not None:
                self._sock.close()
            # The writing end stays open for a GUI thread that may be about
            # to wake us; a wake-up that finds no reader is ignored.
            self._wake_r.close()

    def _fail(self, reason: str) -> None:
        shared = self._shared
        with shared.lock:
            if shared.state == _FAILED:  # closed on purpose, or already failed
                return
            first = shared.state == _READY
            shared.state, shared.reason = _FAILED, reason
            shared.pending.clear()
        if first:
            log.warning("Speech stopped working: %s", reason)
        else:
            log.info("Speech is unavailable: %s", reason)

    def _connect(self) -> None:
        path = self._path
        if path is None:
            raise _Closed(_("SPEECHD_ADDRESS names a network address, and Cramp Coach only "
                            "uses local sockets"))
        if self._try_connect(path):
            return
        self._spawn(path)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while not self._try_connect(path):
            if time.monotonic() > deadline:
                raise _Closed(_("speech-dispatcher said it started but does not accept "
                                "connections"))
            if self._closing.wait(0.05):
                raise _Closed(_("the voice was switched off"))

    def _try_connect(self, path: Path) -> bool:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(REPLY_TIMEOUT_S)
        try:
            sock.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            return False  # not running (a refused socket is one left by a server that ended)
        except OSError as exc:
            sock.close()
            # Translators: {reason} is the system's reason, e.g. "Connection refused".
            raise _Closed(_("speech-dispatcher cannot be reached at {path}: {reason}").format(
                path=path, reason=exc.strerror or exc)) from exc
        self._sock = sock
        return True

    def _spawn(self, path: Path) -> None:
        """Start the server as its own client library does: it returns once the
        server is ready, or refuses when the user's configuration disables
        starting on demand."""
        command = list(self._server)
        if self._custom_path:
            command += ["--communication-method", "unix_socket", "--socket-path", str(path)]
        status, said = self._run_server(command, dict(os.environ))
        if status != 0 and any("setlocale" in line for line in said):
            # The server will not start in a locale that is not installed (a
            # common state of containers and of hand-set LANG), though it needs
            # none: every sentence names its language.
            status, said = self._run_server(command, {**os.environ, "LC_ALL": "C.UTF-8"})
        if status != 0:
            # Its last words, when it wrote them here rather than to its log.
            lines = [_SERVER_PREFIX.sub("", line).strip() for line in said]
            detail = next((line for line in reversed(lines)
                           if line and not _SERVER_STARTING.match(line)),
                          _("exit status {code}; its log says why").format(code=status))
            # Translators: {detail} is speech-dispatcher's own last words, or why not.
            raise _Closed(_("speech-dispatcher could not start: {detail}").format(
                detail=detail))

    @staticmethod
    def _run_server(command: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
        """The exit status of the start command, and what it wrote."""
        try:
            with tempfile.TemporaryFile() as errors:
                # Output to a file, not a pipe: a server that kept our pipe
                # open would leave us waiting for its end.
                result = subprocess.run(command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=errors, env=env,
                                        timeout=SPAWN_TIMEOUT_S, start_new_session=True,
                                        check=False)
                errors.seek(0)
                return result.returncode, errors.read().decode("utf-8", "replace").splitlines()
        except FileNotFoundError as exc:
            raise _Closed(_("speech-dispatcher is not installed: {install}").format(
                install=_(INSTALL_VOICE))) from exc
        except subprocess.TimeoutExpired as exc:
            raise _Closed(_("speech-dispatcher took too long to start")) from exc
        except OSError as exc:
            # Translators: {reason} is the system's reason, e.g. "Permission denied".
            raise _Closed(_("speech-dispatcher could not be started: {reason}").format(
                reason=exc.strerror or exc)) from exc

    def _greet(self) -> None:
        user = re.sub(r"[^A-Za-z0-9_-]", "_", _user_name()) or "user"
        for command in (f"SET SELF CLIENT_NAME {user}:cramp-coach:instructions",
                        # "message": queued in order, never cut off by another
                        # client's chatter; our own replacements use CANCEL.
                        "SET SELF PRIORITY message",
                        "SET SELF NOTIFICATION BEGIN on",
                        "SET SELF NOTIFICATION END on",
                        "SET SELF NOTIFICATION CANCEL on"):
            self._must(command)
        try:
            voices = self._command("LIST SYNTHESIS_VOICES")
        except _Refused as exc:
            # Translators: {error} is speech-dispatcher's own message.
            raise _Closed(_("speech-dispatcher's synthesiser is not working ({error})").format(
                error=exc)) from exc
        tags = voice_tags([line[4:] for line in voices[:-1]])
        if not tags:
            raise _Closed(_("speech-dispatcher has no voices: install one, such as espeak-ng"))
        shared = self._shared
        with shared.lock:
            if shared.state == _FAILED:
                raise _Closed(_("the voice was switched off"))
            shared.tags, shared.state, shared.reason = tags, _READY, None
        log.info("Speaking through speech-dispatcher, with voices for %d languages", len(tags))

    def _serve(self) -> None:
        assert self._sock is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._sock, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                for key, _events in selector.select(self._time_to_deadline()):
                    if key.fileobj is self._wake_r:
                        self._wake_r.recv(4096)
                    else:
                        self._receive()
                while (block := self._take_block()) is not None:
                    self._event(block)
                self._check_deadlines()
                if not self._send_requests():
                    return

    def _send_requests(self) -> bool:
        """Send what the GUI thread asked for; False once asked to quit."""
        shared = self._shared
        while True:
            with shared.lock:
                if not shared.requests:
                    return True
                request = shared.requests.popleft()
            if request is _QUIT:
                self._quit()
                return False
            if request is _CANCEL:
                self._must("CANCEL SELF")
            elif isinstance(request, _Utterance):
                self._speak(request)

    def _speak(self, utterance: _Utterance) -> None:
        shared = self._shared
        with shared.lock:
            if utterance not in shared.pending:
                return  # stopped or replaced before its turn came
        try:
            if not utterance.queue:
                self._command("CANCEL SELF")
            if utterance.tag != self._language:
                self._command(f"SET SELF LANGUAGE {utterance.tag}")
                self._language = utterance.tag
            self._command("SPEAK")
            lines = utterance.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            body = "".join(("." + line if line.startswith(".") else line) + "\r\n"
                           for line in lines)
            reply = self._send(body + ".\r\n")
            msg_id = int(reply[0][4:]) if len(reply) > 1 else None
        except (_Refused, ValueError) as exc:
            log.warning("speech-dispatcher did not take a sentence: %s", exc)
            with shared.lock:
                if utterance in shared.pending:
                    shared.pending.remove(utterance)
            return
        with shared.lock:
            if utterance not in shared.pending:
                return
            ahead = shared.pending[:shared.pending.index(utterance)]
            utterance.deadline = (time.monotonic() + START_WITHIN_S
                                  + sum(_longest(earlier.text) for earlier in ahead))
            if msg_id is not None:
                utterance.msg_id = msg_id
                self._by_id[msg_id] = utterance

    def _quit(self) -> None:
        with contextlib.suppress(_Closed, _Refused):  # it is going away anyway
            self._command("QUIT")

    def _event(self, block: list[str]) -> None:
        if not block[-1].startswith("7") or len(block) < 2:
            return  # not an event: nothing else arrives unasked
        try:
            msg_id = int(block[0][4:])
        except ValueError:
            return
        kind = block[-1][:3]
        shared = self._shared
        with shared.lock:
            utterance = self._by_id.get(msg_id)
            if utterance is None:
                return
            if kind == "701":  # BEGIN
                utterance.begun = True
                utterance.deadline = time.monotonic() + _longest(utterance.text)
            elif kind in ("702", "703"):  # END, CANCELED
                del self._by_id[msg_id]
                if utterance in shared.pending:
                    shared.pending.remove(utterance)

    def _time_to_deadline(self) -> float | None:
        with self._shared.lock:
            nearest = min((u.deadline for u in self._shared.pending), default=math.inf)
        return None if nearest == math.inf else max(0.0, nearest - time.monotonic())

    def _check_deadlines(self) -> None:
        now = time.monotonic()
        with self._shared.lock:
            late = [u for u in self._shared.pending if u.deadline <= now]
        if late:
            raise _Closed(_(_NOT_FINISHED if late[0].begun else _NOT_STARTED))

    # -- SSIP ------------------------------------------------------------------------

    def _must(self, command: str) -> list[str]:
        try:
            return self._command(command)
        except _Refused as exc:
            # Translators: {command} is a command of speech-dispatcher's protocol (SPEAK);
            # {error} its answer.
            raise _Closed(_("speech-dispatcher refused {command} ({error})").format(
                command=command.split()[0], error=exc)) from exc

    def _command(self, command: str) -> list[str]:
        return self._send(command + "\r\n")

    def _send(self, data: str) -> list[str]:
        """Send ``data`` and return the reply, handling events that come first."""
        assert self._sock is not None
        try:
            self._sock.sendall(data.encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _Closed(_(_HUNG_UP)) from exc
        except OSError as exc:
            raise _Closed(_broke(exc)) from exc
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            block = self._take_block()
            if block is None:
                if time.monotonic() > deadline:
                    raise _Closed(_("speech-dispatcher stopped answering"))
                self._receive()
                continue
            if block[-1].startswith("7"):
                self._event(block)
                continue
            if block[-1][:1] not in ("1", "2"):
                raise _Refused(block[-1])
            return block

    def _receive(self) -> None:
        assert self._sock is not None
        try:
            data = self._sock.recv(1 << 16)
        except TimeoutError as exc:
            raise _Closed(_("speech-dispatcher stopped answering")) from exc
        except ConnectionResetError as exc:
            raise _Closed(_(_HUNG_UP)) from exc
        except OSError as exc:
            raise _Closed(_broke(exc)) from exc
        if not data:
            raise _Closed(_(_HUNG_UP))
        self._buffer += data

    def _take_block(self) -> list[str] | None:
        """One complete reply or event from the buffer: lines ``NNN-...`` up to
        the closing ``NNN ...``."""
        lines: list[str] = []
        start = 0
        while (end := self._buffer.find(b"\n", start)) >= 0:
            line = bytes(self._buffer[start:end]).rstrip(b"\r").decode("utf-8", "replace")
            start = end + 1
            lines.append(line)
            if line[3:4] != "-":
                del self._buffer[:start]
                return lines
        return None


def _longest(text: str) -> float:
    return FINISH_GRACE_S + SECONDS_PER_WORD * len(text.split())


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "user"


class SpeechDispatcherSpeaker:
    """Speech through speech-dispatcher's SSIP socket.

    Making one returns at once: the connection, starting the server when it
    is not running, and listing the voices (about half a second) happen on
    a background thread, and until they are done the speaker is not
    ``available``. Make it before the first instruction is due. Usable from
    any thread; every call only takes a lock for a few assignments.

    ``server`` is the command that starts the server on demand (a test adds
    its own configuration folder).
    """

    def __init__(self, server: Sequence[str] = ("speech-dispatcher", "--spawn")) -> None:
        address = os.environ.get("SPEECHD_ADDRESS", "")
        self._shared = _Shared()
        self._connection = _Connection(self._shared, speechd_socket(),
                                       custom_path=address.startswith("unix_socket:/"),
                                       server=server)
        weakref.finalize(self, self._connection.close)

    @property
    def starting(self) -> bool:
        """Still connecting: neither able to speak nor known not to be."""
        return self._shared.state == _STARTING

    @property
    def available(self) -> bool:
        return self._shared.state == _READY

    @property
    def speaking(self) -> bool:
        return bool(self._shared.pending)

    @property
    def reason(self) -> str | None:
        return self._shared.reason

    def can_speak(self, language: str) -> bool:
        shared = self._shared
        return shared.state == _READY and language_code(language) in shared.tags

    def say(self, text: str, *, language: str = DEFAULT_LANGUAGE, queue: bool = False) -> None:
        if not text.strip():
            return
        shared = self._shared
        with shared.lock:
            tag = shared.tags.get(language_code(language))
            if shared.state != _READY or tag is None:
                return
            utterance = _Utterance(text, tag, queue)
            if not queue:
                shared.pending.clear()
            shared.pending.append(utterance)
            shared.requests.append(utterance)
        self._connection.wake()

    def stop(self) -> None:
        shared = self._shared
        with shared.lock:
            if shared.state != _READY:
                return
            shared.pending.clear()
            shared.requests.append(_CANCEL)
        self._connection.wake()

    def close(self, timeout: float = 2.0) -> None:
        """End the connection (the server stays for its other clients)."""
        self._connection.close()
        self._connection.thread.join(timeout)


# -- QtTextToSpeech ------------------------------------------------------------------


def qt_speech_installed() -> bool:
    """Whether the PySide6-Addons wheel with QtTextToSpeech is installed."""
    try:
        return importlib.util.find_spec("PySide6.QtTextToSpeech") is not None
    except ImportError:
        return False


class QtSpeaker:
    """Speech through QTextToSpeech.

    Make and use it on the Qt GUI thread after the QApplication exists: the
    engine reports its state through signals delivered by that event loop.
    The engine's voice follows the desktop's locale, so every sentence first
    sets a locale and voice in the sentence's language.
    """

    def __init__(self) -> None:
        self._tts: Any = None
        self._locales: list[Any] = []
        self._busy_states: tuple[Any, ...] = ()
        self._error_state: Any = None
        self._wrong_voice_logged = False
        self.reason: str | None = self._start()
        if self.reason is not None:
            log.info("Speech is unavailable: %s", self.reason)

    @property
    def available(self) -> bool:
        return self.reason is None

    @property
    def speaking(self) -> bool:
        return self.available and self._tts.state() in self._busy_states

    def can_speak(self, language: str) -> bool:
        return self.available and self._locale_for(language) is not None

    def say(self, text: str, *, language: str = DEFAULT_LANGUAGE, queue: bool = False) -> None:
        if not self.available or not self._use_language(language):
            return
        if queue and hasattr(self._tts, "enqueue"):  # Qt 6.6 and later
            self._tts.enqueue(text)
        else:
            self._tts.say(text)

    def stop(self) -> None:
        if self.available:
            self._tts.stop()

    def _locale_for(self, language: str) -> Any:
        """The engine's locale for ``language``: the desktop's own territory when
        the engine has it, else the first it lists; None when it has none."""
        from PySide6.QtCore import QLocale

        wanted = QLocale.codeToLanguage(language_code(language))
        if wanted == QLocale.Language.AnyLanguage:
            return None
        matches = [locale for locale in self._locales if locale.language() == wanted]
        system = QLocale.system()
        same_place = [locale for locale in matches if locale.territory() == system.territory()]
        return (same_place or matches or [None])[0]

    def _use_language(self, language: str) -> bool:
        locale = self._locale_for(language)
        if locale is None:
            return False
        tts = self._tts
        if tts.locale() != locale:
            tts.setLocale(locale)
        if tts.voice().locale().language() != locale.language():
            voices = [voice for voice in tts.availableVoices()
                      if voice.locale().language() == locale.language()]
            if not voices:
                if not self._wrong_voice_logged:
                    self._wrong_voice_logged = True
                    log.warning("Qt's speech engine has no voice for %s", language)
                return False
            tts.setVoice(voices[0])
        return True

    def _start(self) -> str | None:
        # import_module rather than an import statement: the module is optional,
        # and mypy must pass whether or not the Addons wheel is installed.
        try:
            qtts = importlib.import_module("PySide6.QtTextToSpeech")
        except ImportError:
            return _(VOICE_ADDON_MISSING)
        from PySide6.QtCore import QCoreApplication

        if QCoreApplication.instance() is None:
            return _("speech needs the Qt application to be running")
        engine_class = qtts.QTextToSpeech
        try:
            if not engine_class.availableEngines():
                return no_engine()
            tts = engine_class()
        except Exception as exc:  # an engine plugin failing must not stop the app
            # Translators: {error} is the speech engine's own message.
            return _("the speech engine failed to start: {error}").format(error=exc)
        state = engine_class.State
        if tts.state() == state.Error:
            return _("the speech engine failed to start: {error}").format(
                error=tts.errorString() or _("unknown error"))
        locales = list(tts.availableLocales())
        if not locales:
            # Translators: {install} says what to install, e.g. "install espeak-ng".
            return _("the speech engine has no voices: {install}").format(
                install=_(INSTALL_VOICE))
        self._tts = tts
        self._locales = locales
        self._busy_states = (state.Speaking, state.Synthesizing)
        self._error_state = state.Error
        tts.stateChanged.connect(self._state_changed)
        return None

    def _state_changed(self, state: Any) -> None:
        # Some engines only fail once they try to speak (a speech daemon that
        # died, no audio device); from then on, stop claiming we can talk.
        if state == self._error_state and self.reason is None:
            # Translators: {error} is the speech engine's own message.
            self.reason = _("the speech engine failed: {error}").format(
                error=self._tts.errorString() or _("unknown error"))
            log.warning("Speech stopped working: %s", self.reason)


# -- no voice ------------------------------------------------------------------------


class NullSpeaker:
    """No voice: switched off in Settings, or no engine on this machine."""

    available = False
    speaking = False

    def __init__(self, reason: str = VOICE_OFF) -> None:
        self.reason = reason

    def can_speak(self, language: str) -> bool:
        return False

    def say(self, text: str, *, language: str = DEFAULT_LANGUAGE, queue: bool = False) -> None:
        """Nothing can be spoken: the text stays on screen only."""

    def stop(self) -> None:
        """Nothing is ever spoken, so there is nothing to stop."""


def make_speaker(enabled: bool) -> Speaker:
    """The speaker for the user's setting, on the first engine this machine has.
    One that turns out unable to speak is still returned, so Settings can say
    why (:func:`voice_status`)."""
    if not enabled:
        return NullSpeaker()
    if speech_dispatcher_installed():
        return SpeechDispatcherSpeaker()
    if qt_speech_installed():
        return QtSpeaker()
    return NullSpeaker(no_engine())


def voice_status(speaker: Speaker | None, language: str) -> str:
    """One sentence for Settings under "Read instructions aloud": whether the
    instructions in ``language`` will be heard, and if not, why and what to do.
    ``speaker`` is the one in use, or None (or the switched-off one) when the
    voice is off: then it says what switching it on would give."""
    code = language_code(language)
    name = _(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else language
    if speaker is None or (isinstance(speaker, NullSpeaker) and speaker.reason == VOICE_OFF):
        if speech_dispatcher_installed() or qt_speech_installed():
            return _("Switch this on to hear each instruction read aloud.")
        # Translators: {install} says what to install, e.g. "install speech-dispatcher
        # and espeak-ng (on Debian or Ubuntu: sudo apt install ...)".
        return _("No voice is installed here: {install}.").format(install=_(INSTALL_VOICE))
    if isinstance(speaker, SpeechDispatcherSpeaker) and speaker.starting:
        return _("The voice (speech-dispatcher) is starting.")
    if not speaker.available:
        # Translators: {reason} says why, e.g. "speech-dispatcher has no voices: ...".
        return _("Instructions are not read aloud: {reason}.").format(
            reason=speaker.reason or _("no voice is working"))
    if not speaker.can_speak(language):
        # Translators: {language} is a language's name, e.g. "Russian".
        return _("No {language} voice is installed, so the cue sounds play instead "
                 "(install one, such as espeak-ng).").format(language=name)
    if isinstance(speaker, SpeechDispatcherSpeaker):
        # Translators: {language} is a language's name, e.g. "Russian".
        return _("Instructions are read aloud in {language} through "
                 "speech-dispatcher.").format(language=name)
    # Translators: {language} is a language's name, e.g. "Russian".
    return _("Instructions are read aloud in {language}.").format(language=name)
