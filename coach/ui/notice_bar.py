"""The strip at the top of the window where user-facing messages appear.

Messages arrive through :class:`coach.core.notices.Notices` from any thread;
the bridge's signal hops them onto the UI thread before a widget is touched.

When the language changes the strip is kept (nothing in it has been
dismissed) and :meth:`NoticeBar.reword` words it again: every banner given a
wording function (see :data:`coach.core.notices.Wording`), and the strip's
own words. A notice posted as plain words keeps them, whole.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from coach.core.i18n import _, ngettext
from coach.core.notices import Notice, Notices, Wording, worded
from coach.ui.basics import button, label, set_label

MAX_SHOWN = 2
"""More would push the screen itself off a small window; the newest show."""
MAX_SHOWN_COMPACT = 1
"""In a short window (a 1024×600 netbook) two long notices took a third of
its height, and pushed the diary's own buttons below its edge."""


class _Banner(QFrame):
    """One message and its one button."""

    def __init__(self, text: Wording, action: Wording, on_click: Callable[[], object],
                 key: str | None, parent: QWidget, pinned: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        self.key = key
        self.pinned = pinned
        self.times = 1
        self._wording, self._action = text, action
        self.text = ""
        """The message as last worded, without its count."""
        row = QHBoxLayout(self)
        self._message = label("", "notice")
        row.addWidget(self._message, 1)
        self.button = button("", on_click)
        row.addWidget(self.button)
        self.reword()

    def reword(self) -> None:
        self.text = shown = worded(self._wording)
        if self.times > 1:
            # Translators: a message shown again; {n} counts how often.
            shown = ngettext("{message} (shown {n} time)", "{message} (shown {n} times)",
                             self.times).format(message=shown, n=self.times)
        self._message.setText(shown)
        self._message.setAccessibleName(shown)
        set_label(self.button, worded(self._action))


class _Bridge(QObject):
    posted = Signal(object)


class NoticeBar(QWidget):
    focus_left = Signal()
    """A banner that held the keyboard's focus has gone (Dismiss, Undo): the
    window gives the focus back to its screen, rather than to whatever
    button Qt would pick next (another notice's)."""

    def __init__(self, notices: Notices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Every attribute the display path reads is set before the first
        # notice is shown: notices are often already waiting (a repaired
        # settings file, a broken routine) when the first window is built.
        self._suspended = False
        self._expanded = False
        self._room = MAX_SHOWN
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._column = QVBoxLayout()
        outer.addLayout(self._column)
        self._more = button("", self._expand, role="more")
        more = QHBoxLayout()  # on the right, at its own width
        more.addStretch(1)
        more.addWidget(self._more)
        outer.addLayout(more)
        self._bridge = _Bridge(self)
        self._bridge.posted.connect(self.show_notice)
        for notice in notices.pending():
            self.show_notice(notice)
        self._unsubscribe = notices.subscribe(self._bridge.posted.emit)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self._update_visibility()

    def set_compact(self, compact: bool) -> None:
        """A short window shows fewer notices at once (none is dropped)."""
        self._room = MAX_SHOWN_COMPACT if compact else MAX_SHOWN
        self._update_visibility()

    def set_suspended(self, suspended: bool) -> None:
        """Hold messages back (they stay queued) while a screen needs full focus."""
        self._suspended = suspended
        self._update_visibility()

    def _frames(self) -> list[_Banner]:
        items = (self._column.itemAt(i) for i in range(self._column.count()))
        return [w for item in items
                if item is not None and isinstance(w := item.widget(), _Banner)]

    def reword(self) -> None:
        """In the language just chosen, where the words can be found again."""
        for banner in self._frames():
            banner.reword()
        self._update_visibility()

    def _update_visibility(self) -> None:
        """The newest :data:`MAX_SHOWN` (in a short window
        :data:`MAX_SHOWN_COMPACT`) show, and always any pinned one with the
        newest under it; the others wait behind "2 more messages", never
        dropped: one may say where a damaged file went."""
        frames = self._frames()
        # A pinned banner (the disclaimer) never hides the newest message: an
        # Undo behind "1 more message" is no Undo.
        room = max(self._room, self._first_unpinned() + 1)
        if len(frames) <= room:
            self._expanded = False
        for index, frame in enumerate(frames):
            frame.setVisible(self._expanded or index < room)
        hidden = 0 if self._expanded else max(0, len(frames) - room)
        if hidden:
            # Translators: a button under the notices that shows the others.
            set_label(self._more, ngettext("Show {n} more message", "Show {n} more messages",
                                           hidden).format(n=hidden))
        self._more.setVisible(bool(hidden))
        # The keyboard meets the banners top to bottom, as the eye does; the
        # newest is put on top, where Qt's own order would put it last.
        buttons = [frame.button for frame in frames] + [self._more]
        for first, second in pairwise(buttons):
            QWidget.setTabOrder(first, second)
        shown = not self._suspended and bool(frames)
        # Made before the window it goes in, often with notices waiting (a
        # damaged settings file): shown then, it would open as a window of its
        # own, which a window manager may give the focus meant for emergency
        # mode. It is shown once it has a parent (see event).
        if self.parentWidget() is not None or not shown:
            self.setVisible(shown)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._update_visibility()
        return super().event(event)

    def _expand(self) -> None:
        self._expanded = True
        self._update_visibility()

    def show_notice(self, notice: Notice) -> None:
        def banner() -> str:
            if notice.level == "error":
                return _("Problem: {message}").format(message=notice.text)
            if notice.level == "warning":
                return _("Note: {message}").format(message=notice.text)
            return notice.text

        text = banner()
        if self._repeat(text):
            return
        # Plain words stay whole: a translated "Problem:" before them would
        # leave the banner half in each language.
        self.add_action(banner if callable(notice.wording) else text, lambda: _("Dismiss"))

    def _repeat(self, text: str) -> bool:
        """The same message again (a save failing each time, the same file
        refused twice) is one banner that counts, moved to the top."""
        for banner in self._frames():
            if banner.text != text:
                continue
            banner.times += 1
            banner.reword()
            self._column.removeWidget(banner)
            self._column.insertWidget(self._first_unpinned(), banner)
            return True
        return False

    def _first_unpinned(self) -> int:
        """Where the newest goes: on top, under any pinned banner."""
        return sum(1 for banner in self._frames() if banner.pinned)

    def add_action(self, text: Wording, action: Wording,
                   on_action: Callable[[], object] | None = None,
                   key: str | None = None, *, pinned: bool = False) -> QFrame:
        """A message with one button; the button does ``on_action`` and removes
        the message (Dismiss, I understand, Undo). Offered again under the
        same ``key`` while still shown, the one shown stays. A ``pinned`` one
        stays on top, in sight, however many come after it."""
        for banner in self._frames():
            if key is not None and banner.key == key:
                return banner

        def act() -> None:
            self._dismiss(banner)
            if on_action is not None:
                on_action()

        banner = _Banner(text, action, act, key, self, pinned)
        self._column.insertWidget(0 if pinned else self._first_unpinned(), banner)
        self._update_visibility()
        return banner

    def _dismiss(self, frame: QWidget) -> None:
        focused = self.window().focusWidget()  # the window's, active or not
        had_focus = focused is not None and frame.isAncestorOf(focused)
        frame.hide()
        frame.deleteLater()
        self._column.removeWidget(frame)
        self._update_visibility()
        if had_focus:
            self.focus_left.emit()
