"""PowerPoint decks of the dashboard (python-pptx), called through sctdash.export.

A deck is a cover (title, filters, date, department), for the whole dashboard a section slide
per page, then a slide per district map of the page (export.deck_maps: a picture of the
tiles, the map's note and sources as a footnote), then one 16:9 slide per chart: the chart's title as the slide title, a subtitle with
what is shown and the filters, the chart, the source line (and the legend of derived and
external values, the department and date) as a footnote, and the data notes in the speaker
notes. Bar charts are native PowerPoint charts with their data embedded, styled like the
dashboard, so staff can restyle and edit them; other kinds go in as pictures ≥ 1920 px wide.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_PATTERN_TYPE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from sctdash import charts, district_map, export
from sctdash.i18n import t

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, PowerPoint's 16:9
MARGIN = Inches(0.5)
BODY_W = SLIDE_W - 2 * MARGIN
FOOT_PT = 14  # footnote size; nothing on a slide is smaller
LINE_CHARS = 118  # characters of 14 pt Arial per line across BODY_W (for the footnote's height)
TEXT = RGBColor.from_string(charts.TEXT_COLOUR[1:])
GREY = RGBColor(0x44, 0x44, 0x44)
ACCENT = RGBColor.from_string(charts.PALETTE[0][1:])
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LAYOUT_TITLE, LAYOUT_SECTION, LAYOUT_TITLE_ONLY = 0, 2, 5
CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_bar": XL_CHART_TYPE.COLUMN_STACKED,
    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked_hbar": XL_CHART_TYPE.BAR_STACKED,
}


def build(pages: list[str], f: dict, lang: str, store, sections: bool) -> bytes:
    stamp = export.today()
    exhibits = {page: [export.exhibit(store, cid, f, lang, stamp) for cid in charts.chart_ids(page)] for page in pages}
    pictures = _pictures([ex for page in pages for ex in exhibits[page]])
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    title = t(f"page.{pages[0]}", lang) if len(pages) == 1 else t("app.title", lang)
    filters_line = export.views.filters_text(store.query, f, lang)
    _cover(prs, title, filters_line, stamp, lang, whole=len(pages) > 1)
    maps = export.deck_maps(pages)
    map_slides = _map_parts([m for page in pages for m in maps[page]], f, lang, store, stamp)
    for page in pages:
        if sections:
            _section(prs, t(f"page.{page}", lang), t(f"page_intro.{page}", lang))
        for map_id in maps[page]:
            _map_slide(prs, *map_slides[map_id], lang)
        for ex in exhibits[page]:
            _chart_slide(prs, ex, pictures.get(ex.chart_id))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ geometry of a chart slide
def _footnote_lines(ex: export.Exhibit) -> list[str]:
    lines = [ex.ctx.source] if ex.ctx.source else []
    kinds = set(ex.shown["value_kind"]) if "value_kind" in ex.shown else set()
    if "derived" in kinds:
        lines.append(t("chart.derived_legend", ex.lang))
    if "external" in kinds:
        lines.append(t("chart.external_legend", ex.lang))
    lines.append(" · ".join(x for x in (ex.ctx.department, ex.ctx.stamp) if x))
    return lines


def _footnote_height(lines: list[str]) -> int:
    rows = sum(max(1, math.ceil(len(line) / LINE_CHARS)) for line in lines)
    return Pt(FOOT_PT * 1.22 * rows) + Inches(0.12)


def _chart_box(ex: export.Exhibit) -> tuple[int, int, int, int]:
    return _box(_footnote_lines(ex))


def _box(lines: list[str]) -> tuple[int, int, int, int]:
    """x, y, width, height of the picture between the subtitle and a footnote of `lines`."""
    top = Inches(1.95)
    bottom = SLIDE_H - Inches(0.25) - _footnote_height(lines) - Inches(0.08)
    return MARGIN, top, BODY_W, bottom - top


def _pictures(exhibits: list[export.Exhibit]) -> dict[str, bytes]:
    """Every picture the deck needs, rendered in one batch (the renderer's tabs in parallel)."""
    wanted = [ex for ex in exhibits if not ex.native and not ex.info["no_rows"]]
    if not wanted or not export.chromium_available():
        return {}
    figs = []
    for ex in wanted:
        _, _, w, h = _chart_box(ex)
        figs.append(ex.bare_figure(int(Emu(w).pt), int(Emu(h).pt)))
    out = {}
    for (width_pt, height_pt), group in _by_size(wanted, figs):
        # one layout pixel per point on the slide (fonts ≥ 14 px = 14 pt), ≥ 1920 px wide
        scale = export.WIDTH * export.SCALE / width_pt
        images = export.render([fig for _, fig in group], "png", width_pt, height_pt, scale)
        out.update({ex.chart_id: img for (ex, _), img in zip(group, images)})
    return out


def _by_size(exhibits, figs):
    groups: dict[tuple[int, int], list] = {}
    for ex, fig in zip(exhibits, figs):
        groups.setdefault((int(fig.layout.width), int(fig.layout.height)), []).append((ex, fig))
    return groups.items()


# ------------------------------------------------------------------ slides
def _text(slide, x, y, w, h, lines, size, *, colour=TEXT, bold=False, anchor=MSO_ANCHOR.TOP, align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(x, y, w, h)
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
        _font(run.font, size, colour, bold)
    return box


def _font(font, size, colour=TEXT, bold=False):
    font.name = export.SLIDE_FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour


def _title(slide, text, x, y, w, h, size, anchor=MSO_ANCHOR.BOTTOM):
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = x, y, w, h
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.text = text
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for run in p.runs:
            _font(run.font, size, TEXT, True)
    return shape


def _accent_bar(slide, top=0, height=SLIDE_H):
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, Inches(0.18), height)
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()


def _cover(prs, title, filters_line, stamp, lang, whole):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    _accent_bar(slide)
    _title(slide, title, Inches(0.8), Inches(1.6), Inches(11.7), Inches(1.7), 40)
    lines = []
    if not whole:
        lines.append(t("app.title", lang))
    lines += [filters_line, t("deck.exported_on", lang, date=stamp), t("app.department", lang)]
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
            _font(run.font, 22 if i == 0 else 20, TEXT if i == 0 else GREY)
    _text(
        slide,
        Inches(0.8),
        Inches(6.3),
        Inches(11.7),
        Inches(0.8),
        t("deck.data_from", lang, report=t("app.report", lang)),
        16,
        colour=GREY,
        anchor=MSO_ANCHOR.BOTTOM,
    )


def _section(prs, title, intro):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _accent_bar(slide)
    _title(slide, title, Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.2), 36)
    _text(slide, Inches(0.8), Inches(3.6), Inches(11.7), Inches(2.0), intro, 20, colour=GREY)


def _chart_slide(prs, ex: export.Exhibit, picture: bytes | None):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, ex.title, MARGIN, Inches(0.3), BODY_W, Inches(1.05), 26)
    _text(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), ex.subtitle, 16, colour=GREY)
    x, y, w, h = _chart_box(ex)
    if ex.info["no_rows"]:
        _text(slide, x, y, w, h, ex.notice(), 24, colour=GREY, anchor=MSO_ANCHOR.MIDDLE, align=PP_ALIGN.CENTER)
    elif ex.native:
        _native_chart(slide, ex, x, y, w, h)
    elif picture is not None:
        slide.shapes.add_picture(io.BytesIO(picture), x, y, w, h)
    else:
        _text(slide, x, y, w, h, t("deck.picture_missing", ex.lang), 18, colour=GREY, anchor=MSO_ANCHOR.MIDDLE)
    lines = _footnote_lines(ex)
    foot_h = _footnote_height(lines)
    _text(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, lines, FOOT_PT, colour=GREY)
    _speaker_notes(slide, ex)


def _speaker_notes(slide, ex: export.Exhibit):
    lang = ex.lang
    parts = [f"{t('deck.notes_heading', lang)}:"]
    if ex.notes.empty:
        parts.append(t("deck.no_notes", lang))
    for _, note in ex.notes.iterrows():
        parts.append(f"• {note[f'title_{lang}']}: {note[f'text_{lang}']}")
    if ex.info["province_only"]:
        parts.append(t("deck.province_only", lang))
    slide.notes_slide.notes_text_frame.text = "\n".join(parts)


# ------------------------------------------------------------------ district maps
def _map_parts(map_ids: list[str], f: dict, lang: str, store, stamp: str) -> dict[str, tuple]:
    """(title, subtitle, picture or None, footnote lines, picture top, picture height) of each
    map slide; pictures at one layout pixel per point (text ≥ 14 pt), ≥ 1920 px wide."""
    parts = {}
    for map_id in map_ids:
        m, df = district_map.spec(map_id), export.map_rows(store, map_id)
        ctx = export.map_context(store, df, f, lang, stamp)
        lines = district_map.footnote(df, m, lang, ctx)
        _, top, width, height = _box(lines)
        picture = None
        if export.chromium_available():
            w_pt, h_pt = int(Emu(width).pt), int(Emu(height).pt)
            fig = district_map.slide_figure(df, m, lang, f["districts"], ctx, w_pt, h_pt, bare=True)
            picture = export.render([fig], "png", w_pt, h_pt, export.WIDTH * export.SCALE / w_pt)[0]
        subtitle = " · ".join(x for x in (m["subtitle"][lang], ctx.filters) if x)
        parts[map_id] = (export.map_title(map_id, df, lang), subtitle, picture, lines, top, height)
    return parts


def _map_slide(prs, title, subtitle, picture, lines, top, height, lang):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, title, MARGIN, Inches(0.3), BODY_W, Inches(1.05), 26)
    _text(slide, MARGIN, Inches(1.35), BODY_W, Inches(0.6), subtitle, 16, colour=GREY)
    if picture is not None:
        slide.shapes.add_picture(io.BytesIO(picture), MARGIN, top, BODY_W, height)
    else:
        _text(slide, MARGIN, top, BODY_W, height, t("deck.picture_missing", lang), 18, colour=GREY)
    foot_h = _footnote_height(lines)
    _text(slide, MARGIN, SLIDE_H - Inches(0.25) - foot_h, BODY_W, foot_h, lines, FOOT_PT, colour=GREY)
    slide.notes_slide.notes_text_frame.text = t("map.slide_notes", lang)


# ------------------------------------------------------------------ native charts
def native_data(ex: export.Exhibit) -> tuple[list[str], list[tuple[str, str, list]], pd.DataFrame]:
    """Categories, series (code, name, values) and the rows they come from, in chart order."""
    df = ex.shown
    m, lang = ex.meta, ex.lang
    x_group, s_group = m.get("x_labels", "name"), m.get("series_labels", "kind")
    order = category_order(df)
    first = {x: row for x, row in zip(df["x"], (r for _, r in df.iterrows()))}
    categories = [charts.axis_label(x_group, x, first[x], lang) for x in order]
    series = []
    for code, part in df.groupby("series", sort=False):
        values = part.set_index("x")["value"]
        name = charts.axis_label(s_group, code, None, lang) if s_group != "none" else ""
        series.append((str(code), name, [_num(values.get(x)) for x in order]))
    return categories, series, df


def category_order(df: pd.DataFrame) -> list:
    """Categories in the order the dashboard's figure shows them: Plotly lists the first
    series' categories first, then any new ones of the next series."""
    return list(dict.fromkeys(x for _, part in df.groupby("series", sort=False) for x in part["x"]))


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _blend(hex_colour: str, opacity: float) -> RGBColor:
    """The colour as it looks at `opacity` over white (python-pptx has no fill transparency)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return RGBColor(*[round(255 - (255 - c) * opacity) for c in rgb])


def _hatch(fill, colour: str):
    """Derived values: diagonal hatching on white, as on the dashboard; in the series' colour,
    which the dashboard gives by the outline (too thin to tell apart on a projector)."""
    fill.patterned()
    fill.pattern = MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL
    fill.fore_color.rgb = RGBColor.from_string(colour[1:])
    fill.back_color.rgb = WHITE


def _native_chart(slide, ex: export.Exhibit, x, y, w, h):
    m, lang = ex.meta, ex.lang
    kind = m["kind"]
    horizontal, stacked = kind in ("hbar", "stacked_hbar"), kind.startswith("stacked")
    categories, series, df = native_data(ex)
    order = category_order(df)
    # PowerPoint draws a bar chart's first category at the bottom; the dashboard lists from
    # the top. The categories go in reversed instead of reversing the axis, which would also
    # move the value axis to the top.
    flip = (lambda seq: list(seq)[::-1]) if horizontal else list
    order, categories = flip(order), flip(categories)
    series = [(code, name, flip(values)) for code, name, values in series]
    data = CategoryChartData()
    data.categories = categories
    for _, name, values in series:
        data.add_series(name or t("chart.value", lang), values)
    chart = slide.shapes.add_chart(CHART_TYPES[kind], x, y, w, h, data).chart
    chart.has_title = False  # the slide's title says it
    chart.font.name = export.SLIDE_FONT
    chart.font.size = Pt(16)
    chart.font.color.rgb = TEXT

    plot = chart.plots[0]
    plot.gap_width = 50 if len(series) > 1 else 60
    one_per_category = all(sum(v is not None for v in vals) <= 1 for vals in zip(*[s[2] for s in series]))
    plot.overlap = 100 if stacked or one_per_category else -5
    plot.vary_by_categories = False

    # Labels as the dashboard writes them (99,2 %, 5,03 % (suy ra)): a number format would
    # follow the separators of the viewer's Windows locale, not the deck's language.
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(16 if len(order) <= 8 else 14)
    labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
    rows = {(str(r.series), r.x): r for r in df.itertuples()}
    for i, (code, _, _) in enumerate(series):
        colour = charts.SERIES_COLOURS.get(code, charts.PALETTE[i % len(charts.PALETTE)])
        s = plot.series[i]
        s.format.fill.solid()
        s.format.fill.fore_color.rgb = RGBColor.from_string(colour[1:])
        s.format.line.color.rgb = RGBColor.from_string(colour[1:])
        s.format.line.width = Pt(1.25)
        kinds = set(df.loc[df["series"].astype(str) == code, "value_kind"])
        if kinds == {"derived"}:  # the legend's swatch shows the hatching too
            _hatch(s.format.fill, colour)
        elif kinds == {"external"}:
            s.format.fill.fore_color.rgb = _blend(colour, 0.55)
        for j, xcode in enumerate(order):
            row = rows.get((code, xcode))
            if row is None or pd.isna(row.value):
                continue
            point = s.points[j]
            if row.value_kind == "derived":
                _hatch(point.format.fill, colour)
            elif row.value_kind == "external":
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _blend(colour, 0.55)
            label = point.data_label
            label.position = labels.position
            tf = label.text_frame
            # The figure only, kept on one line: the hatching or pale fill, explained by the
            # legend and the footnote, marks derived and external values. With the dashboard's
            # suffix ("4,66 % (nguồn ngoài)") LibreOffice breaks labels in mid-word to fit them
            # over a bar.
            tf.text = charts.value_label(row.value, row.decimals, row.unit, "reported", lang).replace(" ", "\u00a0")
            for run in tf.paragraphs[0].runs:
                _font(run.font, 16 if len(order) <= 8 else 14, WHITE if stacked else TEXT)

    # Every bar carries its figure, so the value axis is left out: its numbers would follow
    # the viewer's locale (10,000 in a Vietnamese deck) and repeat the labels.
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.visible = False
    value_axis.has_major_gridlines = False
    value_axis.minimum_scale = 0
    if not stacked:
        longest = max((len(p.data_label.text_frame.text) for s in plot.series for p in _points(s)), default=4)
        top = max((v for _, _, vals in series for v in vals if v is not None), default=1.0)
        # room for the labels beyond the longest bar
        value_axis.maximum_scale = top * (1 + (0.012 * longest if horizontal else 0.12))
    category_axis.tick_labels.font.size = Pt(16 if len(order) <= 8 else 14)
    category_axis.format.line.color.rgb = RGBColor(0x99, 0x99, 0x99)
    category_axis.has_major_gridlines = False

    show_legend = len(series) > 1 or (m.get("series_labels") == "kind" and set(df["value_kind"]) != {"reported"})
    chart.has_legend = bool(show_legend) and len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(16)


def _points(series):
    """The points of a series that carry a label of their own."""
    return [series.points[i] for i in range(len(series.values)) if series.values[i] is not None]
