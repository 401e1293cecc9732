"""The layout pieces that keep a screen within a short window: a row of
buttons that wraps into as few, even lines as fit, a page stack sized by the
page on screen, and a guide's drawing, words and countdown side by side (see
test_fits_small_screens.py for whole screens)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from coach.core.model import Evidence, Provenance
from coach.ui.basics import PageStack
from coach.ui.widgets import ButtonRow, GuideBody
from tests.fakes.clock import FakeClock
from tests.fakes.timers import FakeTimers


class Box(QWidget):
    def __init__(self, width: int, height: int = 30) -> None:
        super().__init__()
        self.hint = QSize(width, height)

    def sizeHint(self) -> QSize:
        return self.hint


def make_row(qtbot: QtBot, boxes: list[Box], width: int) -> ButtonRow:
    row = ButtonRow()
    qtbot.addWidget(row)
    for box in boxes:
        row.add(box)
    row.resize(width, 200)
    row.show()
    qtbot.waitExposed(row)
    return row


def lines_of(row: ButtonRow, boxes: list[Box]) -> list[list[int]]:
    """The boxes' indexes, line by line."""
    lines: dict[int, list[int]] = {}
    for index, box in enumerate(boxes):
        lines.setdefault(box.y(), []).append(index)
    assert row.lines() == len(lines)
    return [lines[top] for top in sorted(lines)]


def rows_of(qtbot: QtBot, count: int, width: int) -> list[list[int]]:
    boxes = [Box(100) for _ in range(count)]
    return lines_of(make_row(qtbot, boxes, width), boxes)


def test_buttons_stay_on_one_line_while_they_fit(qtbot: QtBot) -> None:
    assert rows_of(qtbot, 4, 460) == [[0, 1, 2, 3]]


def test_a_narrow_row_wraps_into_even_lines_in_order(qtbot: QtBot) -> None:
    """Two lines of two, not four buttons one above the other: Next (last)
    stays near the others instead of falling below the fold."""
    assert rows_of(qtbot, 4, 250) == [[0, 1], [2, 3]]
    assert rows_of(qtbot, 3, 250) == [[0, 1], [2]]
    assert rows_of(qtbot, 4, 120) == [[0], [1], [2], [3]]


def test_the_row_wraps_again_when_its_buttons_grow(qtbot: QtBot) -> None:
    """New words (another language, the compact look) change the buttons'
    widths and not the row's."""
    boxes = [Box(100) for _ in range(4)]
    row = make_row(qtbot, boxes, 460)
    assert lines_of(row, boxes) == [[0, 1, 2, 3]]
    for box in boxes:
        box.hint = QSize(200, 30)
        box.updateGeometry()
    qtbot.waitUntil(lambda: lines_of(row, boxes) == [[0, 1], [2, 3]], timeout=1000)


def test_a_page_stack_asks_for_the_height_of_the_page_shown(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    stack = PageStack()
    QVBoxLayout(holder).addWidget(stack)
    tall, short = Box(100, 400), Box(100, 50)
    for page in (tall, short):
        page.setMinimumHeight(page.sizeHint().height())
        stack.addWidget(page)
    stack.setCurrentWidget(short)
    assert stack.sizeHint().height() == 50 and stack.minimumSizeHint().height() == 50
    stack.setCurrentWidget(tall)
    assert stack.sizeHint().height() == 400 and stack.minimumSizeHint().height() == 400
    assert stack.currentWidget() is tall


def test_a_guide_gives_its_drawing_a_fifth_of_a_netbook_window(qtbot: QtBot) -> None:
    """Read without glasses: at 1024×600 the drawing was 146 px of the 960 a
    step has, beside words that rarely filled their column. It has about a
    fifth now; the words still get the most, and every step of every guide
    still fits without scrolling (test_fits_small_screens)."""
    body = GuideBody(minimum_drawing=130, timers=FakeTimers(FakeClock()))
    qtbot.addWidget(body)
    body.show_guidance(image="images/calf_pull_toes.svg", alt="Pull the toes",
                       heading="Pull", detail="Sit up.", flags=(),
                       provenance=Provenance(Evidence.GUIDELINE, "NHS"))
    body.resize(960, 320)
    body.show()
    qtbot.waitExposed(body)
    assert body.illustration.width() >= 170
    assert body.countdown.width() >= 200  # "Приготовьтесь" and "0:30" whole
