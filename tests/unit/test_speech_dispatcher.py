"""Speech through speech-dispatcher, met for real: a server started on demand
in the test's own folders, with the espeak-ng synthesiser, playing into a
PulseAudio null sink whose monitor is recorded, so "it speaks" means sound
arrived. Then the ways it fails (not installed, will not start, a socket that
answers nothing, a server that dies or never finishes) each end as an
unavailable speaker with a reason, never an exception. The protocol's finer
points (cut off or queue, which language is asked for) are checked against a
scripted SSIP server.

Waits are on a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import array
import gc
import logging
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.app import content
from coach.app.routines import plan_for, routine_cue
from coach.core.clock import SystemClock
from coach.core.engine import RoutineEngine
from coach.core.settings import Settings
from coach.services import speech
from coach.services.cues import Cue, CueDispatcher
from coach.services.speech import SpeechDispatcherSpeaker, make_speaker
from tests.desktop import NULL_SINK, pulse_server, require, wait_for
from tests.fakes.sound import FakePlayer

RATE = 16000
LOUD_RMS = 300.0
"""About -40 dBFS over 20 ms: the null sink's silence is exactly 0, and
espeak-ng's speech is well above -20 dBFS."""
WINDOW = RATE // 50


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short XDG_RUNTIME_DIR: a Unix socket's path must fit in 108 bytes,
    which pytest's own folders do not leave room for."""
    folder = Path(tempfile.mkdtemp(prefix="sd-"))
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def close_all(speakers: list[SpeechDispatcherSpeaker]) -> None:
    for speaker in speakers:
        speaker.close()


# -- a real server ---------------------------------------------------------------------


@dataclass
class Server:
    config: Path
    logs: Path
    runtime: Path
    sound: Mapping[str, str]

    def command(self) -> tuple[str, ...]:
        return ("speech-dispatcher", "--spawn", "-C", str(self.config))

    def pid(self) -> int:
        return int((self.runtime / "speech-dispatcher" / "pid" / "speech-dispatcher.pid")
                   .read_text())

    def module_log(self) -> str:
        path = self.logs / "espeak-ng.log"
        return path.read_text(errors="replace") if path.exists() else ""


def running(pid: int) -> bool:
    """Alive and not a zombie (a daemon's parent here may never reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def write_config(folder: Path, module: str = "sd_espeak-ng") -> Path:
    """speech-dispatcher's configuration: espeak-ng through PulseAudio, and
    logs (the module's says which voice it set) in ``folder``/logs."""
    config = folder / "config"
    (config / "modules").mkdir(parents=True)
    logs = folder / "logs"
    logs.mkdir()
    (config / "speechd.conf").write_text(
        f'LogLevel 3\nLogDir "{logs}"\nAudioOutputMethod "pulse"\n'
        f'AddModule "espeak-ng" "{module}" "espeak-ng.conf"\nDefaultModule espeak-ng\n'
        'DefaultLanguage "en"\n')
    system = Path("/etc/speech-dispatcher/modules/espeak-ng.conf")
    settings = system.read_text() if system.exists() else ""
    settings = re.sub(r"(?m)^\s*Debug\s+\d+\s*$", "", settings)
    (config / "modules" / "espeak-ng.conf").write_text(settings + "\nDebug 1\n")
    return config


@pytest.fixture
def server(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A PulseAudio null sink and the configuration for a speech-dispatcher
    that the speaker starts itself; stopped (by its pid file) afterwards."""
    require("speech-dispatcher", "espeak-ng", "pulseaudio", "pactl", "parecord")
    if not Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng").exists():
        pytest.skip("speech-dispatcher-espeak-ng is not installed (.ci/system-packages "
                    "installs it)")
    with pulse_server(runtime / "pulse") as sound:
        for name, value in sound.items():
            monkeypatch.setenv(name, value)
        found = Server(write_config(runtime), runtime / "logs", runtime, sound)
        try:
            yield found
        finally:
            stop_server(found)


def stop_server(server: Server) -> None:
    try:
        pid = server.pid()
    except (OSError, ValueError):
        return
    if not running(pid):
        return
    os.kill(pid, signal.SIGTERM)
    try:
        wait_for(lambda: not running(pid), 10, "speech-dispatcher stopping")
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)


class Recorder:
    """The null sink's monitor, as 16-bit mono samples, read as they come."""

    def __init__(self, sound: Mapping[str, str]) -> None:
        self._process = subprocess.Popen(
            ["parecord", "--raw", f"--device={NULL_SINK}.monitor", f"--rate={RATE}",
             "--channels=1", "--format=s16le", "--latency-msec=20"],
            env={**os.environ, **sound}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._data = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        wait_for(lambda: self.samples() > 0 or self._process.poll() is not None, 10,
                 "the sink's monitor delivering sound")
        if self._process.poll() is not None:
            raise RuntimeError(f"parecord exited with {self._process.returncode}")

    def _read(self) -> None:
        assert self._process.stdout is not None
        while block := os.read(self._process.stdout.fileno(), 1 << 14):
            with self._lock:
                self._data += block

    def samples(self) -> int:
        with self._lock:
            return len(self._data) // 2

    def stop(self) -> array.array[int]:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._thread.join(timeout=5)
        pcm = array.array("h")
        with self._lock:
            pcm.frombytes(bytes(self._data[:len(self._data) // 2 * 2]))
        return pcm


def loud_seconds(pcm: Sequence[int]) -> float:
    """How long, in 20 ms windows, the sound was louder than :data:`LOUD_RMS`."""
    loud = 0
    for start in range(0, len(pcm) - WINDOW + 1, WINDOW):
        window = pcm[start:start + WINDOW]
        if math.sqrt(sum(sample * sample for sample in window) / WINDOW) > LOUD_RMS:
            loud += 1
    return loud * WINDOW / RATE


def espeak_languages() -> set[str]:
    """The language codes espeak-ng itself lists, to hold can_speak against."""
    listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
    return {line.split()[1].split("-")[0].lower() for line in listing if len(line.split()) > 1}


def ready_speaker(server: Server, made: list[SpeechDispatcherSpeaker]
                  ) -> SpeechDispatcherSpeaker:
    speaker = SpeechDispatcherSpeaker(server=server.command())
    made.append(speaker)
    # Made without waiting: the server is started on the speaker's own thread.
    assert speaker.starting and not speaker.available and not speaker.can_speak("en")
    wait_for(lambda: not speaker.starting, 30, "speech-dispatcher starting")
    assert speaker.available, speaker.reason
    return speaker


def test_english_is_spoken_through_speech_dispatcher_into_the_sound_output(
        server: Server) -> None:
    made: list[SpeechDispatcherSpeaker] = []
    try:
        speaker = ready_speaker(server, made)
        recorder = Recorder(server.sound)
        before = recorder.samples()
        speaker.say("Straighten your leg and pull your toes towards you.", language="en")
        assert speaker.speaking
        wait_for(lambda: not speaker.speaking, 30, "speech-dispatcher reporting the end")
        spoken_until = recorder.samples()
        wait_for(lambda: recorder.samples() > spoken_until + RATE // 4, 10,
                 "the recording passing the end of the speech")
        pcm = recorder.stop()
        assert loud_seconds(pcm[:before]) == 0  # the sink was silent before
        assert loud_seconds(pcm[before:]) > 1.0  # about 3 s of speech
        assert 'set voice to "en' in server.module_log()
    finally:
        close_all(made)


def test_the_routine_speaks_english_through_speech_dispatcher_with_no_add_on(
        server: Server) -> None:
    """The app's own path: make_speaker with the machine's own speech-dispatcher
    configuration (no test configuration), the bedtime routine's first cues
    through the dispatcher, and English speech in the sound output."""
    speaker = make_speaker(True)
    assert isinstance(speaker, SpeechDispatcherSpeaker)
    try:
        wait_for(lambda: not speaker.starting, 30, "speech-dispatcher starting")
        assert speaker.can_speak("en"), speaker.reason
        player = FakePlayer()
        flashed: list[Cue] = []
        dispatcher = CueDispatcher(player, speaker, muted=lambda: False,
                                   on_visual=flashed.append, clock=time.monotonic)
        engine = RoutineEngine(plan_for(content.load(), "bedtime", Settings()), SystemClock())
        cues = [routine_cue(event, speaker.can_speak("en")) for event in engine.start()]
        spoken = [cue for cue in cues if cue is not None and cue.text]
        assert spoken and spoken[0].text is not None and spoken[0].text.startswith("Get ready")
        recorder = Recorder(server.sound)
        before = recorder.samples()
        for cue in cues:
            if cue is not None:
                dispatcher.emit(cue)
        assert player.played == []  # the voice is the cue
        wait_for(lambda: not speaker.speaking, 30, "speech-dispatcher reporting the end")
        spoken_until = recorder.samples()
        wait_for(lambda: recorder.samples() > spoken_until + RATE // 4, 10,
                 "the recording passing the end of the speech")
        assert loud_seconds(recorder.stop()[before:]) > 1.0
    finally:
        close_all([speaker])


def test_each_language_is_spoken_by_a_voice_for_it_or_not_at_all(server: Server) -> None:
    made: list[SpeechDispatcherSpeaker] = []
    try:
        speaker = ready_speaker(server, made)
        has = espeak_languages()
        assert {"en", "ru"} <= has and "xx" not in has
        assert speaker.can_speak("en") and speaker.can_speak("ru")
        assert not speaker.can_speak("xx")
        assert 'set voice to "ru' not in server.module_log()
        recorder = Recorder(server.sound)
        before = recorder.samples()
        speaker.say("Потяните носок на себя.", language="ru")
        wait_for(lambda: not speaker.speaking, 30, "speech-dispatcher reporting the end")
        spoken_until = recorder.samples()
        wait_for(lambda: recorder.samples() > spoken_until + RATE // 4, 10,
                 "the recording passing the end of the speech")
        assert loud_seconds(recorder.stop()[before:]) > 0.5
        # espeak-ng's module logs the voice it set for the sentence.
        assert 'set voice to "ru"' in server.module_log()
        speaker.say("Nobody can hear this.", language="xx")
        assert not speaker.speaking
    finally:
        close_all(made)


def test_a_server_that_dies_mid_session_leaves_the_speaker_quietly_unavailable(
        server: Server, caplog: pytest.LogCaptureFixture) -> None:
    made: list[SpeechDispatcherSpeaker] = []
    try:
        speaker = ready_speaker(server, made)
        speaker.say("Hold the stretch and breathe slowly, for thirty seconds.")
        wait_for(lambda: 'set voice to "en' in server.module_log(), 10, "speaking starting")
        with caplog.at_level(logging.INFO, logger="coach.services.speech"):
            os.kill(server.pid(), signal.SIGKILL)
            wait_for(lambda: not speaker.available, 10, "the speaker noticing")
        assert not speaker.speaking and not speaker.can_speak("en")
        assert speaker.reason is not None and "speech-dispatcher stopped" in speaker.reason
        speaker.say("Nobody hears this.")
        speaker.stop()
        assert [r.levelname for r in caplog.records] == ["WARNING"]  # once
    finally:
        close_all(made)


def test_a_locale_that_is_not_installed_does_not_stop_the_server(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """speech-dispatcher exits at once when it cannot set the locale LANG
    names; a container or a hand-set LANG often names one not installed."""
    monkeypatch.setenv("LANG", "en_ZZ.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    made: list[SpeechDispatcherSpeaker] = []
    try:
        speaker = ready_speaker(server, made)
        assert speaker.can_speak("en")
    finally:
        close_all(made)


def test_a_server_whose_synthesiser_is_missing_does_not_start(runtime: Path) -> None:
    require("speech-dispatcher")
    config = write_config(runtime, module="sd_not_installed")
    speaker = SpeechDispatcherSpeaker(server=("speech-dispatcher", "--spawn", "-C", str(config)))
    try:
        wait_for(lambda: not speaker.starting, 30, "the speaker giving up")
        assert not speaker.available and not speaker.can_speak("en")
        assert speaker.reason is not None
        assert speaker.reason.startswith("speech-dispatcher could not start")
        log = (runtime / "logs" / "speech-dispatcher.log").read_text(errors="replace")
        assert "No speech output modules were loaded" in log  # the failure meant
    finally:
        speaker.close()


# -- no server -----------------------------------------------------------------------


def test_without_speech_dispatcher_the_speaker_says_it_is_not_installed(
        runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = runtime / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    speaker = SpeechDispatcherSpeaker()
    try:
        wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
        assert not speaker.available and not speaker.can_speak("en")
        assert speaker.reason is not None
        assert speaker.reason.startswith("speech-dispatcher is not installed")
        speaker.say("Nobody hears this.")
        speaker.stop()
        assert not speaker.speaking
    finally:
        speaker.close()


def test_a_server_that_refuses_to_start_gives_its_reason(
        runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programs = runtime / "bin"
    programs.mkdir()
    script = programs / "speech-dispatcher"
    script.write_text("#!/bin/sh\necho '[Mon Nov 30 08:59:22 2026 : 4] speechd: Autospawn "
                      "requested but disabled in configuration' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(programs))
    speaker = SpeechDispatcherSpeaker()
    try:
        wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
        assert speaker.reason == ("speech-dispatcher could not start: Autospawn requested "
                                  "but disabled in configuration")
    finally:
        speaker.close()


def test_a_network_address_is_not_used(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHD_ADDRESS", "inet_socket:192.0.2.1:6560")
    speaker = SpeechDispatcherSpeaker()
    try:
        wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
        assert speaker.reason is not None and "local sockets" in speaker.reason
    finally:
        speaker.close()


# -- a scripted SSIP server ----------------------------------------------------------------


ENGLISH_AND_RUSSIAN = ("English (Great Britain)\ten-GB\tnone", "English (America)\ten-US\tnone",
                       "Russian\tru\tnone", "Russian+Max\tru\tMax")


class ScriptedServer:
    """Answers SSIP like speech-dispatcher and records what it was sent; the
    test sends the events (begin, end) itself. ``voices`` is its voice list;
    ``hang_up`` closes each connection as soon as it is made."""

    def __init__(self, path: Path, voices: Sequence[str] = ENGLISH_AND_RUSSIAN,
                 hang_up: bool = False) -> None:
        self.received: list[str] = []
        """Each command, and each sentence as ``TEXT <words>``."""
        self.voices = voices
        self.hang_up = hang_up
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen(1)
        self._conn: socket.socket | None = None
        self._write = threading.Lock()
        self._next_id = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self._listener.accept()
        if self.hang_up:
            conn.close()
            return
        self._conn = conn
        lines = conn.makefile("rb")
        for raw in lines:
            line = raw.decode().rstrip("\r\n")
            if line == "SPEAK":
                self._reply("230 OK RECEIVING DATA")
                words = []
                for text in lines:
                    if text.rstrip(b"\r\n") == b".":
                        break
                    words.append(text.decode().rstrip("\r\n"))
                self._next_id += 1
                self.received.append("TEXT " + " ".join(words))
                self._reply(f"225-{self._next_id}", "225 OK MESSAGE QUEUED")
                continue
            self.received.append(line)
            if line == "LIST SYNTHESIS_VOICES":
                self._reply(*(f"249-{voice}" for voice in self.voices), "249 OK VOICE LIST SENT")
            elif line == "QUIT":
                self._reply("231 HAPPY HACKING")
                break
            else:
                self._reply("200 OK")

    def _reply(self, *lines: str) -> None:
        assert self._conn is not None
        with self._write:
            self._conn.sendall("".join(line + "\r\n" for line in lines).encode())

    def event(self, code: int, name: str, msg_id: int) -> None:
        self._reply(f"{code}-{msg_id}", f"{code}-1", f"{code} {name}")

    def sentences(self) -> list[str]:
        return [line for line in self.received if line.startswith("TEXT ")]

    def drop(self) -> None:
        assert self._conn is not None
        self._conn.shutdown(socket.SHUT_RDWR)
        self._conn.close()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def scripted(runtime: Path) -> Iterator[tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]]:
    folder = runtime / "speech-dispatcher"
    folder.mkdir()
    fake = ScriptedServer(folder / "speechd.sock")
    made: list[SpeechDispatcherSpeaker] = []
    yield fake, made
    close_all(made)
    fake.close()


def connected(made: list[SpeechDispatcherSpeaker]) -> SpeechDispatcherSpeaker:
    speaker = SpeechDispatcherSpeaker(server=("false",))
    made.append(speaker)
    wait_for(lambda: not speaker.starting, 10, "the speaker connecting")
    assert speaker.available, speaker.reason
    return speaker


def test_it_asks_for_events_and_queues_its_sentences_in_order(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]) -> None:
    fake, made = scripted
    connected(made)
    assert fake.received[0].startswith("SET SELF CLIENT_NAME ")
    assert fake.received[0].endswith(":cramp-coach:instructions")
    for wanted in ("SET SELF PRIORITY message", "SET SELF NOTIFICATION BEGIN on",
                   "SET SELF NOTIFICATION END on", "SET SELF NOTIFICATION CANCEL on"):
        assert wanted in fake.received


def test_speaking_follows_the_servers_begin_and_end(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]) -> None:
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Pull your toes towards you.")
    assert speaker.speaking  # from the moment it is asked, not once the server answers
    wait_for(lambda: fake.sentences() == ["TEXT Pull your toes towards you."], 5, "the sentence")
    fake.event(701, "BEGIN", 1)
    fake.event(702, "END", 1)
    wait_for(lambda: not speaker.speaking, 5, "the end being noticed")


def test_a_new_sentence_cuts_off_the_last_and_a_queued_one_waits(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]) -> None:
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Step one.")
    speaker.say("Hold.", queue=True)
    wait_for(lambda: len(fake.sentences()) == 2, 5, "both sentences")
    speaker.say("Step two.")
    wait_for(lambda: len(fake.sentences()) == 3, 5, "the third sentence")
    sent = [line for line in fake.received if line == "CANCEL SELF" or line.startswith("TEXT")]
    assert sent == ["CANCEL SELF", "TEXT Step one.", "TEXT Hold.",
                    "CANCEL SELF", "TEXT Step two."]
    fake.event(703, "CANCELED", 1)
    fake.event(703, "CANCELED", 2)
    fake.event(701, "BEGIN", 3)
    assert speaker.speaking
    fake.event(702, "END", 3)
    wait_for(lambda: not speaker.speaking, 5, "the end being noticed")


def test_stop_is_silent_at_once_and_cancels_at_the_server(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]) -> None:
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Hold the stretch.")
    wait_for(lambda: len(fake.sentences()) == 1, 5, "the sentence")
    cancels = fake.received.count("CANCEL SELF")
    speaker.stop()
    assert not speaker.speaking
    wait_for(lambda: fake.received.count("CANCEL SELF") == cancels + 1, 5, "the cancel")
    fake.event(701, "BEGIN", 1)  # late news of the stopped sentence changes nothing
    speaker.say("Relax.")
    wait_for(lambda: len(fake.sentences()) == 2, 5, "the next sentence")


def test_the_language_is_asked_for_before_each_change_and_only_then(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    fake, made = scripted
    speaker = connected(made)
    assert speaker.can_speak("en") and speaker.can_speak("ru") and not speaker.can_speak("de")
    speaker.say("Hold.", queue=True)
    speaker.say("Держите.", language="ru", queue=True)
    speaker.say("Отпустите.", language="ru", queue=True)
    speaker.say("Ausatmen.", language="de", queue=True)  # no German voice: never sent
    speaker.say("Relax.", queue=True)
    wait_for(lambda: len(fake.sentences()) == 4, 5, "four sentences")
    sent = [line for line in fake.received if line.startswith(("SET SELF LANGUAGE", "TEXT"))]
    assert sent == ["SET SELF LANGUAGE en", "TEXT Hold.", "SET SELF LANGUAGE ru",
                    "TEXT Держите.", "TEXT Отпустите.", "SET SELF LANGUAGE en", "TEXT Relax."]


def test_the_locales_own_dialect_is_asked_for_when_there_is_a_voice_for_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert speech.voice_tags(ENGLISH_AND_RUSSIAN) == {"en": "en-US", "ru": "ru"}
    monkeypatch.setenv("LANG", "en_IN.UTF-8")  # no Indian English voice: the synthesiser picks
    assert speech.voice_tags(ENGLISH_AND_RUSSIAN) == {"en": "en", "ru": "ru"}
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert speech.voice_tags(ENGLISH_AND_RUSSIAN) == {"en": "en", "ru": "ru"}


def test_a_sentence_begun_and_never_finished_ends_the_voice(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What speech-dispatcher does when its sound output fails: BEGIN, then
    nothing. Without a limit every later cue would wait for it forever."""
    monkeypatch.setattr(speech, "FINISH_GRACE_S", 0.2)
    monkeypatch.setattr(speech, "SECONDS_PER_WORD", 0.0)
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Hold.")
    wait_for(lambda: len(fake.sentences()) == 1, 5, "the sentence")
    fake.event(701, "BEGIN", 1)
    wait_for(lambda: not speaker.available, 5, "the speaker giving up")
    assert not speaker.speaking
    assert speaker.reason is not None and "never finished" in speaker.reason


def test_a_sentence_never_begun_ends_the_voice(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech, "START_WITHIN_S", 0.2)
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Hold.")
    wait_for(lambda: not speaker.available, 5, "the speaker giving up")
    assert fake.sentences() == ["TEXT Hold."]
    assert speaker.reason == "speech-dispatcher did not start speaking"


def test_a_speaker_nobody_uses_any_more_says_goodbye(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]]) -> None:
    """Switching the voice off and on makes a new speaker each time; the old
    one's connection must not stay open behind it."""
    fake, made = scripted
    connected(made)
    made.clear()  # the last reference
    gc.collect()
    wait_for(lambda: "QUIT" in fake.received, 5, "the connection being closed")


def test_a_socket_that_dies_mid_session_makes_the_speaker_unavailable(
        scripted: tuple[ScriptedServer, list[SpeechDispatcherSpeaker]],
        caplog: pytest.LogCaptureFixture) -> None:
    fake, made = scripted
    speaker = connected(made)
    speaker.say("Hold the stretch.")
    wait_for(lambda: len(fake.sentences()) == 1, 5, "the sentence")
    with caplog.at_level(logging.INFO, logger="coach.services.speech"):
        fake.drop()
        wait_for(lambda: not speaker.available, 5, "the speaker noticing")
        speaker.say("Nobody hears this.")
    assert not speaker.speaking
    assert speaker.reason == "speech-dispatcher stopped (it closed the connection)"
    assert len(caplog.records) == 1 and caplog.records[0].levelname == "WARNING"


def test_a_socket_that_hangs_up_at_once_is_unavailable(runtime: Path) -> None:
    folder = runtime / "speech-dispatcher"
    folder.mkdir()
    fake = ScriptedServer(folder / "speechd.sock", hang_up=True)
    speaker = SpeechDispatcherSpeaker(server=("false",))
    try:
        wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
        assert not speaker.available
        assert speaker.reason == "speech-dispatcher stopped (it closed the connection)"
    finally:
        speaker.close()
        fake.close()


def test_a_server_without_voices_is_unavailable(runtime: Path) -> None:
    folder = runtime / "speech-dispatcher"
    folder.mkdir()
    fake = ScriptedServer(folder / "speechd.sock", voices=())
    speaker = SpeechDispatcherSpeaker(server=("false",))
    try:
        wait_for(lambda: not speaker.starting, 10, "the speaker giving up")
        assert not speaker.available
        assert speaker.reason is not None and "no voices" in speaker.reason
    finally:
        speaker.close()
        fake.close()
