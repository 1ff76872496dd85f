"""Render a report to PDF bytes with reportlab: cover, contents, sections, charts, annex.

The renderer receives a plain `Report` and `EvidenceSummary` and returns bytes; it never reads
the database or any file outside reportlab. Text uses the Bitstream Vera TTF fonts that ship
inside reportlab (always present, and they cover the French accents, « », ’ and œ).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from supplychain.reporting.drafting import MAX_TABLE_ROWS, high_rows, row_label
from supplychain.reporting.i18n import fmt_date, fmt_int, fmt_pct, t
from supplychain.reporting.model import (
    BANDS,
    SECTIONS,
    EvidenceSummary,
    ExposureRow,
    Lang,
    Language,
    Report,
    report_langs,
)
from supplychain.reporting.questionnaire import option_label

FONT = "ReportSans"
FONT_BOLD = "ReportSans-Bold"
FONT_ITALIC = "ReportSans-Italic"
FONT_BOLD_ITALIC = "ReportSans-BoldItalic"
PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 2 * cm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
MAX_BARS = 10  # bars per chart; the table under the chart lists more (MAX_TABLE_ROWS)

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#CBD2D9")
HEADER_FILL = colors.HexColor("#E4E7EB")
ACCENT = colors.HexColor("#1F4E79")
WARNING = colors.HexColor("#B3261E")
BAND_COLOURS = {
    "Low": colors.HexColor("#6BA368"),
    "Medium": colors.HexColor("#E3B23C"),
    "High": colors.HexColor("#E07A2E"),
    "Critical": colors.HexColor("#B3261E"),
}
PDF_LANG = {"en": "en-CA", "fr": "fr-CA", "both": "en-CA"}


@cache
def register_fonts() -> str:
    """Register the Vera family shipped with reportlab under our names; return the regular one."""
    folder = Path(reportlab.__file__).resolve().parent / "fonts"
    for name, file in (
        (FONT, "Vera.ttf"),
        (FONT_BOLD, "VeraBd.ttf"),
        (FONT_ITALIC, "VeraIt.ttf"),
        (FONT_BOLD_ITALIC, "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the report."""

    title: ParagraphStyle
    title_small: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    placeholder: ParagraphStyle
    banner: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]


@cache
def styles() -> Styles:
    """Build the paragraph styles once (fonts registered first)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=6
    )
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=19,
            leading=24,
            spaceAfter=10,
            textColor=ACCENT,
        ),
        title_small=ParagraphStyle(
            "title_small",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            spaceAfter=8,
            textColor=ACCENT,
        ),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=12, leading=16, spaceAfter=4),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=6,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=MUTED),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontName=FONT_ITALIC,
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            spaceBefore=2,
            spaceAfter=8,
        ),
        placeholder=ParagraphStyle(
            "placeholder", parent=body, fontName=FONT_ITALIC, textColor=WARNING
        ),
        banner=ParagraphStyle(
            "banner",
            parent=body,
            fontName=FONT_BOLD,
            textColor=WARNING,
            alignment=TA_CENTER,
            borderColor=WARNING,
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=8,
            spaceAfter=14,
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        cell_head=ParagraphStyle(
            "cell_head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, spaceAfter=0
        ),
        toc=(
            ParagraphStyle(
                "toc0",
                parent=body,
                fontSize=9.5,
                leading=12,
                leftIndent=0,
                rightIndent=24,  # room for the page number when a title fills the line
                firstLineIndent=0,
                spaceAfter=1,
            ),
            ParagraphStyle(
                "toc1",
                parent=body,
                fontSize=9,
                leading=11.5,
                leftIndent=14,
                rightIndent=24,
                firstLineIndent=0,
                spaceAfter=0,
            ),
        ),
    )


class Heading(Paragraph):
    """A heading that goes into the table of contents and the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.toc_level = level
        self.toc_text = text
        self.toc_key = key


class ReportDocument(BaseDocTemplate):
    """One frame per page; headings are reported to the contents and bookmarked."""

    def __init__(self, buffer: io.BytesIO, header: Callable[[Canvas], None], **kwargs: Any) -> None:
        super().__init__(
            buffer,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            initialFontName=FONT,  # or every page would also reference Helvetica
            invariant=1,
            displayDocTitle=1,
            **kwargs,
        )
        frame = Frame(MARGIN, MARGIN, BODY_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=lambda c, d: header(c))])

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self.notify(
                "TOCEntry", (flowable.toc_level, flowable.toc_text, self.page, flowable.toc_key)
            )
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(
                flowable.toc_text, flowable.toc_key, flowable.toc_level, closed=False
            )


def numbered_canvas(label: Callable[[int, int], str]) -> type[Canvas]:
    """Return a canvas class that writes `label(page, pages)` at the foot of every page."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(MUTED)
                self.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, label(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas


# --- Text helpers ---------------------------------------------------------------------------


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Turn text as entered into paragraphs: blank lines separate them, line breaks are kept."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(b).replace("\n", "<br/>"), style) for b in blocks if b]


def _table(rows: list[list[str]], widths: list[float], head: bool = True) -> Table:
    s = styles()
    cells = [
        [Paragraph(escape(c), s.cell_head if head and i == 0 else s.cell) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1 if head else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def _labels(question: str, values: Iterable[str], lang: Lang) -> str:
    labels = [option_label(question, v, lang) for v in values]
    return t("list.sep", lang).join(labels) or t("entity.none", lang)


def _year(report: Report, lang: Lang) -> str:
    entity = report.entity
    if entity.financial_year_start is None or entity.financial_year_end is None:
        return t("cover.year_unknown", lang)
    return t(
        "cover.financial_year",
        lang,
        start=fmt_date(entity.financial_year_start, lang),
        end=fmt_date(entity.financial_year_end, lang),
    )


def _name(report: Report, lang: Lang) -> str:
    return report.entity.legal_name.strip() or t("name.unknown", lang)


# --- Charts -----------------------------------------------------------------------------


def exposure_chart(rows: list[ExposureRow], lang: Lang, kind: str) -> Drawing:
    """Draw a horizontal bar chart of lines per country or good, each bar in its band colour."""
    register_fonts()
    shown = list(reversed(rows[:MAX_BARS]))  # the chart draws category 0 at the bottom
    bar = 15
    height = bar * len(shown) + 34
    drawing = _drawing(height)
    chart = HorizontalBarChart()
    names = [_clip(row_label(r, lang, kind), 32) for r in shown]
    # The plot starts where the longest name ends, so short names leave no empty band.
    chart.x = max(pdfmetrics.stringWidth(n, FONT, 7.5) for n in names) + 8
    chart.y = 24
    chart.width, chart.height = BODY_WIDTH - chart.x - 30, bar * len(shown)
    chart.data = [[r.lines for r in shown]]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#EEF0F2")
    chart.valueAxis.labelTextFormat = lambda v: fmt_int(int(v), lang)
    chart.bars.strokeColor = None
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabelFormat = lambda v: fmt_int(int(v), lang)
    for index, row in enumerate(shown):
        chart.bars[(0, index)].fillColor = BAND_COLOURS.get(row.band, MUTED)
    drawing.add(chart)
    drawing.add(
        String(
            chart.x + chart.width / 2,
            4,
            t("chart.axis_lines", lang),
            fontName=FONT,
            fontSize=7,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    _legend(drawing, lang, ("High", "Critical"), y=height - 8)
    return drawing


def bands_chart(evidence: EvidenceSummary, lang: Lang) -> Drawing:
    """Draw the share of lines (or spend) in each band as a column chart with percentages."""
    register_fonts()
    drawing = _drawing(130)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 20
    chart.width, chart.height = 260, 95
    chart.data = [[evidence.share_by_band.get(b, 0.0) * 100 for b in BANDS]]
    chart.categoryAxis.categoryNames = [t(f"band.{b}", lang) for b in BANDS]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: fmt_pct(v / 100, lang)
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#EEF0F2")
    chart.bars.strokeColor = None
    chart.barWidth = 20
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    chart.barLabelFormat = lambda v: fmt_pct(v / 100, lang)
    for index, band in enumerate(BANDS):
        chart.bars[(0, index)].fillColor = BAND_COLOURS[band]
    drawing.add(chart)
    return drawing


def _drawing(height: float) -> Drawing:
    drawing = Drawing(BODY_WIDTH, height)
    drawing.initialFontName = FONT  # the renderer's starting font, else Helvetica
    return drawing


def _legend(drawing: Drawing, lang: Lang, bands: Iterable[str], y: float) -> None:

    x = BODY_WIDTH - 40
    for band in reversed(tuple(bands)):
        label = t(f"band.{band}", lang)
        width = pdfmetrics.stringWidth(label, FONT, 7)
        x -= width + 16
        drawing.add(Rect(x, y - 1, 8, 8, fillColor=BAND_COLOURS[band], strokeColor=None))
        drawing.add(String(x + 11, y, label, fontName=FONT, fontSize=7, fillColor=INK))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Building blocks ------------------------------------------------------------------


class Story:
    """Collect the flowables of one document, numbering figures and bookmark keys."""

    def __init__(self) -> None:
        self.items: list[Flowable] = []
        self._keys = 0
        self.figures: dict[str, int] = {}

    def add(self, *flowables: Flowable) -> None:
        self.items.extend(flowables)

    def heading(self, text: str, level: int, style: ParagraphStyle) -> None:
        self._keys += 1
        self.items.append(Heading(text, style, level, f"h{self._keys}"))

    def figure(self, lang: Lang) -> int:
        self.figures[lang] = self.figures.get(lang, 0) + 1
        return self.figures[lang]


def cover(story: Story, report: Report, langs: tuple[Lang, ...]) -> None:
    """Title, entity, year and report kind (side by side when bilingual), then the contents."""
    s = styles()
    name = Paragraph(f"<b>{escape(_name(report, langs[0]))}</b>", s.subtitle)
    columns: list[list[Flowable]] = []
    for lang in langs:
        column: list[Flowable] = [
            Paragraph(escape(t("doc.title", lang)), s.title if len(langs) == 1 else s.title_small),
            Paragraph(escape(_year(report, lang)), s.subtitle),
        ]
        kinds = [
            t(key, lang)
            for key, on in (
                ("cover.joint", report.entity.joint is not None),
                ("cover.revised", report.entity.revised is not None),
            )
            if on
        ]
        if kinds:
            column.append(Paragraph(escape(" · ".join(kinds)), s.subtitle))
        columns.append(column)
    if len(columns) == 1:
        story.add(columns[0][0], name, *columns[0][1:])
    else:
        gutter = 0.8 * cm
        width = (BODY_WIDTH - gutter) / 2
        titles = Table(
            [[columns[0][0], "", columns[1][0]], [name, "", ""]]
            + [[a, "", b] for a, b in zip(columns[0][1:], columns[1][1:], strict=False)],
            colWidths=[width, gutter, width],
            hAlign="LEFT",
        )
        titles.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("SPAN", (0, 1), (-1, 1)),
                ]
            )
        )
        story.add(titles)
    if report.status == "draft":
        story.add(Paragraph(escape(" / ".join(t("cover.draft", lang) for lang in langs)), s.banner))
    else:
        story.add(Spacer(1, 14))
    toc = TableOfContents(
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        ),
    )
    toc.levelStyles = list(s.toc)
    story.add(Paragraph(escape(" / ".join(t("toc.title", lang) for lang in langs)), s.h2), toc)


def entity_details(story: Story, report: Report, lang: Lang, level: int) -> None:
    """The reporting entity: names, numbers, year, scope, sectors, places, activities."""
    s = styles()
    entity = report.entity
    story.heading(t("entity.heading", lang), level, s.h1)
    scope_labels = [
        t(key, lang)
        for key, on in (
            ("scope.listed", entity.scope.listed_in_canada),
            ("scope.presence", entity.scope.canadian_presence),
            ("scope.assets", entity.scope.assets_20m),
            ("scope.revenue", entity.scope.revenue_40m),
            ("scope.employees", entity.scope.employees_250),
        )
        if on
    ]
    rows = [
        [t("entity.legal_name", lang), _name(report, lang)],
        [
            t("entity.business_numbers", lang),
            ", ".join(entity.business_numbers) or t("entity.none", lang),
        ],
        [t("entity.financial_year", lang), _year(report, lang)],
        [t("entity.scope", lang), t("list.sep", lang).join(scope_labels) or t("entity.none", lang)],
        [t("entity.sectors", lang), _labels("sectors", entity.sectors, lang)],
        [t("entity.provinces", lang), _labels("locations", entity.provinces, lang)],
        [t("entity.activities", lang), _labels("activities", entity.activities, lang)],
    ]
    if entity.other_laws:
        rows.append([t("entity.other_laws", lang), _labels("other_laws", entity.other_laws, lang)])
    story.add(_table(rows, [4.6 * cm, BODY_WIDTH - 4.6 * cm], head=False), Spacer(1, 6))
    if entity.joint is not None:
        story.add(Paragraph(escape(t("entity.covered", lang)), s.h2))
        covered = [[t("entity.legal_name", lang), t("entity.business_numbers", lang)]]
        covered += [
            [e.legal_name, ", ".join(e.business_numbers)] for e in entity.joint.covered_entities
        ]
        story.add(_table(covered, [BODY_WIDTH * 0.6, BODY_WIDTH * 0.4]), Spacer(1, 6))
    if entity.revised is not None:
        story.add(
            Paragraph(
                escape(
                    t("entity.revision", lang, date=fmt_date(entity.revised.original_date, lang))
                ),
                s.body,
            )
        )
        if entity.revised.description.strip():
            story.add(Paragraph(escape(t("entity.revision_changes", lang)), s.h2))
            story.add(*paragraphs(entity.revised.description, s.body))


def exposure_block(story: Story, evidence: EvidenceSummary, lang: Lang) -> None:
    """Charts and tables of the countries and goods at High or Critical exposure, and the bands."""
    s = styles()
    for kind, rows, column in (
        ("countries", high_rows(evidence.risk_countries), "table.country"),
        ("goods", high_rows(evidence.risk_goods), "table.good"),
    ):
        title = t(f"chart.{kind}", lang)
        caption = t("chart.caption", lang, number=story.figure(lang), title=title)
        if not rows:
            story.add(
                Paragraph(escape(caption), s.caption),
                Paragraph(escape(t("chart.none", lang)), s.body),
            )
            continue
        label_kind = "country" if kind == "countries" else "good"
        block: list[Flowable] = [
            exposure_chart(rows, lang, label_kind),
            Paragraph(escape(caption), s.caption),
        ]
        if len(rows) > MAX_BARS:
            block.append(
                Paragraph(escape(t("chart.more", lang, count=len(rows) - MAX_BARS)), s.small)
            )
        story.add(CondPageBreak(4 * cm), KeepTogether(block))
        table = [[t(column, lang), t("table.band", lang), t("table.lines", lang)]]
        table += [
            [row_label(r, lang, label_kind), t(f"band.{r.band}", lang), fmt_int(r.lines, lang)]
            for r in rows[:MAX_TABLE_ROWS]
        ]
        story.add(_table(table, [BODY_WIDTH * 0.56, BODY_WIDTH * 0.24, BODY_WIDTH * 0.2]))
        if len(rows) > MAX_TABLE_ROWS:
            more = t("table.more", lang, count=len(rows) - MAX_TABLE_ROWS)
            story.add(Paragraph(escape(more), s.small))
        story.add(Spacer(1, 8))
    if evidence.share_by_band:
        title = t(f"chart.bands.{evidence.weighting}", lang)
        caption = t("chart.caption", lang, number=story.figure(lang), title=title)
        note = t("chart.insufficient", lang, share=fmt_pct(evidence.insufficient_data_share, lang))
        story.add(
            KeepTogether(
                [
                    bands_chart(evidence, lang),
                    Paragraph(escape(caption), s.caption),
                    Paragraph(escape(note), s.small),
                ]
            )
        )


def section_block(
    story: Story, report: Report, evidence: EvidenceSummary | None, key: str, lang: Lang, level: int
) -> None:
    """One of (a)-(g): heading, the user's text as entered, drafted statements, data for (c)."""
    s = styles()
    section = report.section(key)
    story.heading(f"({key}) {t(f'section.{key}', lang)}", level, s.h1)
    if not section.filled(lang):
        story.add(Paragraph(escape(t("section.empty", lang)), s.placeholder))
    story.add(*paragraphs(section.text.get(lang), s.body))
    for statement in section.statements_in(lang):
        story.add(*paragraphs(statement.text, s.body))
    if key == "c" and evidence is not None:
        exposure_block(story, evidence, lang)


def annex(
    story: Story, report: Report, evidence: EvidenceSummary | None, lang: Lang, level: int
) -> None:
    """The method: model, profile, reference-data version, sources and editions, links."""
    s = styles()
    story.add(CondPageBreak(6 * cm))
    story.heading(t("annex.heading", lang), level, s.h1)
    if evidence is None:
        story.add(Paragraph(escape(t("annex.no_sources", lang)), s.body))
        return
    story.add(Paragraph(escape(t("annex.intro", lang)), s.body))
    rows = [
        [t("annex.assessment", lang), str(evidence.assessment_id or "")],
        [t("annex.model", lang), evidence.model],
        [t("annex.profile", lang), evidence.profile],
        [t("annex.reference", lang), evidence.reference_version],
        [t("annex.weighting", lang), t(f"annex.weighting.{evidence.weighting}", lang)],
    ]
    story.add(KeepTogether([_table(rows, [5.5 * cm, BODY_WIDTH - 5.5 * cm], head=False)]))
    story.add(Spacer(1, 6))
    story.add(Paragraph(escape(t("annex.sources", lang)), s.h2))
    sources = [[t("annex.source", lang), t("annex.publisher", lang), t("annex.edition", lang)]]
    sources += [[src.title, src.publisher, src.edition] for src in evidence.sources]
    story.add(
        _table(sources, [BODY_WIDTH * 0.45, BODY_WIDTH * 0.4, BODY_WIDTH * 0.15]), Spacer(1, 6)
    )
    story.add(Paragraph(escape(t("annex.bands", lang)), s.small))
    links = _link_rows(report, lang)
    if links:
        story.add(Paragraph(escape(t("annex.links", lang)), s.h2))
        head = [
            t("annex.link_section", lang),
            t("annex.link_kind", lang),
            t("annex.link_value", lang),
            t("annex.assessment", lang),
            t("annex.reference", lang),
        ]
        story.add(_table([head, *links], [BODY_WIDTH * w for w in (0.1, 0.34, 0.2, 0.14, 0.22)]))


# Per-row links (a country, a good) are listed in the tables of section (c).
_ROW_KINDS = frozenset({"risk_country", "risk_good", "risk_sector", "source"})


def _link_rows(report: Report, lang: Lang) -> list[list[str]]:
    rows: dict[tuple[str, ...], None] = {}
    for key in SECTIONS:
        for statement in report.section(key).statements_in(lang):
            for link in statement.evidence:
                if link.kind in _ROW_KINDS:
                    continue
                value = link.value
                if link.kind in ("share_band", "insufficient_data_share") and isinstance(
                    value, float
                ):
                    shown = fmt_pct(value, lang)
                elif isinstance(value, int):
                    shown = fmt_int(value, lang)
                else:
                    shown = str(value)
                kind = t(f"kind.{link.kind}", lang)
                if link.kind == "share_band" and link.key in BANDS:
                    kind = f"{kind}: {t(f'band.{link.key}', lang)}"
                rows[
                    (f"({key})", kind, shown, str(link.assessment_id or ""), link.reference_version)
                ] = None
    return [list(row) for row in rows]


def attestation(story: Story, report: Report, lang: Lang, level: int) -> None:
    """Approval by the governing body, the attestation statement and the signature block."""
    s = styles()
    approval = report.approval
    story.add(CondPageBreak(8 * cm))
    story.heading(t("attestation.heading", lang), level, s.h1)
    if approval.approving_body.any_filled() and approval.approval_date is not None:
        story.add(
            Paragraph(
                escape(
                    t(
                        "attestation.approved_by",
                        lang,
                        body=approval.approving_body.prefer(lang),
                        date=fmt_date(approval.approval_date, lang),
                    )
                ),
                s.body,
            )
        )
    else:
        story.add(Paragraph(escape(t("attestation.not_approved", lang)), s.placeholder))
    if approval.attestation.filled(lang):
        story.add(*paragraphs(approval.attestation.get(lang), s.body))
    else:
        story.add(Paragraph(escape(t("attestation.missing", lang)), s.placeholder))
    story.add(
        Paragraph(
            escape(t("attestation.authority", lang, entity=_name(report, lang).rstrip("."))), s.body
        )
    )
    rows = [
        [t("attestation.name", lang), approval.signatory_name],
        [t("attestation.title", lang), approval.signatory_title.prefer(lang)],
        [t("attestation.signature", lang), ""],
        [t("attestation.date", lang), ""],
    ]
    table = _table(rows, [4 * cm, 9 * cm], head=False)
    table.setStyle(TableStyle([("TOPPADDING", (0, 2), (-1, 3), 14)]))
    story.add(Spacer(1, 4), table)


def build_story(
    report: Report, evidence: EvidenceSummary | None, langs: tuple[Lang, ...]
) -> list[Flowable]:
    """Assemble the whole document: cover and contents, then each language in turn."""
    s = styles()
    story = Story()
    cover(story, report, langs)
    bilingual = len(langs) > 1
    level = 1 if bilingual else 0
    for lang in langs:
        story.add(PageBreak())
        if bilingual:
            story.heading(t(f"cover.version_{lang}", lang), 0, s.title)
        entity_details(story, report, lang, level)
        for key in SECTIONS:
            section_block(story, report, evidence, key, lang, level)
        annex(story, report, evidence, lang, level)
        attestation(story, report, lang, level)
    return story.items


def page_label(langs: tuple[Lang, ...]) -> Callable[[int, int], str]:
    def label(page: int, pages: int) -> str:
        return " / ".join(
            dict.fromkeys(t("page.number", lang, page=page, pages=pages) for lang in langs)
        )

    return label


def metadata(report: Report, langs: tuple[Lang, ...]) -> dict[str, str]:
    """Return the PDF's title, author, subject and keywords in the report's language(s)."""
    entity = report.entity
    name = entity.legal_name.strip()
    title = " / ".join(t("doc.title", lang) for lang in langs)
    subjects = []
    for lang in langs:
        subjects.append(
            t(
                "doc.subject",
                lang,
                entity=name or t("name.unknown", lang),
                start=fmt_date(entity.financial_year_start, lang),
                end=fmt_date(entity.financial_year_end, lang),
            )
        )
    return {
        "title": f"{title} – {name}" if name else title,
        "author": name,
        "subject": " / ".join(subjects),
        "keywords": ", ".join(t("doc.keywords", lang) for lang in langs),
        "creator": "supplychain-labour-risk",
    }


def render_pdf(
    report: Report, evidence: EvidenceSummary | None = None, lang: Language | None = None
) -> bytes:
    """Render the report as PDF bytes in "en", "fr" or "both" (default: the report's language)."""
    langs = report_langs(lang or report.language)
    register_fonts()
    buffer = io.BytesIO()
    meta = metadata(report, langs)
    header = _header(report, langs)
    doc = ReportDocument(
        buffer, header, lang=PDF_LANG["both" if len(langs) > 1 else langs[0]], **meta
    )
    doc.multiBuild(
        build_story(report, evidence, langs), canvasmaker=numbered_canvas(page_label(langs))
    )
    return buffer.getvalue()


def _header(report: Report, langs: tuple[Lang, ...]) -> Callable[[Canvas], None]:
    name = _name(report, langs[0])
    entity = report.entity
    if len(langs) == 1 or entity.financial_year_start is None or entity.financial_year_end is None:
        year = _year(report, langs[0])
    else:  # one language-neutral line rather than two sentences that do not fit
        year = (
            f"{entity.financial_year_start.isoformat()} – {entity.financial_year_end.isoformat()}"
        )
    draft = " / ".join(t("cover.draft", lang) for lang in langs) if report.status == "draft" else ""

    def draw(canvas: Canvas) -> None:
        if canvas.getPageNumber() == 1:
            return
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        top = PAGE_HEIGHT - MARGIN / 2 - 4
        canvas.drawString(MARGIN, top, _clip(f"{name} · {year}", 110))
        if draft:
            canvas.setFillColor(WARNING)
            canvas.drawString(MARGIN, top - 10, draft)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, PAGE_HEIGHT - MARGIN + 6, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN + 6)
        canvas.restoreState()

    return draw
