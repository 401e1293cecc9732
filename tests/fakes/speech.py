"""A speaker that records instead of speaking."""

from __future__ import annotations

from collections.abc import Iterable


class FakeSpeaker:
    """Records what would be said. It has voices for ``languages`` only (English
    unless told otherwise). ``speaking`` turns on with :meth:`say` and stays on
    until :meth:`stop` or the test sets it False (the speech "ends")."""

    def __init__(self, available: bool = True, languages: Iterable[str] = ("en",)) -> None:
        self.available = available
        self.languages = frozenset(languages)
        self.reason: str | None = None if available else "the fake has no voice"
        self.speaking = False
        self.spoken: list[str] = []
        self.queued: list[bool] = []
        """For each entry of ``spoken``: whether it waited for earlier speech."""
        self.spoken_languages: list[str] = []
        """For each entry of ``spoken``: the language it was said in."""

    def can_speak(self, language: str) -> bool:
        return self.available and language in self.languages

    def say(self, text: str, *, language: str = "en", queue: bool = False) -> None:
        if self.can_speak(language):
            self.spoken.append(text)
            self.queued.append(queue)
            self.spoken_languages.append(language)
            self.speaking = True

    def stop(self) -> None:
        self.speaking = False
