"""Day and night looks.

The night theme is for eyes that have just opened in a dark room: a warm, dim
background (no pure black or white), amber accents and no blue, and large type.
Sizes are in points so they follow the screen's DPI.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from coach import resources
from coach.core import nighttime


class Palette(NamedTuple):
    name: str
    window: str
    text: str
    muted: str
    button: str
    button_hover: str
    border: str
    accent: str
    accent_text: str
    danger: str
    danger_text: str
    flash: str
    tick: str
    """The check mark drawn on ``accent``, in ``accent_text`` (an asset)."""


NIGHT = Palette(
    name="night", window="#1b1512", text="#f0dcc4", muted="#b89f86", button="#2d231d",
    button_hover="#3c2e25", border="#6b5141", accent="#d98a4e", accent_text="#1b1512",
    danger="#9e3b28", danger_text="#fff1e6", flash="#5a3a22", tick="icons/tick-dark.svg",
)
DAY = Palette(
    name="day", window="#faf6f0", text="#2a211b", muted="#6b5a4c", button="#efe4d6",
    button_hover="#e6d5c1", border="#b59b82", accent="#a8541c", accent_text="#ffffff",
    danger="#b03a26", danger_text="#ffffff", flash="#f3d2a8", tick="icons/tick-light.svg",
)


def choose(setting: str, hour: int) -> Palette:
    """``hour`` is the local clock's."""
    return NIGHT if nighttime.resolve(setting, hour) == "night" else DAY



def apply(qapp: QApplication, palette: Palette, compact: bool) -> None:
    """Give the whole app this look, unless it has it already: a style
    sheet set again re-styles every widget."""
    look = f"{palette.name}{' compact' if compact else ''}"
    if qapp.property("look") != look:
        qapp.setPalette(qt_palette(palette))
        qapp.setStyleSheet(stylesheet(palette, compact))
        qapp.setProperty("look", look)
        qapp.setProperty("theme", palette.name)


def qt_palette(p: Palette) -> QPalette:
    """For what a style sheet does not reach: the standard dialogs' selection
    and focus (Qt's default highlight is blue, which has no place at night),
    links, and the disabled look of menu items."""
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, p.window),
                         (QPalette.ColorRole.WindowText, p.text),
                         (QPalette.ColorRole.Base, p.button),
                         (QPalette.ColorRole.AlternateBase, p.button_hover),
                         (QPalette.ColorRole.Text, p.text),
                         (QPalette.ColorRole.Button, p.button),
                         (QPalette.ColorRole.ButtonText, p.text),
                         (QPalette.ColorRole.ToolTipBase, p.button),
                         (QPalette.ColorRole.ToolTipText, p.text),
                         (QPalette.ColorRole.PlaceholderText, p.muted),
                         (QPalette.ColorRole.Highlight, p.accent),
                         (QPalette.ColorRole.HighlightedText, p.accent_text),
                         (QPalette.ColorRole.Link, p.accent),
                         (QPalette.ColorRole.LinkVisited, p.accent),
                         (QPalette.ColorRole.Accent, p.accent),
                         (QPalette.ColorRole.BrightText, p.danger_text)):
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.muted))
    return palette


COMPACT_SCALE = 0.75
"""Type of 20 pt and over, and the padding of big buttons, in a compact
window (see :func:`stylesheet`)."""


def stylesheet(p: Palette, compact: bool = False) -> str:
    """``compact`` for a short window (a 1024×600 netbook, 150% scaling):
    the big type and big buttons shrink by a quarter, so a step and its
    controls still fit without scrolling; body text keeps its size."""
    sheet = _sheet(p)
    if not compact:
        return sheet

    def smaller(match: re.Match[str]) -> str:
        size = int(match.group(1))
        return f"font-size: {round(size * COMPACT_SCALE) if size >= 20 else size}pt"

    def tighter(match: re.Match[str]) -> str:
        return f"padding: {round(int(match.group(1)) * 0.6)}px {round(int(match.group(2)) * 0.7)}px"

    sheet = re.sub(r"font-size: (\d+)pt", smaller, sheet)
    return re.sub(r"padding: (1[4-9]|[2-9]\d)px (\d+)px", tighter, sheet)


def arrow(p: Palette, direction: str, off: bool = False) -> str:
    """The arrow asset of a number, time or choice box: ``direction`` "up"
    or "down", drawn in ``text``, or in ``muted`` when ``off`` (at its
    limit, or the box disabled). Qt's own arrows vanish once a style sheet
    gives these boxes a border, leaving a dark bar where the arrow was."""
    return f"icons/arrow-{direction}-{p.name}{'-off' if off else ''}.svg"


def _sheet(p: Palette) -> str:
    tick = resources.asset(p.tick).as_posix()
    up, down, up_off, down_off = (resources.asset(arrow(p, direction, off)).as_posix()
                                  for off in (False, True) for direction in ("up", "down"))
    return f"""
QWidget {{ background: {p.window}; color: {p.text}; font-size: 14pt; }}
QLabel {{ background: transparent; }}
QLabel[role="muted"] {{ color: {p.muted}; }}
QLabel[role="step"] {{ font-size: 30pt; font-weight: 600; }}
QLabel[role="headline"] {{ font-size: 24pt; font-weight: 700; }}
QLabel[role="call"] {{ font-size: 24pt; font-weight: 800; }}
QLabel[role="same_day"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="title"] {{ font-size: 24pt; font-weight: 700; }}
QLabel[role="countdown"] {{ font-size: 72pt; font-weight: 700; color: {p.accent}; }}
QLabel[role="countdown"][flash="true"] {{ background: {p.flash}; border-radius: 16px; }}
QLabel[role="stopwatch"] {{ font-size: 16pt; color: {p.muted}; }}
QLabel[role="badge"] {{ font-size: 12pt; color: {p.muted}; }}
QLabel[role="flag"] {{ font-size: 15pt; color: {p.accent}; }}
QLabel[role="notice"] {{ font-size: 13pt; }}
QFrame[role="banner"] {{ background: {p.button}; border: 2px solid {p.border};
    border-radius: 10px; }}
QFrame[role="banner"] QPushButton, QPushButton[role="more"] {{ font-size: 13pt;
    padding: 4px 14px; border-radius: 10px; }}
QFrame[role="danger"] {{ background: {p.danger}; border-radius: 14px; padding: 10px; }}
QFrame[role="danger"] QLabel {{ color: {p.danger_text}; }}
QPushButton {{ background: {p.button}; color: {p.text}; border: 2px solid {p.border};
    border-radius: 14px; padding: 10px 18px; font-size: 16pt; }}
QPushButton:hover {{ background: {p.button_hover}; }}
QPushButton:checked {{ background: {p.accent}; color: {p.accent_text};
    border-color: {p.text}; }}
QPushButton:focus {{ border: 4px solid {p.accent}; }}
QPushButton[role="place"] {{ padding: 4px; }}
QLabel[role="place"] {{ font-size: 30pt; font-weight: 700; }}
QLabel[role="big"] {{ font-size: 22pt; font-weight: 700; }}
QPushButton[role="cramp"] {{ background: {p.accent}; color: {p.accent_text};
    border-color: {p.accent}; font-size: 40pt; font-weight: 800; }}
QPushButton[role="cramp"]:focus {{ border: 5px solid {p.text}; }}
QPushButton[role="big"] {{ font-size: 22pt; font-weight: 700; padding: 16px 28px; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text};
    border-color: {p.accent}; font-size: 22pt; font-weight: 700; padding: 16px 28px; }}
QPushButton[role="primary"]:focus {{ border: 4px solid {p.text}; }}
QPushButton[role="danger"] {{ background: {p.danger}; color: {p.danger_text};
    border-color: {p.danger}; font-size: 20pt; font-weight: 700; padding: 14px 24px; }}
QPushButton[role="danger"]:focus {{ border: 4px solid {p.text}; }}
QPushButton:disabled {{ color: {p.muted}; background: {p.window};
    border: 2px dashed {p.border}; }}
QCheckBox, QRadioButton {{ font-size: 14pt; spacing: 10px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 22px; height: 22px;
    background: {p.button}; border: 2px solid {p.text}; }}
QCheckBox::indicator {{ border-radius: 5px; }}
QRadioButton::indicator {{ border-radius: 13px; }}
QCheckBox::indicator:checked {{ background: {p.accent}; border-color: {p.accent};
    image: url("{tick}"); }}
QRadioButton::indicator:checked {{ background: qradialgradient(cx:0.5, cy:0.5, radius:0.5,
    fx:0.5, fy:0.5, stop:0 {p.accent}, stop:0.55 {p.accent}, stop:0.6 {p.button}); }}
QCheckBox:focus, QRadioButton:focus {{ color: {p.accent}; }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {p.muted}; }}
QCheckBox::indicator:checked:disabled {{ background: {p.border}; border-color: {p.border}; }}
QCheckBox:disabled, QRadioButton:disabled {{ color: {p.muted}; }}
QRadioButton[role="choice"], QCheckBox[role="choice"] {{ font-size: 20pt; font-weight: 700;
    background: {p.button}; border: 2px solid {p.border}; border-radius: 14px;
    padding: 10px 16px; }}
QRadioButton[role="choice"]:checked, QCheckBox[role="choice"]:checked {{
    background: {p.accent}; color: {p.accent_text}; border-color: {p.text}; }}
QRadioButton[role="number"] {{ font-size: 20pt; font-weight: 700; background: {p.button};
    border: 2px solid {p.border}; border-radius: 14px; padding: 10px 14px; spacing: 0px; }}
QRadioButton[role="number"]::indicator {{ width: 0px; height: 0px; border: 0px;
    background: transparent; }}
QRadioButton[role="number"]:checked {{ background: {p.accent}; color: {p.accent_text};
    border-color: {p.text}; }}
QRadioButton[role="choice"]:focus, QCheckBox[role="choice"]:focus,
QRadioButton[role="number"]:focus {{ border: 4px solid {p.text}; }}
QMenu {{ background: {p.button}; color: {p.text}; border: 1px solid {p.border};
    padding: 4px; }}
QMenu::item {{ padding: 6px 24px; }}
QMenu::item:selected {{ background: {p.accent}; color: {p.accent_text}; }}
QMenu::item:disabled {{ color: {p.muted}; font-style: italic; }}
QMenu::separator {{ height: 1px; background: {p.border}; margin: 4px 8px; }}
QListWidget, QTableView, QTreeView, QPlainTextEdit, QLineEdit, QSpinBox, QComboBox,
QTimeEdit, QDateTimeEdit {{ background: {p.button}; border: 2px solid {p.border};
    border-radius: 8px; padding: 4px; selection-background-color: {p.accent};
    selection-color: {p.accent_text}; }}
QListWidget:focus, QTableView:focus, QTreeView:focus, QPlainTextEdit:focus, QLineEdit:focus,
QSpinBox:focus, QComboBox:focus, QTimeEdit:focus, QDateTimeEdit:focus {{
    border: 3px solid {p.accent}; }}
QLineEdit:disabled, QSpinBox:disabled, QComboBox:disabled, QTimeEdit:disabled,
QDateTimeEdit:disabled {{ color: {p.muted}; background: {p.window}; border-style: dashed; }}
QSpinBox, QDateTimeEdit {{ padding-right: 36px; }}
QSpinBox::up-button, QDateTimeEdit::up-button, QSpinBox::down-button,
QDateTimeEdit::down-button {{ subcontrol-origin: border; width: 34px;
    background: {p.button_hover}; border-left: 1px solid {p.border}; }}
QSpinBox::up-button, QDateTimeEdit::up-button {{ subcontrol-position: top right;
    border-top-right-radius: 6px; }}
QSpinBox::down-button, QDateTimeEdit::down-button {{ subcontrol-position: bottom right;
    border-bottom-right-radius: 6px; }}
QSpinBox::up-arrow, QDateTimeEdit::up-arrow {{ image: url("{up}"); width: 16px;
    height: 16px; }}
QSpinBox::down-arrow, QDateTimeEdit::down-arrow, QComboBox::down-arrow {{
    image: url("{down}"); width: 16px; height: 16px; }}
QSpinBox::up-arrow:off, QDateTimeEdit::up-arrow:off, QSpinBox::up-arrow:disabled,
QDateTimeEdit::up-arrow:disabled {{ image: url("{up_off}"); }}
QSpinBox::down-arrow:off, QDateTimeEdit::down-arrow:off, QSpinBox::down-arrow:disabled,
QDateTimeEdit::down-arrow:disabled, QComboBox::down-arrow:disabled {{
    image: url("{down_off}"); }}
QComboBox::drop-down, QDateTimeEdit::drop-down {{ subcontrol-origin: border;
    subcontrol-position: top right; width: 34px; background: {p.button_hover};
    border-left: 1px solid {p.border}; border-top-right-radius: 6px;
    border-bottom-right-radius: 6px; }}
QHeaderView::section {{ background: {p.button}; color: {p.text}; border: 0;
    padding: 4px; }}
QProgressBar {{ background: {p.button}; border: 2px solid {p.border}; border-radius: 8px;
    height: 14px; text-align: center; }}
QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
QScrollArea {{ border: 0; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QScrollBar:vertical {{ background: {p.button}; width: 14px; margin: 0; border: 0;
    border-radius: 7px; }}
QScrollBar:horizontal {{ background: {p.button}; height: 14px; margin: 0; border: 0;
    border-radius: 7px; }}
QScrollBar::handle {{ background: {p.muted}; border-radius: 7px; }}
QScrollBar::handle:vertical {{ min-height: 48px; }}
QScrollBar::handle:horizontal {{ min-width: 48px; }}
QScrollBar::handle:hover {{ background: {p.text}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QToolTip {{ background: {p.button}; color: {p.text}; border: 1px solid {p.border}; }}
"""
