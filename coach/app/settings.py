"""The settings as something to watch: one object holds them, saves every
change, and tells whoever subscribed which fields changed.

Before this, every screen that saved a setting also had to remember who
depended on it (the theme, the cue dispatcher, emergency mode, the reminder)
and poke each by hand. Now a dependant subscribes to the fields it cares
about, the way qutebrowser's ``config.changed`` with ``change_filter`` works,
and a change made anywhere (a dialog, the command line, another window)
reaches it.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable

from coach.core.settings import Settings, SettingsStore

Listener = Callable[[Settings, frozenset[str]], None]
"""Called with the new settings and the names of the fields that changed."""

FIELDS = frozenset(field.name for field in dataclasses.fields(Settings))


class SettingsModel:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store
        self._current = store.load()
        self._listeners: list[tuple[Listener, frozenset[str] | None]] = []

    @property
    def current(self) -> Settings:
        return self._current

    @property
    def store(self) -> SettingsStore:
        return self._store

    def subscribe(self, listener: Listener, fields: Iterable[str] | None = None
                  ) -> Callable[[], None]:
        """Call ``listener`` after each change to any of ``fields`` (all
        fields when None). Returns a function that unsubscribes."""
        watched = None if fields is None else frozenset(fields)
        if watched is not None and watched - FIELDS:
            raise ValueError(f"no such settings: {', '.join(sorted(watched - FIELDS))}")
        entry = (listener, watched)
        self._listeners.append(entry)

        def unsubscribe() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

        return unsubscribe

    def update(self, **changes: object) -> Settings:
        """Save ``changes`` (applied to what is on disk now, under the file's
        lock) and tell the subscribers. The new settings hold for this run even
        when saving fails; the store has said why."""
        return self._take(self._store.update(**changes))

    def reload(self) -> Settings:
        """Read the file again (the command line changed it) and tell the
        subscribers what differs."""
        return self._take(self._store.load())

    def _take(self, new: Settings) -> Settings:
        old, self._current = self._current, new
        changed = frozenset(name for name in FIELDS if getattr(old, name) != getattr(new, name))
        if changed:
            for listener, watched in list(self._listeners):
                if watched is None or watched & changed:
                    # One broken subscriber must not keep the others (or the
                    # save) from happening; the app's error handler logs it and
                    # tells the person.
                    try:
                        listener(new, changed)
                    except Exception:
                        sys.excepthook(*sys.exc_info())
        return new
