"""The app layer's use cases, without a display: content, diary, cues,
routines and reminder wording, including the paths that fail."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.app.content import ContentModel, ImportProblem, import_file, load
from coach.app.cues import CueBoard
from coach.app.diary import DiaryService
from coach.app.reminders import NONE_SET, next_reminder
from coach.app.routines import minutes, plan_for, routine_cue
from coach.app.settings import SettingsModel
from coach.core import i18n, paths, schedule
from coach.core.diary import Episode
from coach.core.engine import CueEvent
from coach.core.model import ContentError, Library
from coach.core.notices import Notice, Notices
from coach.core.settings import Settings, SettingsStore
from coach.core.timetable import Cue as TimetableCue
from coach.core.timetable import CueKind, SegmentKind
from coach.services.cues import Cue
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.unit.test_emergency import LIBRARY

UTC = timezone.utc


def heard(notices: Notices) -> list[str]:
    texts: list[str] = []
    notices.subscribe(lambda notice: texts.append(notice.text))
    return texts


def settings_model(clock: FakeClock | None = None) -> SettingsModel:
    return SettingsModel(SettingsStore(paths.settings_file(), Notices(), clock or FakeClock()))


# -- content ------------------------------------------------------------------

def test_the_content_model_reloads_tells_its_subscribers_and_reports_once() -> None:
    notices = Notices()
    texts = heard(notices)
    broken = Library(errors=(ContentError("mine.yaml", 3, "routines", "bad"),),
                     skipped_files=("mine.yaml",))
    versions = iter([broken, LIBRARY])
    model = ContentModel(notices, loader=lambda: next(versions))
    assert texts and "mine.yaml" in texts[0] and "mine.yaml:3: routines: bad" in texts[0]
    seen: list[Library] = []
    stop = model.subscribe(seen.append)
    assert model.reload() is LIBRARY and seen == [LIBRARY] and model.library is LIBRARY
    stop()
    stop()


def test_a_folder_that_failed_is_named_in_the_notice_even_with_no_skipped_file() -> None:
    notices = Notices()
    texts = heard(notices)
    ContentModel(notices, Library(errors=(ContentError("/home/x/routines", 0, "", "no"),)))
    assert "(/home/x/routines)" in texts[0]


def test_import_refuses_the_wrong_ending_a_shipped_file_and_a_broken_one(
        tmp_path: Path) -> None:
    from coach import resources

    with pytest.raises(ImportProblem, match=r"ends in \.yaml"):
        import_file(tmp_path / "notes.txt")
    with pytest.raises(ImportProblem, match="comes with Cramp Coach"):
        import_file(resources.exercises_dir() / "routines.yaml")
    broken = tmp_path / "mine.yaml"
    broken.write_text("routines:\n  - id: x\n    title: X\n    items: [nope]\n")
    with pytest.raises(ImportProblem) as problem:
        import_file(broken)
    assert any("unknown exercise 'nope'" in m for m in problem.value.messages)
    assert not (paths.user_content_dir() / "mine.yaml").exists()


def test_import_copies_a_good_file_and_asks_before_replacing(tmp_path: Path) -> None:
    good = tmp_path / "mine.yaml"
    good.write_text("routines:\n  - id: mine\n    title: Mine\n    items: [wall-calf-stretch]\n")
    assert import_file(good).read_bytes() == good.read_bytes()
    with pytest.raises(FileExistsError):
        import_file(good)
    assert import_file(good, overwrite=True).exists()
    assert any(r.id == "mine" for r in load().routines)


def test_import_says_when_the_routines_folder_cannot_be_written(tmp_path: Path) -> None:
    good = tmp_path / "mine.yaml"
    good.write_text("routines:\n  - id: mine\n    title: Mine\n    items: [wall-calf-stretch]\n")
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    paths.user_content_dir().write_text("a file where the folder should be")
    with pytest.raises(ImportProblem, match="could not be written"):
        import_file(good)


def test_a_cache_key_that_cannot_be_made_only_costs_speed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.core import content_cache

    def fail(*_args: object) -> str:
        raise OSError("stat failed")

    monkeypatch.setattr(content_cache, "key", fail)
    assert load().protocols  # loaded, not cached
    assert not paths.content_cache_file().exists()


# -- diary ----------------------------------------------------------------------

def service(notices: Notices, clock: FakeClock) -> DiaryService:
    return DiaryService(paths.diary_file(), clock, notices, settings_model(clock),
                        lambda: UTC)


def episode(clock: FakeClock) -> Episode:
    return Episode(started=clock.wall() - timedelta(minutes=5), duration_s=60.0,
                   place="calf", side="left")


def test_every_change_goes_through_one_write_path_and_is_told() -> None:
    clock, notices = FakeClock(), Notices()
    diary = service(notices, clock)
    changes: list[str] = []
    diary.subscribe(lambda: changes.append("changed"))
    saved = diary.add_episode(episode(clock))
    assert saved is not None and saved.id is not None
    assert diary.update_episode(saved._replace(severity=4)) is not None
    removed = diary.delete_episode(saved.id)
    assert removed is not None and diary.restore_episode(removed) == removed
    record = diary.record_routine("bedtime", "Bedtime", True, clock.wall(), 420.0)
    assert record is not None and record.id is not None
    entries = diary.entries()
    assert entries is not None and len(entries[0]) == 1 and len(entries[1]) == 1
    assert len(changes) == 5
    assert diary.insights(*entries).period.cramps == 1
    diary.close()
    diary.close()


def test_a_refused_change_is_said_every_time_and_nothing_is_told() -> None:
    clock, notices = FakeClock(), Notices()
    texts = heard(notices)
    diary = service(notices, clock)
    changes: list[str] = []
    diary.subscribe(lambda: changes.append("changed"))
    bad = episode(clock)._replace(place="elbow")
    for _ in range(2):
        assert diary.add_episode(bad) is None
    assert sum("The cramp could not be saved" in t for t in texts) == 2
    assert diary.update_episode(episode(clock)._replace(id=999)) is None  # gone
    assert changes == []


def test_a_diary_that_cannot_open_is_said_once_and_every_write_says_so() -> None:
    clock, notices = FakeClock(), Notices()
    texts = heard(notices)
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the folder should be")
    diary = service(notices, clock)
    assert diary.entries() is None and diary.entries() is None
    assert diary.add_episode(episode(clock)) is None
    assert sum(t.startswith("Cramp Coach can't create the folder") for t in texts) == 1
    # The write names the reason itself: a "(see above)" pointed at a message
    # the notice strip may have folded away.
    assert texts[-1].startswith("The cramp could not be saved: Cramp Coach can't create the "
                                "folder")


def test_diary_notices_are_worded_again_in_a_new_language() -> None:
    """A notice on screen when the person switches to Russian is shown again
    in Russian (see NoticeBar.reword): the diary's own reason too."""
    clock, notices = FakeClock(), Notices()
    posted: list[Notice] = []
    notices.subscribe(posted.append)
    paths.data_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.data_dir().write_text("a file where the folder should be")
    diary = service(notices, clock)
    assert diary.add_episode(episode(clock)) is None
    english = [notice.text for notice in posted]
    assert len(english) == 2 and "can't create the folder" in english[0]
    assert english[1].startswith("The cramp could not be saved: Cramp Coach can't create the "
                                 "folder")
    i18n.set_current("ru")
    try:
        russian = [notice.text for notice in posted]
    finally:
        i18n.set_current(i18n.DEFAULT)
    assert russian[0].startswith("Cramp Coach не может создать папку для вашего дневника")
    assert russian[1].startswith("Не удалось сохранить запись о судороге: Cramp Coach не может "
                                 "создать папку для вашего дневника")


def test_a_damaged_diary_is_moved_aside_and_said(tmp_path: Path) -> None:
    clock, notices = FakeClock(), Notices()
    texts = heard(notices)
    paths.diary_file().parent.mkdir(parents=True, exist_ok=True)
    paths.diary_file().write_bytes(b"this is not SQLite" * 100)
    diary = service(notices, clock)
    assert diary.entries() == ([], [])
    assert any("damaged" in t for t in texts)
    assert any(name.startswith("diary.sqlite3.corrupt-")
               for name in os.listdir(paths.diary_file().parent))


# -- cues -------------------------------------------------------------------------

def test_the_cue_board_is_made_on_the_first_cue_and_again_when_the_voice_changes() -> None:
    clock = FakeClock()
    settings = settings_model(clock)
    made: list[bool] = []
    player = FakePlayer()

    def make_speaker(enabled: bool) -> FakeSpeaker:
        made.append(enabled)
        return FakeSpeaker(available=enabled)

    board = CueBoard(settings, clock, lambda: player, make_speaker)
    assert board.speaker is None and made == []
    board.silence()  # nothing made yet: nothing to silence
    board.emit([Cue("start")])
    assert player.played == ["start"] and made == [False] and not board.voice
    settings.update(voice=True)
    assert board.voice and made == [False, True]
    flashed: list[str] = []
    board.flash = lambda: flashed.append("flash")
    settings.update(sound=False)
    board.emit([Cue("end")])
    assert flashed == ["flash"] and player.played == ["start"]


def test_a_voice_without_the_apps_language_is_no_voice() -> None:
    clock = FakeClock()
    settings = settings_model(clock)
    settings.update(voice=True)
    board = CueBoard(settings, clock, FakePlayer,
                     lambda _on: FakeSpeaker(languages=("ru",)))
    assert not board.voice


# -- routines and reminders --------------------------------------------------------

def test_the_routine_plan_follows_the_settings_and_its_length_is_in_minutes() -> None:
    from coach.app import content

    library = content.load()
    plan = plan_for(library, "bedtime", Settings(get_ready_seconds=5))
    assert minutes(plan) == 7
    with pytest.raises(KeyError):
        plan_for(library, "nope", Settings())


def test_routine_cues_speak_only_with_a_voice() -> None:
    from coach.core.model import Text

    plan = plan_for(LIBRARY_WITH_ROUTINE, "short", Settings(get_ready_seconds=3))
    segment = plan.segments[0]
    rest = CueEvent(TimetableCue(0.0, CueKind.REST, Text.plain("Toes")), 0, segment, 0.0)
    assert routine_cue(rest, voice=False) is None
    assert routine_cue(rest, voice=True) == Cue("halfway", "Rest. Next: Toes")
    switch = CueEvent(TimetableCue(0.0, CueKind.SWITCH), 0, segment, 0.0)
    assert routine_cue(switch, voice=True) == Cue("switch", "Switch to the other leg")
    assert routine_cue(switch, voice=False) == Cue("switch")


def test_a_later_set_of_repetitions_begins_with_begin_not_hold() -> None:
    """A routine audit's case: on the second leg of ankle circles the voice
    said "Hold." and the beat started: there is nothing to hold."""
    from coach.app import content

    library = content.load()
    plan = plan_for(library, "desk-break", Settings())
    said = {}
    for index, segment in enumerate(plan.segments):
        for cue in segment.cues:
            if cue.kind is CueKind.START and cue.text is None:
                spoken = routine_cue(CueEvent(cue, index, segment, 0.0), voice=True)
                assert spoken is not None
                said[segment.kind] = spoken.text
    assert said == {SegmentKind.REPS: "Begin.", SegmentKind.HOLD: "Hold."}


def _voice_through(plan_ids: tuple[str, ...], voice: bool,
                   interfere: str = "") -> list[Cue]:
    """The cues of a run of ``plan_ids`` through a RoutineVoice, waking on
    time; ``interfere`` ("skip", or "pause" at once resumed) acts 2 s into
    the first rest."""
    from coach.app.routines import RoutineVoice
    from coach.core.engine import RoutineEngine
    from tests.unit.test_engine import make_plan

    clock = FakeClock()
    engine = RoutineEngine(make_plan(*plan_ids), clock)
    words = RoutineVoice()
    events = engine.start()
    done = False
    while (wait := engine.next_wakeup()) is not None:
        if (interfere and not done and engine.snapshot().segment.kind is SegmentKind.REST):
            clock.advance(2)
            events += engine.tick()
            events += engine.skip() if interfere == "skip" else [*engine.pause(),
                                                                 *engine.resume()]
            done = True
            continue
        clock.advance(wait)
        events += engine.tick()
    return [cue for event in events if (cue := words.cue(event, voice)) is not None]


def test_a_set_of_repetitions_is_explained_in_the_rest_and_begins_on_the_beat() -> None:
    """A routine audit's case: a set's instruction, read at its start, talked
    over its first beats (they were only flashed), and by ear the first set
    was lost. Read in the rest before it, the set then begins with "Begin."
    after it; skipped or paused, the rest may not have been heard, and the
    set's start reads the instruction itself."""
    said = [(cue.kind, cue.text, cue.queue) for cue in _voice_through(("calf", "raises"),
                                                                         voice=True)]
    rest = said.index(("halfway", "Rest. Next: raises", False))
    assert said[rest + 1] == ("speech", "Go.", True)  # after "Rest. Next", never over it
    start = next(i for i, cue in enumerate(said) if i > rest and cue[0] == "start")
    assert said[start] == ("start", "Begin.", True)  # after the instruction
    assert said[start + 1][0] == "rep"
    for interfere in ("skip", "pause"):
        cues = _voice_through(("calf", "raises"), voice=True, interfere=interfere)
        starts = [cue.text for cue in cues if cue.kind == "start"]
        assert starts[-1] == "Go.", interfere  # the set's own start reads it
    quiet = _voice_through(("calf", "raises"), voice=False)
    assert [cue for cue in quiet if cue.kind == "speech" or cue.text] == []


def test_the_voice_reads_only_words_written_in_its_language() -> None:
    """A user's routine written only in English, with the app in Russian: the
    Russian voice does not garble the English words; it says what it can."""
    from coach.core.model import Text

    plan = plan_for(LIBRARY_WITH_ROUTINE, "short", Settings(get_ready_seconds=3))
    segment = plan.segments[0]
    english = Text.plain("Calf stretch")
    both = Text((("en", "Calf stretch"), ("ru", "Растяжка икры")))
    i18n.set_current("ru")
    try:
        hold = next(s for s in plan.segments if s.kind is SegmentKind.HOLD)
        start = CueEvent(TimetableCue(0.0, CueKind.START, english), 1, hold, 0.0)
        assert routine_cue(start, voice=True) == Cue("start", "Держите.")  # not the English
        rest = CueEvent(TimetableCue(0.0, CueKind.REST, english), 0, segment, 0.0)
        assert routine_cue(rest, voice=True) is None  # as without a voice
        ready = CueEvent(TimetableCue(0.0, CueKind.GET_READY, both), 0, segment, 0.0)
        assert routine_cue(ready, voice=True) == Cue("halfway", "Приготовьтесь: Растяжка икры")
    finally:
        i18n.set_current(i18n.DEFAULT)


def test_the_next_reminder_reads_the_same_everywhere() -> None:
    at = datetime(2026, 3, 3, 22, 15, tzinfo=UTC)
    fire = schedule.Fire(at=at, night=at.date(), kind="snooze")
    assert next_reminder(fire, UTC) == "Next reminder: Tue, 22:15 (snoozed)"
    assert next_reminder(None, UTC) == NONE_SET


def _library_with_routine() -> Library:
    from tests.gui.test_player import LIBRARY as PLAYER_LIBRARY

    return PLAYER_LIBRARY


LIBRARY_WITH_ROUTINE = _library_with_routine()
