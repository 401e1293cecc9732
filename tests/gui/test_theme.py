"""The looks: no blue at night (eyes just opened in the dark), every control
visible against its background, the same colours inside Qt's own dialogs."""

from __future__ import annotations

import colorsys
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from coach import resources
from coach.ui import theme

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


def test_the_app_takes_the_palette_for_qts_own_dialogs(qapp: QApplication) -> None:
    from coach.ui.app import CoachApp, Services

    app = CoachApp(qapp, Services(), theme_override="night")
    try:
        highlight = qapp.palette().color(QPalette.ColorRole.Highlight).name()
        assert highlight == theme.NIGHT.accent
    finally:
        app.shutdown()
