"""The notice channel: nothing posted at start-up is lost, and "once" means once."""

from __future__ import annotations

import logging
import threading

import pytest

from coach.core.notices import Notice, Notices


def test_notices_posted_before_anyone_listens_are_held() -> None:
    notices = Notices()
    notices.post("error", "settings were damaged")
    notices.post("info", "welcome")
    assert notices.pending() == (Notice("error", "settings were damaged"),
                                 Notice("info", "welcome"))
    assert notices.pending() == ()


def test_subscribers_get_new_notices_and_nothing_is_held_for_later() -> None:
    notices = Notices()
    seen: list[Notice] = []
    notices.subscribe(seen.append)
    notices.post("warning", "disk nearly full")
    assert seen == [Notice("warning", "disk nearly full")]
    assert notices.pending() == ()


def test_a_notice_between_pending_and_subscribe_is_not_lost() -> None:
    notices = Notices()
    notices.post("info", "early")
    shown = list(notices.pending())
    notices.post("info", "in the gap")
    notices.subscribe(shown.append)
    assert [n.text for n in shown] == ["early", "in the gap"]


def test_a_key_is_shown_only_once() -> None:
    notices = Notices()
    seen: list[Notice] = []
    notices.subscribe(seen.append)
    notices.post("warning", "first", key="newer-settings")
    notices.post("warning", "second", key="newer-settings")
    notices.post("warning", "no key")
    notices.post("warning", "no key")
    assert [n.text for n in seen] == ["first", "no key", "no key"]


def test_unsubscribe_stops_delivery_and_may_be_repeated() -> None:
    notices = Notices()
    seen: list[Notice] = []
    unsubscribe = notices.subscribe(seen.append)
    unsubscribe()
    unsubscribe()
    notices.post("info", "after")
    assert seen == []
    assert [n.text for n in notices.pending()] == ["after"]


def test_the_same_callback_twice_is_two_subscriptions() -> None:
    notices = Notices()
    seen: list[Notice] = []
    first = notices.subscribe(seen.append)
    notices.subscribe(seen.append)
    first()
    notices.post("info", "once")
    assert len(seen) == 1


def test_a_failing_subscriber_does_not_hurt_the_poster_or_others(
        caplog: pytest.LogCaptureFixture) -> None:
    notices = Notices()
    seen: list[Notice] = []

    def broken(notice: Notice) -> None:
        raise RuntimeError("widget gone")

    notices.subscribe(broken)
    notices.subscribe(seen.append)
    notices.post("error", "still delivered")
    assert [n.text for n in seen] == ["still delivered"]
    assert "a notice subscriber failed" in caplog.text


def test_each_notice_is_logged_once_at_its_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="coach.core.notices")
    notices = Notices()
    notices.post("error", "could not save", key="k")
    notices.post("error", "could not save", key="k")
    notices.post("info", "hello")
    records = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert records == [(logging.ERROR, "could not save"), (logging.INFO, "hello")]


def test_an_unknown_level_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="loud"):
        Notices().post("loud", "x")  # type: ignore[arg-type]


def test_many_threads_posting_at_once() -> None:
    notices = Notices()
    seen: list[Notice] = []
    lock = threading.Lock()

    def collect(notice: Notice) -> None:
        with lock:
            seen.append(notice)

    notices.subscribe(collect)
    threads_count, per_thread = 8, 200
    start = threading.Barrier(threads_count)

    def worker(index: int) -> None:
        start.wait()
        for n in range(per_thread):
            notices.post("info", f"{index}-{n}")
            notices.post("warning", "shared", key=f"shared-{n}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    plain = [n for n in seen if n.key is None]
    keyed = [n for n in seen if n.key is not None]
    assert len(plain) == len({n.text for n in plain}) == threads_count * per_thread
    assert sorted(n.key or "" for n in keyed) == sorted(f"shared-{n}" for n in range(per_thread))


def test_threads_posting_while_the_display_subscribes_lose_nothing() -> None:
    notices = Notices()
    shown: list[Notice] = []
    lock = threading.Lock()

    def show(notice: Notice) -> None:
        with lock:
            shown.append(notice)

    posters, per_thread = 4, 300
    start = threading.Barrier(posters + 1)

    def worker(index: int) -> None:
        start.wait()
        for n in range(per_thread):
            notices.post("info", f"{index}-{n}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(posters)]
    for thread in threads:
        thread.start()
    start.wait()
    for notice in notices.pending():
        show(notice)
    notices.subscribe(show)
    for thread in threads:
        thread.join()
    texts = [n.text for n in shown]
    assert len(texts) == len(set(texts)) == posters * per_thread


def test_a_notice_given_a_wording_function_is_worded_when_read(
        caplog: pytest.LogCaptureFixture) -> None:
    """So a notice still on screen can be worded again in a new language; the
    log has the words of the moment it was posted."""
    language = ["en"]
    notices = Notices()
    with caplog.at_level(logging.INFO, logger="coach.core.notices"):
        notices.post("info", lambda: {"en": "Saved.", "ru": "Сохранено."}[language[0]])
    (notice,) = notices.pending()
    assert notice.text == "Saved."
    language[0] = "ru"
    assert notice.text == "Сохранено."
    assert caplog.messages == ["Saved."]
