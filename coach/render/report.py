"""The PDF report for the doctor: a period's summary, red flags, the weekly
chart, the safety profile and medicines, routine adherence and every cramp.

Qt draws it (HTML laid out by QTextDocument, printed by QPdfWriter), so no PDF
library is needed. Qt is imported inside the functions, never at module level,
so that ``cramp-coach export diary.csv`` and anything else that imports this
module without writing a PDF never loads Qt.

Qt needs a QGuiApplication for fonts and images. :func:`write_report` uses the
running one (the app's) or, in the command line, makes one itself, defaulting
``QT_QPA_PLATFORM`` to ``offscreen`` so a report can be written over SSH or
from a script with no display. A platform named in ``QT_QPA_PLATFORM`` is
respected.

Everything except the chart is real PDF text, so it can be searched, copied
and read by a screen reader. One limit is Qt's: its PDF writer maps only
characters up to U+FFFF back to text, so characters beyond (most emoji) are
drawn but cannot be copied out of the PDF. The CSV export keeps them.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Final

from coach.app.diary import Insights, PeriodSummary
from coach.core import insights, wording
from coach.core.diary import SEVERITY_MAX, RoutineSession
from coach.core.export_csv import refuse_to_replace
from coach.core.i18n import N_, _, ngettext
from coach.core.labels import (
    MEDICINE_LABELS,
    SYMPTOM_LABELS,
    TRIGGER_LABELS,
    label,
    medicine_label,
    place_label,
    side_label,
)
from coach.core.profile import Condition
from coach.core.wording import minutes_seconds
from coach.render.pdf import ensure_gui_app, pdf_writer, save, text_document

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QTextDocument

FOOTER: Final = N_("Made by Cramp Coach on this computer. Not a diagnosis.")
"""In English; every page says it in the current language."""
TITLE: Final = N_("Night leg cramps: diary report")
_RESOLUTION_DPI: Final = 300
_MARGIN_MM: Final = 15.0
# The chart in the page's CSS pixels (96 a inch: 680 fills A4 inside the
# margins), drawn at 4x so it stays sharp on paper.
_CHART_SIZE: Final = (680, 220)
_CHART_SCALE: Final = 4
_CHART_URL: Final = "chart:weekly"


def write_report(path: Path, report: Insights, zone: tzinfo, *, force: bool = False) -> int:
    """Write the report of ``report`` (see :func:`coach.app.diary.insights_for`)
    to ``path`` and return how many cramps it lists.

    Refuses to replace an existing file unless ``force`` (FileExistsError, so
    the caller can ask first). The PDF is made in memory and then written
    through a temporary file that replaces ``path``, so a failure never leaves
    half a report or destroys the old one; a write failure is raised as
    :class:`ExportError` with a message for the user.
    """
    refuse_to_replace(path, force)
    summary = report.period
    document = _html(summary, zone, report.six_week.summary, report.flags, report.profile,
                     report.medicines_started)
    save(path, _pdf(document, summary.weeks))
    return summary.cramps


# -- text ----------------------------------------------------------------------


_long_date = wording.long_date
_short_date = wording.short_date


def _text(value: str) -> str:
    """User text, escaped, with its line breaks kept."""
    return html.escape(value).replace("\n", "<br>")


# Qt's HTML subset: lengths in px (a 96th of an inch), no page-break-inside.
# Tables keep separate cell borders: border-collapse makes Qt's layout 3x slower.
_STYLE: Final = """
h1 { font-size: 17pt; margin-bottom: 4px; }
h2 { font-size: 12.5pt; margin-top: 18px; margin-bottom: 6px; }
p { margin-top: 0; margin-bottom: 6px; }
p.flag { margin-bottom: 10px; }
table.rows { font-size: 8pt; border-color: #b4b4b4; border-style: solid; }
table.rows th { background-color: #e4e4e4; font-weight: 600; text-align: left; }
"""
# Episode columns and their share of the page width. Triggers, medicines and
# symptoms share one column: ten columns do not fit a portrait page legibly.
_EPISODE_COLUMNS: Final = (
    # Translators: the headings of the report's table of cramps (When, Length,
    # Where, Leg, How bad, Details, Notes): keep them short.
    (N_("When"), 13), (N_("Length"), 8), (N_("Where"), 11), (N_("Leg"), 9),
    (N_("How bad"), 7), (N_("Details"), 24), (N_("Notes"), 28))


def _html(summary: PeriodSummary, zone: tzinfo, check: str, flags: Sequence[insights.RedFlag],
          conditions: frozenset[Condition], medicines_started: Mapping[str, date]) -> str:
    weeks = len(summary.weeks)
    # Translators: {first} and {today} are dates, e.g. "5 January 2026"; {zone} is a
    # time zone's name, e.g. "Europe/London".
    period = ngettext("{weeks} week, from Monday {first} to {today}. Times are local ({zone}).",
                      "{weeks} weeks, from Monday {first} to {today}. Times are local ({zone}).",
                      weeks).format(weeks=weeks, first=_long_date(summary.first),
                                    today=_long_date(summary.today), zone=zone)
    if summary.counted_from > summary.first:
        # Translators: {day} is a date, e.g. "16 November 2026".
        period += " " + _("The diary began on the night of {day}: the averages and the "
                          "routine's nights count from then.").format(
            day=_long_date(summary.counted_from))
    flag_weeks = insights.RED_FLAG_WEEKS
    parts = [f"<html><head><style>{_STYLE}</style></head><body>",
             f"<h1>{html.escape(_(TITLE))}</h1>",
             _paragraph(period),
             # Translators: a heading of the report for the doctor.
             _heading(_("Summary")), _facts(summary, zone),
             _heading(ngettext("Worth discussing (last {weeks} week)",
                               "Worth discussing (last {weeks} weeks)",
                               flag_weeks).format(weeks=flag_weeks)),
             _flags(flags),
             _heading(_("Cramps and the bedtime routine, week by week")),
             f'<p><img src="{_CHART_URL}" width="{_CHART_SIZE[0]}" '
             f'height="{_CHART_SIZE[1]}"></p>',
             _paragraph(_("Bars: cramps a week. Dots: nights a week with the bedtime "
                          "routine done (7 dots a week).")), _paragraph(check),
             # Translators: a heading of the report for the doctor.
             _heading(_("Health profile")), _profile(conditions, medicines_started),
             # Translators: a heading of the report for the doctor.
             _heading(_("Routines")), _routines(summary.sessions),
             # Translators: a heading of the report for the doctor; {count} is the number
             # of cramps listed under it.
             _heading(_("Every cramp in the period ({count})").format(count=summary.cramps)),
             _episodes(summary, zone),
             "</body></html>"]
    # CLDR joins "2026 г." and "9:00 AM" with a narrow no-break space, which
    # Qt's line breaker takes for a break: a narrow cell put «г.» on a line of
    # its own (a Russian audit). Qt keeps to the plain no-break space.
    return "".join(parts).replace("\u202f", "\u00a0")


def _heading(text: str) -> str:
    return f"<h2>{html.escape(text)}</h2>"


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _facts(summary: PeriodSummary, zone: tzinfo) -> str:

    longest = summary.longest
    average = summary.average_s
    # Its night, as the findings name it (a cramp at 02:00 on the 10th is the
    # night of the 9th to the 10th): one cramp, one night, wherever the report
    # names it.
    # Translators: {length} is how long the longest cramp lasted, as min:sec; {night}
    # the night, e.g. "9 to 10 March".
    longest_text = "–" if longest is None else _("{length} (the night of {night})").format(
        length=minutes_seconds(round(longest.duration_s)),
        night=wording.night(insights.night_of(longest.started, zone)))
    rows = [(_("Cramps logged"), str(summary.cramps)),
            (_("Average a week"), wording.decimal(summary.per_week, places=1)),
            (_("Average length (min:sec)"),
             "–" if average is None else minutes_seconds(round(average))),
            (_("Longest (min:sec)"), longest_text),
            (_("Nights with the bedtime routine done"),
             # Translators: e.g. "9 of 84 (11%)": nights with the routine done, of all nights.
             _("{done} of {nights} ({share})").format(
                 done=summary.routine_nights, nights=summary.nights,
                 share=wording.percent(summary.adherence)))]
    cells = "".join(f'<tr><td style="padding-right: 24px">{html.escape(name)}</td>'
                    f"<td><b>{html.escape(value)}</b></td></tr>"
                    for name, value in rows)
    return f'<table cellpadding="2" cellspacing="0">{cells}</table>'


MAX_NIGHTS_NAMED = 12
"""Nights of a repeated finding named in the report; past these, a count."""


def _flags(flags: Sequence[insights.RedFlag]) -> str:
    """Each finding once, the most recent in full: the same finding on other
    nights is named by its nights, where one paragraph each had pushed the
    chart pages back (20 long cramps: the chart on page 5)."""
    if not flags:
        return _paragraph(_("Nothing in the diary matched the patterns Cramp Coach flags."))
    who = html.escape(_("Who to see:"))
    alike: dict[str, list[insights.RedFlag]] = {}
    for flag in flags:  # findings about a night are alike by title; others stand alone
        alike.setdefault(flag.title if flag.night is not None else flag.id, []).append(flag)
    parts = []
    for first, *others in alike.values():
        # Nights, not findings: two long cramps in one night are one night.
        nights = [wording.night(night) for night in dict.fromkeys(
            f.night for f in others if f.night is not None and f.night != first.night)]
        again = ""
        if nights:
            named = ", ".join(nights[:MAX_NIGHTS_NAMED])
            if len(nights) > MAX_NIGHTS_NAMED:
                # Translators: after a list of nights; {n} more are not named.
                named += " " + ngettext("and {n} more", "and {n} more",
                                        len(nights) - MAX_NIGHTS_NAMED).format(
                    n=len(nights) - MAX_NIGHTS_NAMED)
            # Translators: {n} nights; {nights} lists them ("2 to 3 November, 28 to 29
            # October"), each as the night of "the night of {night}".
            again = "<br>" + html.escape(ngettext(
                "The same on {n} more night: {nights}.", "The same on {n} more nights: {nights}.",
                len(nights)).format(n=len(nights), nights=named))
        parts.append(f'<p class="flag"><b>{html.escape(first.title)}</b><br>'
                     f"{html.escape(first.message)}{again}<br><i>{who}</i> "
                     f"{html.escape(first.who_to_see)}</p>")
    return "".join(parts)


def _profile(conditions: frozenset[Condition], medicines_started: Mapping[str, date]) -> str:

    noted = [c.label for c in Condition if c in conditions]
    # Translators: after "Conditions noted:" in the report, when there are none.
    conditions_text = "; ".join(noted) if noted else _("none")
    parts = ["<p><b>{}</b> {}</p>".format(html.escape(_("Conditions noted:")),
                                          html.escape(conditions_text))]
    # Translators: {medicine} is e.g. "A statin"; {day} a date, e.g. "5 January 2026".
    taking = [_("{medicine}, since {day}").format(medicine=medicine_label(kind),
                                                  day=_long_date(day))
              for kind, day in sorted(medicines_started.items(), key=lambda item: item[1])]
    # Translators: after "Medicines that can cause cramps:" in the report, when there are none.
    medicines_text = "; ".join(taking) if taking else _("none noted")
    parts.append("<p><b>{}</b> {}</p>".format(
        html.escape(_("Medicines that can cause cramps:")), html.escape(medicines_text)))
    return "".join(parts)


def _routines(sessions: Sequence[RoutineSession]) -> str:
    if not sessions:
        return _paragraph(_("No routines were done in the period."))
    done = Counter(s.routine_id for s in sessions if s.completed)
    stopped = Counter(s.routine_id for s in sessions if not s.completed)
    titles = {s.routine_id: s.routine_title for s in sessions}  # the latest title wins
    rows = "".join(f"<tr><td>{html.escape(titles[rid])}</td><td>{done[rid]}</td>"
                   f"<td>{stopped[rid]}</td></tr>"
                   for rid in sorted(titles, key=lambda rid: titles[rid]))
    # Translators: the headings of the report's table of routines: how often each
    # was completed and how often stopped early.
    head = "".join(f"<th>{html.escape(name)}</th>"
                   for name in (_("Routine"), _("Completed"), _("Stopped early")))
    return ('<table class="rows" border="1" cellpadding="3" cellspacing="0" width="70%">'
            f"<thead><tr>{head}</tr></thead>{rows}</table>")


def _episodes(summary: PeriodSummary, zone: tzinfo) -> str:
    if not summary.episodes:
        return _paragraph(_("No cramps were logged in the period."))
    def names(ids: frozenset[str], labels: Mapping[str, str]) -> str:
        return html.escape("; ".join(sorted(label(labels, i) for i in ids)))

    head = "".join(f'<th width="{share}%">{html.escape(_(name))}</th>'
                   for name, share in _EPISODE_COLUMNS)
    # Translators: what a cramp's entry in the report lists: what may have brought it
    # on, medicines taken, and what was noticed in the leg.
    triggers_name, medicines_name, symptoms_name = (
        html.escape(_("Triggers")), html.escape(_("Medicines")), html.escape(_("In the leg")))
    rows = []
    for e in summary.episodes:
        local = e.started.astimezone(zone)
        medicines = names(e.medicines, MEDICINE_LABELS)
        if e.medicine_note:
            medicines += f" ({_text(e.medicine_note)})"
        details = [f"<i>{name}:</i> {value}" for name, value in (
            (triggers_name, names(e.triggers, TRIGGER_LABELS)), (medicines_name, medicines),
            (symptoms_name, names(e.symptoms, SYMPTOM_LABELS))) if value]
        severity = "" if e.severity is None else f"{e.severity}/{SEVERITY_MAX}"
        cells = (f"{_short_date(local.date())}<br>{wording.clock_time(local)}",
                 minutes_seconds(round(e.duration_s)),
                 html.escape(place_label(e.place)),
                 html.escape(side_label(e.side)), severity, "<br>".join(details),
                 _text(e.notes))
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return ('<table class="rows" border="1" cellpadding="3" cellspacing="0" width="100%">'
            f"<thead><tr>{head}</tr></thead>{''.join(rows)}</table>")


# -- drawing -------------------------------------------------------------------


def _chart_image(weeks: Sequence[insights.Week]) -> QImage:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QImage, QPainter

    from coach.render.chart import ChartColors, paint_weekly_chart

    width, height = _CHART_SIZE
    image = QImage(width * _CHART_SCALE, height * _CHART_SCALE, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(_CHART_SCALE)
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(11)
    painter.setFont(font)
    paint_weekly_chart(painter, QRectF(0, 0, width, height), weeks, ChartColors.print())
    painter.end()
    return image


def _keep_headings_with_their_text(text: QTextDocument, page_height: float) -> None:
    """A heading at the foot of a page, its table or paragraph on the next,
    starts the next page instead. Qt's layout has no "keep with next"; so
    each heading whose following block starts on a later page gets a page
    break before it, and the document is laid out again, until none does."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    layout = text.documentLayout()
    for _pass in range(50):  # each pass moves at least one heading on
        moved = False
        block = text.begin()
        while block.isValid():
            following = block.next()
            if (block.blockFormat().headingLevel() and following.isValid()
                    and block.blockFormat().pageBreakPolicy()
                    == QTextFormat.PageBreakFlag.PageBreak_Auto):
                here = int(layout.blockBoundingRect(block).top() // page_height)
                there = int(layout.blockBoundingRect(following).top() // page_height)
                if there > here:
                    cursor = QTextCursor(block)
                    form = block.blockFormat()
                    form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    cursor.setBlockFormat(form)
                    moved = True
                    break  # laid out again before looking further
            block = following
        if not moved:
            return


def _pdf(document: str, weeks: Sequence[insights.Week]) -> bytes:
    """Lay the HTML out on A4 pages with the footer and page number on each."""
    ensure_gui_app()
    from PySide6.QtCore import QRectF, QSizeF, Qt, QUrl
    from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextDocument

    writer, buffer, data = pdf_writer(_(TITLE), "A4", _MARGIN_MM, _RESOLUTION_DPI)
    text = text_document(writer, 10)
    small = QFont(text.defaultFont())
    small.setPointSize(8)
    text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(_CHART_URL),
                     _chart_image(weeks))
    text.setHtml(document)

    page = writer.pageLayout().paintRectPixels(_RESOLUTION_DPI)
    line = QFontMetricsF(small, writer).height()
    body = QSizeF(page.width(), page.height() - 2 * line)
    text.setPageSize(body)
    _keep_headings_with_their_text(text, body.height())
    pages = text.pageCount()
    footer_text = _(FOOTER)
    painter = QPainter(writer)
    # Flate, not JPEG, for the chart: sharp lines and flat greys stay exact.
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    for number in range(pages):
        if number:
            writer.newPage()
        painter.save()
        painter.translate(0, -number * body.height())
        # A hair short of the page break: a line laid out on the next page
        # must not also be emitted, clipped, at the foot of this one.
        text.drawContents(painter, QRectF(0, number * body.height(), body.width(),
                                          body.height() - 1))
        painter.restore()
        footer = QRectF(0, body.height() + line, body.width(), line)
        painter.setFont(small)
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft, footer_text)
        painter.drawText(footer, Qt.AlignmentFlag.AlignRight,
                         _("Page {page} of {pages}").format(page=number + 1, pages=pages))
    painter.end()
    buffer.close()
    return bytes(data.data())
