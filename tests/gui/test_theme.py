"""The looks: no blue at night (eyes just opened in the dark), every control
visible against its background, the same colours inside Qt's own dialogs."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QProxyStyle,
    QPushButton,
    QScrollBar,
    QSpinBox,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coach import resources
from coach.ui import theme
from coach.ui.app import CoachApp, Services
from tests.fakes.clock import FakeClock
from tests.fakes.sound import FakePlayer
from tests.fakes.speech import FakeSpeaker
from tests.fakes.timers import FakeTimers

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def is_blue(hex_colour: str) -> bool:
    """Blue to cyan and violet-blue, leaving out greys, which have no hue."""
    colour = QColor(hex_colour)
    hue, _lightness, saturation = colorsys.rgb_to_hls(colour.redF(), colour.greenF(),
                                                      colour.blueF())
    return saturation > 0.15 and 170 <= hue * 360 <= 270


def luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    colour = QColor(hex_colour)
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_blue_check_works() -> None:
    assert is_blue("#5fa3c7") and is_blue("#2a5db0") and not is_blue("#d98a4e")
    assert not is_blue("#808080")


def test_no_blue_in_the_night_look() -> None:
    sheet = theme.stylesheet(theme.NIGHT)
    palette = theme.qt_palette(theme.NIGHT)
    colours = set(HEX.findall(sheet))
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Disabled):
        for role in QPalette.ColorRole:
            if role not in (QPalette.ColorRole.NColorRoles,):
                colours.add(palette.color(group, role).name())
    assert colours and not [c for c in colours if is_blue(c)]


@pytest.mark.parametrize("image", sorted(resources.assets_dir().glob("images/*.svg")),
                         ids=lambda p: p.name)
def test_no_blue_in_the_drawings(image: Path) -> None:
    """Every drawing can be shown at night (emergency mode uses most)."""
    text = image.read_text(encoding="utf-8")
    assert not [c for c in HEX.findall(text) if is_blue(c)]


@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_an_unticked_box_is_visible(palette: theme.Palette) -> None:
    """WCAG's 3:1 for the parts of a control: the box's edge against the
    window and against its own inside."""
    sheet = theme.stylesheet(palette)
    [indicator] = re.findall(r"QCheckBox::indicator, QRadioButton::indicator \{\{?([^}]*)\}",
                             sheet)
    edge = re.search(r"border: 2px solid (#\w+)", indicator)
    inside = re.search(r"background: (#\w+)", indicator)
    assert edge and inside
    assert contrast(edge.group(1), palette.window) >= 3
    assert contrast(edge.group(1), inside.group(1)) >= 3


@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_the_tick_is_drawn_in_the_accent_text_colour(palette: theme.Palette) -> None:
    tick = resources.asset(palette.tick).read_text(encoding="utf-8")
    assert HEX.findall(tick) == [palette.accent_text]
    assert contrast(palette.accent_text, palette.accent) >= 3


@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_the_box_arrows_are_drawn_in_the_text_colour_or_muted(palette: theme.Palette) -> None:
    for direction in ("up", "down"):
        on = resources.asset(theme.arrow(palette, direction)).read_text(encoding="utf-8")
        off = resources.asset(theme.arrow(palette, direction, off=True)).read_text(
            encoding="utf-8")
        assert HEX.findall(on) == [palette.text]
        assert HEX.findall(off) == [palette.muted]
    assert contrast(palette.text, palette.button_hover) >= 4.5


def _columns(image: QImage, colour: str, top: int, bottom: int, share: float = 0) -> set[int]:
    """The x of every column whose pixels between the rows are near
    ``colour``: more than ``share`` of them."""
    wanted = QColor(colour)

    def near(x: int, y: int) -> bool:
        seen = image.pixelColor(x, y)
        return max(abs(seen.red() - wanted.red()), abs(seen.green() - wanted.green()),
                   abs(seen.blue() - wanted.blue())) <= 12

    return {x for x in range(image.width())
            if sum(near(x, y) for y in range(top, bottom)) > share * (bottom - top)}


@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_a_number_box_has_arrows_to_see_and_to_hit(qtbot: QtBot, palette: theme.Palette) -> None:
    """Not a dark bar where Qt's arrow was (a style sheet that gives a box a
    border loses Qt's own arrows), and buttons wide enough for an unsteady
    hand; at the top of its range the up arrow is greyed."""
    box = QSpinBox()
    qtbot.addWidget(box)
    box.setStyleSheet(theme.stylesheet(palette))
    box.setRange(0, 10)
    box.setValue(10)
    box.resize(200, 48)
    image = box.grab().toImage()
    half = image.height() // 2
    buttons = _columns(image, palette.button_hover, 0, image.height(), share=0.5)
    assert buttons and max(buttons) - min(buttons) >= 30
    assert min(buttons) > image.width() - 50  # at the right, clear of the number
    up_arrow = _columns(image, palette.muted, 0, half) & buttons
    down_arrow = _columns(image, palette.text, half, image.height()) & buttons
    assert len(up_arrow) >= 8 and len(down_arrow) >= 8
    assert not _columns(image, palette.text, 4, half - 2) & buttons  # up is greyed


@pytest.mark.parametrize("role", ["", "big", "primary", "danger"])
@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_a_greyed_out_button_looks_it_whatever_its_role(
        qtbot: QtBot, palette: theme.Palette, role: str) -> None:
    """A disabled Start (a primary button) still glowed in the accent colour,
    and a disabled Skip differed from Close only by a dimmer word: a half-
    asleep person pressed them and nothing happened. Greyed out, a button is
    flat on the window's colour inside a dashed border."""
    button = QPushButton("Start")
    qtbot.addWidget(button)
    button.setProperty("role", role)
    button.setStyleSheet(theme.stylesheet(palette))
    button.resize(240, 64)
    inside = (12, button.height() // 2)  # clear of the border and the word
    enabled = button.grab().toImage().pixelColor(*inside)
    button.setEnabled(False)
    image = button.grab().toImage()
    assert image.pixelColor(*inside) == QColor(palette.window) != enabled
    top_edge = [image.pixelColor(x, 1) == QColor(palette.border) for x in range(20, 220)]
    assert 0.2 < sum(top_edge) / len(top_edge) < 0.9  # dashes, not a solid line


@pytest.mark.parametrize("palette", [theme.NIGHT, theme.DAY], ids=lambda p: p.name)
def test_a_scroll_bar_is_a_wide_handle_on_a_quiet_track(qtbot: QtBot,
                                                        palette: theme.Palette) -> None:
    """Not Qt's bar with a white frame and tiny arrows, which glared beside a
    step's words at night: a track in the button colour with a handle in the
    muted colour, and no arrow buttons to miss. (No wider than Qt's 14 px: the
    history screen at 150% has no pixel to spare.)"""
    bar = QScrollBar(Qt.Orientation.Vertical)
    qtbot.addWidget(bar)
    bar.setStyleSheet(theme.stylesheet(palette))
    bar.setRange(0, 100)
    bar.setPageStep(100)  # the handle fills half the track
    bar.resize(bar.sizeHint().width(), 300)
    image = bar.grab().toImage()
    assert image.width() == 14
    middle = image.width() // 2
    column = [image.pixelColor(middle, y) for y in range(image.height())]
    handle = [y for y, colour in enumerate(column) if colour.name() == palette.muted]
    track = [y for y, colour in enumerate(column) if colour.name() == palette.button]
    assert len(handle) > 120 and len(track) > 120
    # Elsewhere only the two blended at the handle's round ends: no frame.
    def channels(colour: QColor) -> tuple[int, int, int]:
        return colour.red(), colour.green(), colour.blue()

    ends = list(zip(channels(QColor(palette.muted)), channels(QColor(palette.button)),
                    strict=True))
    for colour in column:
        assert all(min(a, b) - 2 <= value <= max(a, b) + 2
                   for value, (a, b) in zip(channels(colour), ends, strict=True)), colour


class _ButtonIconsStyle(QProxyStyle):
    """A desktop whose theme puts icons on dialog buttons, as Qt's does under
    a plain X11 window manager."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,
                  widget: QWidget | None = None,
                  returnData: QStyleHintReturn | None = None) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, returnData)


def test_dialog_buttons_are_words_only(qtbot: QtBot) -> None:
    """Under a plain window manager Save wore a blue floppy disk and Cancel a
    red cross, unlike every other button in the app (and blue at night)."""
    box = QDialogButtonBox()
    qtbot.addWidget(box)
    box.setStyle(_ButtonIconsStyle())
    box.setStyleSheet(theme.stylesheet(theme.NIGHT))
    box.setStandardButtons(QDialogButtonBox.StandardButton.Save
                           | QDialogButtonBox.StandardButton.Cancel)
    assert [button.icon().isNull() for button in box.buttons()] == [True, True]


def test_the_app_takes_the_palette_for_qts_own_dialogs(qapp: QApplication) -> None:
    from coach.ui.app import CoachApp, Services

    app = CoachApp(qapp, Services(), theme_override="night")
    try:
        highlight = qapp.palette().color(QPalette.ColorRole.Highlight).name()
        assert highlight == theme.NIGHT.accent
    finally:
        app.shutdown()


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture()
def auto_app(qapp: QApplication, qtbot: QtBot, clock: FakeClock,
             timers: FakeTimers) -> Iterator[CoachApp]:
    """The real app following the clock (the other GUI tests hold the night
    look), in Berlin."""
    app = CoachApp(qapp, Services(clock=clock, timers=timers, player=FakePlayer(),
                                  speaker=FakeSpeaker(), tray=False, zone=lambda: BERLIN))
    qtbot.addWidget(app.window)
    yield app
    app.shutdown()


def test_the_morning_the_clocks_go_forward_day_comes_at_eight(
        auto_app: CoachApp, qapp: QApplication, clock: FakeClock, timers: FakeTimers) -> None:
    """A time audit's case: the wait was worked out as wall-clock time, an
    hour too long across the change, so the night look stayed till 09:00."""
    clock.jump_wall(datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN) - clock.wall())
    auto_app.apply_theme()
    assert qapp.property("theme") == "night"
    timers.advance(6 * 3600 + 2)  # 08:00:02 CEST, 01:00 CET being 00:00 UTC
    assert qapp.property("theme") == "day"


def test_after_a_suspend_the_look_follows_the_clock(
        auto_app: CoachApp, qapp: QApplication, clock: FakeClock, timers: FakeTimers) -> None:
    """A time audit's case: asleep from 09:00 to 23:00, and the day look all
    night: the switch's timer does not count a suspend."""
    clock.jump_wall(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN) - clock.wall())
    auto_app.apply_theme()
    assert qapp.property("theme") == "day"
    auto_app.start_resident()
    clock.suspend(14 * 3600)
    timers.advance(60)  # the once-a-minute look at the clock notices the jump
    assert qapp.property("theme") == "night"
