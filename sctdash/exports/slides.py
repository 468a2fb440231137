"""Slides drawn with python-pptx from the descriptions every output shares.

A chart slide: the exhibit's title as the slide title, its subtitle (what is shown, the
filters), the chart, the source (and the legend of derived and external values, the
department and the date) as a footnote, and the data notes in the speaker notes. Bars and
lines are native PowerPoint charts with their data embedded, styled like the dashboard, so
staff can restyle and edit them; small multiples, and bars side by side where some categories
lack some series (Exhibit.native), go in as the dashboard's picture ≥ 1920 px wide. A map
slide draws the tile map as native shapes: a rectangle with its text per district, and the
legend, each one a shape a user can move, recolour and retype.
"""

from __future__ import annotations

import io

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN_TYPE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from sctdash.core import colours, measure, styles, typography, units
from sctdash.core.i18n import t
from sctdash.core.typography import SLIDE_FONT
from sctdash.exhibits.district_map import NO_DATA_BORDER, NO_DATA_FILL, MapView
from sctdash.exhibits.exhibit import Exhibit, Series

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, PowerPoint's 16:9
MARGIN = Inches(0.5)
BODY_W = SLIDE_W - 2 * MARGIN
TEXT_ROOM = Emu(BODY_W - 2 * Inches(0.05)).pt  # text_box's lines across the body (its margins off), in points
LIST_ROOM = Emu(BODY_W - 2 * Inches(0.1)).pt  # a list's across the body (python-pptx's default margins off)
# A slide is a canvas of the type scale (sctdash.core.typography) at 1×, in points: the 16:9
# image's layout pixel is a point on the slide, so a slide and a picture of a chart on it agree.
SLIDE_SCALE = 1.0


def pt(role: str) -> int:
    """A role's size on a slide, in points."""
    return typography.size(role, SLIDE_SCALE)


FOOT_PT = pt("small")  # footnote size; nothing on a slide is smaller
TEXT = RGBColor.from_string(colours.DARK_TEXT[1:])
GREY = RGBColor.from_string(colours.GREY_TEXT[1:])
ACCENT = RGBColor.from_string(colours.PALETTE[0][1:])
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LAYOUT_TITLE, LAYOUT_SECTION, LAYOUT_TITLE_ONLY = 0, 2, 5


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


# ------------------------------------------------------------------ text
def text_box(
    slide, left, top, width, height, lines, size, *, colour=TEXT, bold=False, anchor=MSO_ANCHOR.TOP, align=PP_ALIGN.LEFT
):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    tf.margin_top = tf.margin_bottom = Inches(0.03)
    for i, line in enumerate([lines] if isinstance(lines, str) else lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        font(run.font, size, colour, bold)
    return box


def font(target, size, colour=TEXT, bold=False):
    target.name = SLIDE_FONT.family
    target.size = Pt(size)
    target.bold = bold
    target.color.rgb = colour


def title(slide, text, left, top, width, height, size, anchor=MSO_ANCHOR.BOTTOM):
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = left, top, width, height
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.text = text
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for run in p.runs:
            font(run.font, size, TEXT, True)
    return shape


def accent_bar(slide, top=0, height=SLIDE_H):
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, Inches(0.18), height)
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()


def text_lines(text: str, size: float, bold: bool = False, room: float = TEXT_ROOM) -> int:
    """The lines `text` takes across `room` points of a slide at `size` points, broken
    between words by the slide font's own glyph widths (sctdash.core.measure, as the charts'
    words are), not by a count of characters."""
    return len(measure.lines(text, size, room, bold, SLIDE_FONT))


def footnote_height(lines: list[str]) -> int:
    rows = sum(text_lines(line, FOOT_PT) for line in lines)
    return Pt(FOOT_PT * 1.22 * rows) + Inches(0.12)


def body_box(lines: list[str]) -> tuple[int, int, int, int]:
    """x, y, width, height of the chart or map between the subtitle and a footnote of `lines`."""
    top = Inches(1.95)
    bottom = SLIDE_H - Inches(0.25) - footnote_height(lines) - Inches(0.08)
    return MARGIN, top, BODY_W, bottom - top


# ------------------------------------------------------------------ slides
def cover(prs, heading, filters_line, date_line, lang, whole):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    accent_bar(slide)
    title(slide, heading, Inches(0.8), Inches(1.6), Inches(11.7), Inches(1.7), pt("display"))
    lines = []
    if not whole:
        lines.append(t("app.title", lang))
    lines += [filters_line, date_line, t("app.department", lang)]
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.5), Inches(11.7), Inches(2.2)
    tf = sub.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = PP_ALIGN.LEFT
        p.text = line
        for run in p.runs:
            font(run.font, pt("title") if i == 0 else pt("lead"), TEXT if i == 0 else GREY)
    text_box(
        slide,
        Inches(0.8),
        Inches(6.3),
        Inches(11.7),
        Inches(0.8),
        t("deck.data_from", lang, report=t("app.report", lang)),
        pt("body"),
        colour=GREY,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    return slide


def section(prs, heading, intro):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    accent_bar(slide)
    title(slide, heading, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.2), pt("display"))
    text_box(slide, Inches(0.8), Inches(3.6), Inches(11.7), Inches(2.0), intro, pt("lead"), colour=GREY)
    return slide


def chart_footnote(ex: Exhibit, stamp: str) -> list[str]:
    return list(ex.footnotes) + [stamp]


def chart_slide(prs, ex: Exhibit, picture: bytes | None, stamp: str):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    title(slide, ex.title, MARGIN, Inches(0.3), BODY_W, Inches(1.05), pt("title"))
    subtitle = ex.subtitle + (f" · {t('deck.province_only', ex.lang)}" if ex.province_only else "")
    text_box(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), subtitle, pt("subtitle"), colour=GREY)
    lines = chart_footnote(ex, stamp)
    x, y, w, h = body_box(lines)
    if ex.no_rows:
        text_box(
            slide, x, y, w, h, ex.notice, pt("title"), colour=GREY, anchor=MSO_ANCHOR.MIDDLE, align=PP_ALIGN.CENTER
        )
    elif ex.native and ex.shape == "line":
        line_chart(slide, ex, x, y, w, h)
    elif ex.native:
        bar_chart(slide, ex, x, y, w, h)
    elif picture is not None:
        slide.shapes.add_picture(io.BytesIO(picture), x, y, w, h)
    else:
        text_box(
            slide, x, y, w, h, t("deck.picture_missing", ex.lang), pt("heading"), colour=GREY, anchor=MSO_ANCHOR.MIDDLE
        )
    foot_h = footnote_height(lines)
    text_box(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, lines, FOOT_PT, colour=GREY)
    speaker_notes(slide, ex)
    return slide


def speaker_notes(slide, ex: Exhibit):
    lang = ex.lang
    parts = [f"{t('deck.notes_heading', lang)}:"]
    if ex.notes.empty:
        parts.append(t("deck.no_notes", lang))
    for _, note in ex.notes.iterrows():
        parts.append(f"• {note[f'title_{lang}']}: {note[f'text_{lang}']}")
    if ex.province_only:
        parts.append(t("deck.province_only", lang))
    slide.notes_slide.notes_text_frame.text = "\n".join(parts)


PLACE_ROWS = 15  # lines of 16 pt a slide's body holds under a title and a subtitle


def _rows(text: str, bold: bool = False) -> int:
    return text_lines(text, pt("body"), bold, LIST_ROOM)


def pages_of(blocks: list[tuple[str, list[str]]], rows: int = PLACE_ROWS) -> list[list[tuple[str, list[str]]]]:
    """Headed lists cut into slides of at most `rows` lines; a list cut across two slides keeps
    its heading on both."""
    pages: list[list[tuple[str, list[str]]]] = [[]]
    used = 0
    for head, lines in blocks:
        part: list[str] = []
        need = _rows(head, bold=True)
        if used + need + 1 > rows and pages[-1]:
            pages.append([])
            used = 0
        used += need
        for line in lines:
            n = _rows(f"• {line}")
            if used + n > rows and (part or pages[-1]):
                pages[-1].append((head, part))
                pages.append([])
                part, used = [], _rows(head, bold=True)
            part.append(line)
            used += n
        pages[-1].append((head, part))
    return [p for p in pages if p]


def text_slides(
    prs, heading: str, subtitle: str, blocks: list[tuple[str, list[str]]], foot: list[str], notes: str = ""
):
    """Slides of words (the places the report names in the chosen districts): headed lists,
    as many slides as they need, each with the heading, the subtitle and the footnote."""
    made = []
    for page in pages_of(blocks):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        title(slide, heading, MARGIN, Inches(0.3), BODY_W, Inches(1.05), pt("title"))
        text_box(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), subtitle, pt("subtitle"), colour=GREY)
        x, y, w, h = body_box(foot)
        box = slide.shapes.add_textbox(x, y, w, h)
        tf = box.text_frame
        tf.word_wrap = True
        first = True
        for head, lines in page:
            p = tf.paragraphs[0] if first else tf.add_paragraph()
            first = False
            run = p.add_run()
            run.text = head
            font(run.font, pt("body"), TEXT, True)
            for line in lines:
                p = tf.add_paragraph()
                run = p.add_run()
                run.text = f"• {line}"
                font(run.font, pt("body"), TEXT)
        foot_h = footnote_height(foot)
        text_box(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, foot, FOOT_PT, colour=GREY)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        made.append(slide)
    return made


TABLE_ROWS = 6  # targets on a slide at most: two lines a name at the body size


def table_slides(prs, heading: str, subtitle: str, frame, foot: list[str], standing_column: str = ""):
    """A table of words as native PowerPoint tables (the plans and results), TABLE_ROWS rows a
    slide, each slide with the heading, the subtitle and the footnote; the cells of
    `standing_column` in green where they start with ✔, in red with ✘."""
    made = []
    n = -(-len(frame) // TABLE_ROWS)
    per = -(-len(frame) // n) if n else 0
    widths = [3.3, 1.5, 1.2, 1.3, 1.6, 2.2, 1.9][: len(frame.columns)]  # inches, scaled to the body
    for k in range(n):
        part = frame.iloc[k * per : (k + 1) * per]
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        title(slide, heading, MARGIN, Inches(0.3), BODY_W, Inches(1.05), pt("title"))
        where = f" · {k + 1}/{n}" if n > 1 else ""
        text_box(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), subtitle + where, pt("subtitle"), colour=GREY)
        x, y, w, h = body_box(foot)
        shape = slide.shapes.add_table(len(part) + 1, len(frame.columns), x, y, w, Inches(0.4) * (len(part) + 1))
        table = shape.table
        scale = w / Inches(sum(widths))
        for i, inches in enumerate(widths):
            table.columns[i].width = int(Inches(inches) * scale)
        for r, row in enumerate([list(frame.columns), *part.astype(str).values.tolist()]):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.text = str(value)
                colour = TEXT
                if r and frame.columns[c] == standing_column and value:
                    colour = rgb(colours.MISSED if str(value).startswith("✘") else colours.REACHED)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        font(run.font, pt("body") if r else pt("label"), WHITE if r == 0 else colour, r == 0)
                if r == 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = ACCENT
        foot_h = footnote_height(foot)
        text_box(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, foot, FOOT_PT, colour=GREY)
        made.append(slide)
    return made


# ------------------------------------------------------------------ native charts
def _blend(hex_colour: str, opacity: float) -> RGBColor:
    """The colour as it looks at `opacity` over white (python-pptx has no fill transparency)."""
    rgb_ = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return RGBColor(*[round(255 - (255 - c) * opacity) for c in rgb_])


PATTERNS = {"/": MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL, ".": MSO_PATTERN_TYPE.PERCENT_20}


def _kind_fill(shape, colour: str, look: styles.KindStyle):
    """A bar's fill (a series' or a point's) in its kind's style (sctdash.core.styles), as on
    the dashboard: its pattern in the colour on white (derived: diagonal hatching), or pale,
    blended over white (python-pptx has no fill transparency). A plain one is left as it is,
    its format not even asked for: a point's empty format would stand in front of the
    series' fill, and LibreOffice draws it in a colour of its own."""
    if look.pattern:
        fill = shape.format.fill
        fill.patterned()
        fill.pattern = PATTERNS[look.pattern]
        fill.fore_color.rgb = rgb(colour)
        fill.back_color.rgb = WHITE
    elif look.opacity < 1:
        fill = shape.format.fill
        fill.solid()
        fill.fore_color.rgb = _blend(colour, look.opacity)


def native_data(ex: Exhibit) -> tuple[list[str], list[tuple[Series, list]]]:
    """Categories and (series, values in category order) of the exhibit's single panel."""
    panel = ex.panels[0]
    codes = [code for code, _ in panel.categories]
    out = []
    for s in panel.series:
        by_x = {p.x: p for p in s.points if p.value is not None}
        out.append((s, [by_x[c].value if c in by_x else None for c in codes]))
    return [str(words) for _, words in panel.categories], out


def bar_chart(slide, ex: Exhibit, left, top, width, height):
    """Bars as a native chart. PowerPoint draws a bar chart's first category at the bottom; the
    dashboard lists from the top, so horizontal categories go in reversed (reversing the axis
    would also move the value axis to the top)."""
    lang = ex.lang
    panel = ex.panels[0]
    stacked = ex.shape == "stacked"
    kind = {
        (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
        (False, True): XL_CHART_TYPE.COLUMN_STACKED,
        (True, False): XL_CHART_TYPE.BAR_CLUSTERED,
        (True, True): XL_CHART_TYPE.BAR_STACKED,
    }[(ex.horizontal, stacked)]
    categories, series = native_data(ex)
    codes = [code for code, _ in panel.categories]
    flip = (lambda seq: list(seq)[::-1]) if ex.horizontal else list
    data = CategoryChartData()
    data.categories = flip(categories)
    for s, values in series:
        data.add_series(s.name or t("chart.value", lang), flip(values))
    chart = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    _chart_fonts(chart)
    plot = chart.plots[0]
    plot.gap_width = 50 if len(series) > 1 else 60
    one_per_category = all(sum(v is not None for v in vals) <= 1 for vals in zip(*[v for _, v in series]))
    plot.overlap = 100 if stacked or one_per_category else -5
    plot.vary_by_categories = False
    # Labels as the dashboard writes them (99,2 %): a number format would follow the
    # separators of the viewer's Windows locale, not the deck's language.
    plot.has_data_labels = True
    label_pt = pt("body") if len(codes) <= 8 else pt("small")
    plot.data_labels.font.size = Pt(label_pt)
    plot.data_labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
    order = flip(codes)
    for i, (s, _) in enumerate(series):
        ps = plot.series[i]
        ps.format.fill.solid()
        ps.format.fill.fore_color.rgb = rgb(s.colour)
        ps.format.line.color.rgb = rgb(s.colour)
        ps.format.line.width = Pt(1.25)
        # all of one kind: the series' own fill in its style, so the legend's swatch shows it too
        _kind_fill(ps, s.colour, styles.single(p.kind for p in s.points if p.value is not None))
        by_x = {p.x: p for p in s.points if p.value is not None}
        for j, code in enumerate(order):
            p = by_x.get(code)
            if p is None:
                continue
            point = ps.points[j]
            colour = p.colour or s.colour
            if p.colour:
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(colour)
            look = styles.style(p.kind)
            _kind_fill(point, colour, look)
            _label(
                point,
                p.plain,
                label_pt,
                colours.text_on(colour) if stacked and not look.pattern else colours.DARK_TEXT,
            )
            point.data_label.position = plot.data_labels.position
    # Every bar carries its figure, so the value axis is left out: its numbers would follow
    # the viewer's locale (10,000 in a Vietnamese deck) and repeat the labels.
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.visible = False
    value_axis.has_major_gridlines = False
    value_axis.minimum_scale = 0
    if not stacked:
        longest = max((len(p.plain) for s, _ in series for p in s.points), default=4)
        highest = max((v for _, vals in series for v in vals if v is not None), default=1.0)
        value_axis.maximum_scale = highest * (1 + (0.012 * longest if ex.horizontal else 0.12))
    category_axis.tick_labels.font.size = Pt(label_pt)
    category_axis.format.line.color.rgb = RGBColor(0x99, 0x99, 0x99)
    category_axis.has_major_gridlines = False
    _legend(chart, ex.legend)
    return chart


def line_chart(slide, ex: Exhibit, left, top, width, height):
    """Lines as a native chart with markers: a year per category, a missing year an empty
    cell (a gap in the line), a period's average a dashed line over its years."""
    lang = ex.lang
    categories, series = native_data(ex)
    data = CategoryChartData()
    data.categories = categories
    for s, values in series:
        data.add_series(s.name or t("chart.value", lang), values)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, data).chart
    _chart_fonts(chart)
    chart_xml = chart._chartSpace.chart
    blanks = chart_xml.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}dispBlanksAs")
    if blanks is None:
        from pptx.oxml.xmlchemy import OxmlElement

        blanks = OxmlElement("c:dispBlanksAs")
        chart_xml.append(blanks)
    blanks.set("val", "gap")  # never drawn through a missing year
    plot = chart.plots[0]
    label_all = ex.value_labels == "all"
    for i, (s, values) in enumerate(series):
        ps = plot.series[i]
        ps.smooth = False
        ps.format.line.color.rgb = rgb(s.colour)
        ps.format.line.width = Pt(3.25 if s.emphasis else 2.5)
        if s.span:
            ps.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        ps.marker.style = XL_MARKER_STYLE.CIRCLE
        ps.marker.size = 8
        ps.marker.format.fill.solid()
        ps.marker.format.fill.fore_color.rgb = rgb(s.colour)
        ps.marker.format.line.color.rgb = rgb(s.colour)
        known = [j for j, v in enumerate(values) if v is not None]
        target = bool(known) and all(p.kind == "target" for p in s.points if p.value is not None) and not s.span
        if target:  # a year's target: a short rule at its value, never a line (as on the dashboard)
            ps.format.line.fill.background()
            ps.marker.style = XL_MARKER_STYLE.DASH
            ps.marker.size = 20
            for j in known:
                _label(ps.points[j], s.points[j].plain.rsplit(": ", 1)[-1], pt("small"), colours.DARK_TEXT)
                ps.points[j].data_label.position = XL_LABEL_POSITION.ABOVE
            continue
        labelled = set(known) if label_all else ({known[-1]} if known else set())
        pts = [p for p in s.points]
        for j, p in enumerate(pts):
            if p.value is None:
                continue
            point = ps.points[j]
            if p.status != "official":  # not final: dotted into it, hollow (as on the dashboard)
                point.format.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
                point.marker.format.fill.solid()
                point.marker.format.fill.fore_color.rgb = WHITE
                point.marker.format.line.color.rgb = rgb(s.colour)
            look = styles.style(p.kind)  # as on the dashboard: hollow, pale
            if look.hollow:
                point.marker.format.fill.solid()
                point.marker.format.fill.fore_color.rgb = WHITE
                point.marker.format.line.color.rgb = rgb(s.colour)
            elif look.opacity < 1:
                point.marker.format.fill.solid()
                point.marker.format.fill.fore_color.rgb = _blend(s.colour, look.opacity)
            if j in labelled and not (s.span and j != known[-1]):
                _label(point, p.plain, pt("small"), colours.DARK_TEXT)
                point.data_label.position = XL_LABEL_POSITION.ABOVE if label_all else XL_LABEL_POSITION.RIGHT
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE5, 0xE5)
    value_axis.tick_labels.font.size = Pt(pt("small"))
    value_axis.format.line.fill.background()
    values = [v for _, vals in series for v in vals if v is not None]
    if values and min(values) >= 0 and units.additive(ex.unit):
        value_axis.minimum_scale = 0
    category_axis.tick_labels.font.size = Pt(pt("body"))
    category_axis.format.line.color.rgb = RGBColor(0x99, 0x99, 0x99)
    _legend(chart, ex.legend)
    return chart


def _chart_fonts(chart):
    chart.has_title = False  # the slide's title says it
    chart.font.name = SLIDE_FONT.family
    chart.font.size = Pt(pt("body"))
    chart.font.color.rgb = TEXT


def _label(point, text: str, size: int, colour: str):
    """The figure only, kept on one line: the hatching or pale fill (explained by the legend
    and the footnote) marks derived and external values. With the dashboard's suffix
    ("4,66 % (nguồn ngoài)") LibreOffice breaks labels in mid-word to fit them over a bar."""
    tf = point.data_label.text_frame
    tf.text = text.replace(" ", "\u00a0")
    for run in tf.paragraphs[0].runs:
        font(run.font, size, rgb(colour))


def _legend(chart, show: bool):
    chart.has_legend = show
    if show:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(pt("label"))


# ------------------------------------------------------------------ district maps
def map_slide(prs, map_view: MapView, stamp: str, notes: str):
    """The tile map as native shapes: a rectangle with its words per district, the merged
    unit's tile, and the legend's swatches, between the title and the footnote."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    title(slide, map_view.title, MARGIN, Inches(0.3), BODY_W, Inches(1.05), pt("title"))
    text_box(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), map_view.subtitle, pt("subtitle"), colour=GREY)
    lines = list(map_view.footnotes) + [stamp]
    x, y, w, h = body_box(lines)
    map_shapes(slide, map_view, x, y, w, h)
    foot_h = footnote_height(lines)
    text_box(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, lines, FOOT_PT, colour=GREY)
    slide.notes_slide.notes_text_frame.text = notes
    return slide


def map_shapes(slide, map_view: MapView, left, top, width, height):
    """The map's shapes inside the box left, top, width, height (EMU): the grid of tiles and,
    right of it, the legend."""
    legend_w = Inches(2.3)
    cols, rows = map_view.cols, map_view.grid_rows
    unit_x = (width - legend_w) / cols
    unit_y = height / rows
    tile_w, tile_h = int(unit_x * 0.94), int(unit_y * 0.88)

    def cell(col, row):
        return int(left + col * unit_x + (unit_x - tile_w) / 2), int(top + row * unit_y + (unit_y - tile_h) / 2)

    if map_view.points:  # dots at the units' centre points (the 96 communes): the value inside each
        unit = min(unit_x, unit_y)
        dot = int(unit * 0.42)
        for tile in map_view.tiles:
            x, y = int(left + tile.col * unit + (unit - dot) / 2), int(top + tile.row * unit + (unit - dot) / 2)
            shape = slide.shapes.add_shape(MSO_SHAPE.OVAL, x, y, dot, dot)
            _tile_look(shape, tile, "#6B6B6B", 3, 0.75)  # a white border would vanish round a dot
            _shape_text(shape, [(tile.text.split(" ")[0] if tile.has_data else "", False)], rgb(tile.ink))
    for tile in () if map_view.points else map_view.tiles:
        tile_left, tile_top = cell(tile.col, tile.row)
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, tile_left, tile_top, tile_w, tile_h)
        _tile_look(shape, tile, "#FFFFFF", 4, 1.5)
        _shape_text(shape, [(tile.name, True), (tile.text, False)], rgb(tile.ink))
    for merged in map_view.merged:
        tile_left, tile_top = cell(merged.col, merged.row)
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, tile_left, tile_top, tile_w, tile_h)
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb("#F2F2F2")
        shape.line.color.rgb = rgb(NO_DATA_BORDER)
        shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        shape.shadow.inherit = False
        parts = [p.replace("<b>", "").replace("</b>", "") for p in merged.text.split("<br>")]
        _shape_text(shape, [(parts[0], True)] + [(p, False) for p in parts[1:]], TEXT)
    lx = int(left + width - legend_w + Inches(0.15))
    sw = Inches(0.32)
    for i, (colour, words) in enumerate(map_view.legend):
        row_top = int(top + Inches(0.1) + i * Inches(0.42))
        swatch = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, lx, row_top, sw, Inches(0.3))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = rgb(colour)
        swatch.line.color.rgb = rgb(NO_DATA_BORDER)
        if colour == NO_DATA_FILL:
            swatch.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
        swatch.shadow.inherit = False
        text_box(
            slide,
            lx + sw + Inches(0.06),
            row_top - Inches(0.04),
            legend_w - sw - Inches(0.2),
            Inches(0.4),
            words,
            pt("small"),
        )


def _tile_look(shape, tile, white_border: str, chosen_pt: float, line_pt: float) -> None:
    """A map unit's shape as the dashboard draws it: named for the unit, its colour class, its
    border (`white_border` where the class's is white; `chosen_pt` thick round a chosen unit,
    black), dotted where the unit has no figure."""
    shape.name = f"{tile.name} ({tile.code})"
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(tile.fill)
    shape.line.color.rgb = rgb(tile.border if tile.border != "#FFFFFF" else white_border)
    shape.line.width = Pt(chosen_pt if tile.border == "#000000" else line_pt)
    if tile.dash == "dot":
        shape.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
    shape.shadow.inherit = False


def _shape_text(shape, parts: list[tuple[str, bool]], colour: RGBColor):
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.margin_left = tf.margin_right = Inches(0.03)
    tf.margin_top = tf.margin_bottom = Inches(0.01)
    for i, (text, bold) in enumerate(parts):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = PP_ALIGN.CENTER
        run = p.add_run()
        run.text = text
        font(run.font, pt("small"), colour, bold)
