"""Figures from query rows and the chart catalogue: `figure(df, meta, lang, context)`.

Every query that feeds a chart returns `x` (the category axis), `series` (the colour), and
`value`, `value_kind`, `unit`, `decimals`, `source_id`, `section`, `note_id`. Words come
from charts.toml and text.toml; numbers are formatted the Vietnamese way in Vietnamese.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sctdash import colours, fmt
from sctdash.i18n import label, t

# Okabe–Ito: distinguishable for colour-blind viewers and on a washed-out projector.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#8C6D00",
    "#000000",
]
SERIES_COLOURS = {
    "reported": "#0072B2",
    "derived": "#0072B2",
    "external": "#E69F00",
    "main": "#0072B2",
    "alt": "#D55E00",
    "completed": "#009E73",
    "under_construction": "#E69F00",
    "in_operation": "#009E73",
    "hydro": "#0072B2",
    "solar": "#E69F00",
    "qppl": "#0072B2",
    "procedure_list": "#E69F00",
}
TEXT_COLOUR = "#1A1A1A"
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
_FILE = Path(__file__).with_name("charts.toml")


@cache
def catalogue() -> dict:
    with _FILE.open("rb") as fh:
        return tomllib.load(fh)


def chart_ids(page: str) -> list[str]:
    return [cid for cid, meta in catalogue()["charts"].items() if meta["page"] == page]


def meta(chart_id: str) -> dict:
    return {"id": chart_id, **catalogue()["charts"][chart_id]}


def tiles(page: str) -> list[dict]:
    return catalogue().get("tiles", {}).get(page, [])


@dataclass
class Context:
    """What a figure states besides its rows: the filters in force and the source line."""

    filters: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    department: str = ""
    stamp: str = ""
    wrap: int = 105  # characters per line of title and footer; exports use more


def axis_label(group: str, code, row: pd.Series | None, lang: str) -> str:
    code = "" if code is None else str(code)
    if group in ("name", "year", "none"):
        return code
    if group == "xlabel":
        text = label("xlabel", code, lang)
        if text == code and row is not None and f"indicator_{lang}" in row:
            return str(row[f"indicator_{lang}"])
        return text
    return label(group, code, lang)


def summary(df: pd.DataFrame, lang: str) -> dict[str, str]:
    """Placeholders for a title: {total}, {n} and the sum of each series by its code."""
    values = defaultdict(lambda: "0")
    if df.empty:
        return values
    dec = int(df["decimals"].max()) if "decimals" in df else 0
    known = df[df["value"].notna()]
    values["total"] = fmt.number(known["value"].sum(), dec, lang)
    values["n"] = fmt.number(len(known), 0, lang)
    for code, part in known.groupby("series"):
        values[str(code)] = fmt.number(part["value"].sum(), dec, lang)
    return values


def title_text(m: dict, df: pd.DataFrame, lang: str) -> str:
    return m["title"][lang].format_map(summary(df, lang))


def value_label(value, decimals: int, unit: str, kind: str, lang: str) -> str:
    text = fmt.number(value, int(decimals), lang)
    if unit in ("pct", "pct_per_year"):
        text += " %"
    if kind == "derived":
        text += t("chart.derived_suffix", lang)
    elif kind == "external":
        text += t("chart.external_suffix", lang)
    return text


def source_names(df: pd.DataFrame, sources: pd.DataFrame, lang: str) -> list[str]:
    """“<title>, <publisher>, dd/mm/yyyy, mục II.1, II.2.2.b” for each source of the rows."""
    if df.empty or "source_id" not in df:
        return []
    # A row that sums others (a district's communes) may join their sources: "a, b".
    df = df.assign(source_id=df["source_id"].map(_split)).explode("source_id")
    by_id = sources.set_index("source_id") if not sources.empty else pd.DataFrame()
    parts = []
    for sid, rows in df.groupby("source_id", sort=False):
        if sid in by_id.index:
            src = by_id.loc[sid]
            name = src["publisher"] if src["kind"] == "report" else f"{src['publisher']}, “{src['title']}”"
            if src["kind"] == "report":
                name = f"{t('app.report', lang)}, {src['publisher']}"
            if pd.notna(src["published_on"]) and src["kind"] != "report":
                name += f", {fmt.date(src['published_on'])}"
        else:
            name = str(sid)
        sections = sorted({x for v in rows.get("section", pd.Series(dtype=str)).dropna() for x in _split(v)})
        if sections:
            name += f", {t('chart.section', lang)} {', '.join(sections)}"
        parts.append(name)
    return parts


def _split(value) -> list[str]:
    """'II.2.1.a1, II.2.2' → ['II.2.1.a1', 'II.2.2']; an empty list for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def source_line(df: pd.DataFrame, sources: pd.DataFrame, lang: str) -> str:
    """“Nguồn: <title>, <publisher>, dd/mm/yyyy, mục II.1, II.2.2.b; …” from the rows' own provenance."""
    names = source_names(df, sources, lang)
    return f"{t('chart.source', lang)}: " + "; ".join(names) if names else ""


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _base_layout(fig: go.Figure, m: dict, df: pd.DataFrame, lang: str, ctx: Context) -> None:
    """Title, subtitle (what is shown, with the filters), and a footer: source, legend of
    derived and external values, data notes, and on exports the department and date."""
    subtitle = m.get("subtitle", {}).get(lang, "")
    if ctx.filters:
        subtitle = f"{subtitle} · {ctx.filters}" if subtitle else ctx.filters
    footer = [ctx.source] if ctx.source else []
    kinds = set(df["value_kind"]) if "value_kind" in df else set()
    if "derived" in kinds:
        footer.append(t("chart.derived_legend", lang))
    if "external" in kinds:
        footer.append(t("chart.external_legend", lang))
    if ctx.notes:
        footer.append(t("chart.note_ref", lang, titles="; ".join(ctx.notes)))
    if ctx.department:
        footer.append(" · ".join(x for x in (ctx.department, ctx.stamp) if x))
    footer_lines = [line for text in footer for line in _wrap(text, ctx.wrap)]
    title_lines = _wrap(title_text(m, df, lang), int(ctx.wrap * 0.6))
    subtitle_lines = _wrap(subtitle, int(ctx.wrap * 0.85)) if subtitle else []
    heading = "<br>".join(title_lines)
    if subtitle_lines:
        heading += "<br><span style='font-size:16px;color:#444444'>" + "<br>".join(subtitle_lines) + "</span>"
    top = 30 + 30 * len(title_lines) + 22 * len(subtitle_lines) + 44
    bottom = 70 + 21 * len(footer_lines)
    left = _left_margin(fig)
    fig.update_yaxes(automargin=False)
    fig.update_layout(
        title={
            "text": heading,
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 16},
            "font": {"size": 22, "color": TEXT_COLOUR},
        },
        separators=fmt.plotly_separators(lang),
        font={"family": FONT, "size": 16, "color": TEXT_COLOUR},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "font": {"size": 15},
        },
        margin={"l": left, "r": 40, "t": top, "b": bottom},
        height=max(m.get("height", 460), 300) + top + bottom - 200,
        uniformtext={"minsize": 14, "mode": "show"},
    )
    if footer_lines:
        fig.add_annotation(
            text="<br>".join(footer_lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-62,
            xshift=12 - left,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font={"size": 14, "color": "#333333"},
        )


def _left_margin(fig: go.Figure) -> int:
    """Room for the category labels of horizontal bars (16 px text), or the value axis."""
    labels = [str(v) for tr in fig.data if getattr(tr, "orientation", None) == "h" for v in (tr.y or [])]
    if not labels:
        return 80
    return int(min(520, 30 + 8.6 * max(len(v) for v in labels)))


def _bar_traces(df: pd.DataFrame, m: dict, lang: str, horizontal: bool) -> list[dict]:
    """One bar trace per series, as plain dicts (the figure is built unvalidated: these are ours)."""
    traces = []
    x_group = m.get("x_labels", "name")
    s_group = m.get("series_labels", "kind")
    rows = df.to_dict("records")
    order = {x: i for i, x in enumerate(dict.fromkeys(r["x"] for r in rows))}
    series = list(dict.fromkeys(r["series"] for r in rows))
    indicator_name = f"indicator_{lang}"
    for i, code in enumerate(series):
        part = sorted(
            (r for r in rows if r["series"] == code and pd.notna(r["value"])),
            key=lambda r: order[r["x"]],
        )
        labels = [axis_label(x_group, r["x"], r if indicator_name in r else None, lang) for r in part]
        kinds = [r["value_kind"] for r in part]
        texts = [value_label(r["value"], r["decimals"], r["unit"], r["value_kind"], lang) for r in part]
        colour = SERIES_COLOURS.get(str(code), PALETTE[i % len(PALETTE)])
        values = [r["value"] for r in part]
        trace = {
            "type": "bar",
            "name": axis_label(s_group, code, None, lang) if s_group != "none" else "",
            "text": texts,
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 16, "color": TEXT_COLOUR},
            "marker": {
                # derived: hatched in the series' colour on white; external: pale
                "color": ["white" if k == "derived" else colour for k in kinds],
                "opacity": [0.55 if k == "external" else 1.0 for k in kinds],
                "pattern": {
                    "shape": ["/" if k == "derived" else "" for k in kinds],
                    "fgcolor": colour,
                    "bgcolor": "white",
                    "size": 9,
                    "solidity": 0.45,
                },
                "line": {"color": colour, "width": 1.5},
            },
            "hovertemplate": "%{hovertext}<extra></extra>",
            "hovertext": [f"{lab}: {txt}" for lab, txt in zip(labels, texts)],
        }
        if horizontal:
            trace.update(y=labels, x=values, orientation="h")
        else:
            trace.update(x=labels, y=values)
        traces.append(trace)
    return traces


def _value_axis_title(m: dict, lang: str) -> str:
    return label("unit", m.get("unit", ""), lang)


def bar_figure(df: pd.DataFrame, m: dict, lang: str, ctx: Context) -> go.Figure:
    kind = m["kind"]
    horizontal = kind in ("hbar", "stacked_hbar")
    fig = go.Figure(_bar_traces(df, m, lang, horizontal), _validate=False)
    stacked = kind.startswith("stacked")
    fig.update_layout(barmode="stack" if stacked else "group", bargap=0.3, bargroupgap=0.08)
    if stacked:
        for trace in fig.data:
            trace.textposition = "inside"
            trace.insidetextanchor = "middle"
            # dark or white text, whichever reads at 4.5:1 or better on each bar (tests/test_colours.py)
            trace.textfont = {"size": 16, "color": [colours.text_on(c) for c in trace.marker.color]}
    grid = {
        "showgrid": True,
        "gridcolor": "#E5E5E5",
        "zeroline": True,
        "zerolinecolor": "#999999",
    }
    value_axis = {
        **grid,
        "title": {"text": _value_axis_title(m, lang)},
        "rangemode": "tozero",
        "tickformat": ",~g",  # thousands separated in the page's language: 5.000
    }
    if not stacked:
        top = float(df["value"].max()) if not df.empty else 1.0
        value_axis["range"] = [0, top * (1.28 if horizontal else 1.18) or 1]
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(autorange="reversed", tickfont={"size": 16}, automargin=True)
    else:
        fig.update_yaxes(**value_axis)
        fig.update_xaxes(tickfont={"size": 16}, type="category", automargin=True)
    show_legend = (
        df["series"].nunique() > 1 or m.get("series_labels") in ("kind",) and set(df["value_kind"]) != {"reported"}
    )
    fig.update_layout(showlegend=bool(show_legend))
    return fig


def facet_figure(df: pd.DataFrame, m: dict, lang: str, ctx: Context) -> go.Figure:
    facets = list(dict.fromkeys(df["x"]))
    titles = [axis_label(m.get("facet_labels", "xlabel"), f, None, lang) for f in facets]
    fig = make_subplots(rows=1, cols=len(facets), subplot_titles=titles, horizontal_spacing=0.07)
    # One colour per category across every facet: Hạng I is the same blue everywhere.
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(sorted(set(df["series"])))}
    for col, facet in enumerate(facets, start=1):
        part = df[df["x"] == facet]
        labels = [label("category", c, lang) for c in part["series"]]
        texts = [
            value_label(v, d, u, k, lang)
            for v, d, u, k in zip(part["value"], part["decimals"], part["unit"], part["value_kind"])
        ]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=part["value"],
                text=texts,
                textposition="outside",
                cliponaxis=False,
                marker={"color": [colours[c] for c in part["series"]]},
                textfont={"size": 16, "color": TEXT_COLOUR},
                showlegend=False,
                hovertemplate="%{x}: %{text}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_yaxes(
            range=[0, float(part["value"].max()) * 1.22],
            row=1,
            col=col,
            gridcolor="#E5E5E5",
        )
    fig.update_xaxes(type="category", tickfont={"size": 16})
    for ann in fig.layout.annotations:
        ann.font = {"size": 18, "color": TEXT_COLOUR}
    return fig


BUILDERS = {
    "bar": bar_figure,
    "hbar": bar_figure,
    "stacked_hbar": bar_figure,
    "stacked_bar": bar_figure,
    "facet_bar": facet_figure,
}


def figure(df: pd.DataFrame, m: dict, lang: str = "vi", ctx: Context | None = None) -> go.Figure:
    """The chart `m` drawn from its query's rows `df` (already filtered)."""
    ctx = ctx or Context()
    if m.get("skip_null"):
        df = df[df["value"].notna()]
    fig = BUILDERS[m["kind"]](df, m, lang, ctx)
    _base_layout(fig, m, df, lang, ctx)
    return fig
