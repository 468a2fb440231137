"""Shareable links: the page, areas, years, language and meeting mode in the URL.

    /electricity?area=535&area=529&years=2016-2020&lang=en     (district=535: links before 2026)
    /meeting?mode=meeting&slide=3

Why not the widgets' own `bind="query-params"`: Streamlit writes a bound widget's *formatted
label* into the URL (?district=Ba+Tơ, ?lang=English) and silently drops anything else, so
the codes a planner would type or a message would carry (?district=535, ?lang=en) were lost
without a word. Here the codes travel instead; the URL is read once, when a session opens
(a pasted link), checked against the district list and year range, and every value that does
not fit is dropped with a visible notice. After that the session state leads and each run
writes the URL back, so the address bar is always a link to the view on screen.

A browser that comes back to a server that does not know its session (its process was
restarted, or it moved to another process behind the proxy: `make serve`) opens a new session
with the widget values of its page, which are newer than its URL (the URL is written at the
end of a run, the widgets carry the change that triggered this one). There only the slide,
which no widget holds, is taken from the link.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

import streamlit as st

from sctdash.app import state, ui
from sctdash.core.i18n import LANGS, t

_APPLIED = "_url_applied"
_INVALID = "_url_invalid"
_SNAPSHOT = "_url_snapshot"
# Streamlit's own parameters, never ours to judge.
_STREAMLIT_PARAMS = {"embed", "embed_options"}


def _years(values: list[str]) -> tuple[int, int] | None:
    parts = [p for v in values for p in v.replace("–", "-").split("-") if p != ""]
    try:
        years = [int(p) for p in parts]
    except ValueError:
        return None
    first, last = ui.years_of_data()  # any year the extracts hold, and no other
    if not 1 <= len(years) <= 2 or not all(first <= y <= last for y in years):
        return None
    return (min(years), max(years))


def _district_codes() -> dict[str, str]:
    """Code by what a link may carry: the code of any district or commune (535, 21484), or a
    2020 district's name with or without marks (Ba Tơ, ba to), which older links written by
    Streamlit's own binding hold."""
    units = ui.query("district_list")
    known = {}
    for code, name, ascii_name in zip(units["area_code"], units["name_vi"], units["name_ascii"]):
        known.update({name.lower(): code, ascii_name.lower(): code})
    areas = ui.query("area_names")
    known.update({code: code for code, level in zip(areas["area_code"], areas["level"]) if level != "province"})
    return known


def _state() -> dict:
    f = ui.filters()
    return {
        "district": list(f.districts),
        "years": f.years,
        "lang": ui.lang(),
        "mode": bool(st.session_state.get(state.MEETING)),
    }


def switch_page(page) -> None:
    """st.switch_page that keeps the view. A switch made by the server reruns without the
    browser's widget states, and Streamlit then drops the filter widgets' values (districts,
    years, language): they are carried here to the next run's read_url, which sets them before
    the widgets exist."""
    s = _state()
    st.session_state[state.LINK_CARRY] = {state.DISTRICT: s["district"], state.YEARS: s["years"], state.LANG: s["lang"]}
    st.switch_page(page, query_params=params())


def resumed_elsewhere() -> bool:
    """True when the browser had a session before this one that this process does not know.
    Streamlit's frontend names its last session in the third entry of the websocket's
    Sec-WebSocket-Protocol header when it reconnects; a new page load names none."""
    try:
        entries = (st.context.headers.get("Sec-WebSocket-Protocol") or "").split(",")
    except (AttributeError, RuntimeError):  # no websocket: a bare script or AppTest
        return False
    return len(entries) >= 3 and bool(entries[2].strip())


def read_url() -> None:
    """Before any widget: the filters a page switch carried over; on a session's first run,
    the link's values."""
    ss = st.session_state
    for key, value in (ss.pop(state.LINK_CARRY, None) or {}).items():
        ss[key] = value
    if not ss.get(_APPLIED):
        ss[_APPLIED] = True
        qp = st.query_params
        if resumed_elsewhere():
            slide = qp.get("slide", "")
            if slide.isdigit():
                ss[state.SLIDE] = max(0, int(slide) - 1)
            ss[_INVALID], ss[_SNAPSHOT] = [], _state()
            return
        invalid: list[str] = []
        if "area" in qp or "district" in qp:  # area=: the codes; district=: links written before 2026
            known = _district_codes()
            wanted = [
                (key, c.strip())
                for key in ("area", "district")
                for v in qp.get_all(key)
                for c in v.split(",")
                if c.strip()
            ]
            invalid += [f"{key}={c}" for key, c in wanted if c.lower() not in known]
            ss[state.DISTRICT] = list(dict.fromkeys(known[c.lower()] for _, c in wanted if c.lower() in known))
        if "years" in qp:
            years = _years(qp.get_all("years"))
            if years is None:
                invalid.append("years=" + "&years=".join(qp.get_all("years")))
            else:
                ss[state.YEARS] = years
        if "lang" in qp:
            if qp.get("lang") in LANGS:
                ss[state.LANG] = qp.get("lang")
            else:
                invalid.append(f"lang={qp.get('lang')}")
        if "mode" in qp:
            if qp.get("mode") == "meeting":
                ss[state.MEETING] = True
            else:
                invalid.append(f"mode={qp.get('mode')}")
        if "slide" in qp:
            try:
                ss[state.SLIDE] = max(0, int(qp.get("slide", "")) - 1)
            except ValueError:
                invalid.append(f"slide={qp.get('slide')}")
        known = {"area", "district", "years", "lang", "mode", "slide"} | _STREAMLIT_PARAMS
        invalid += [f"{k}={qp.get(k)}" for k in qp if k not in known]
        ss[_INVALID] = invalid
        ss[_SNAPSHOT] = _state()


def params(slide: int | None = None) -> dict[str, list[str] | str]:
    """The URL parameters of the view on screen; defaults are left out."""
    s = _state()
    out: dict[str, list[str] | str] = {}
    if s["district"]:
        out["area"] = s["district"]
    if s["years"] != ui.years_of_data():
        out["years"] = f"{s['years'][0]}-{s['years'][1]}"
    if s["lang"] != "vi":
        out["lang"] = s["lang"]
    if s["mode"]:
        out["mode"] = "meeting"
        out["slide"] = str(int(st.session_state.get(state.SLIDE, 0)) + 1)
    return out


def write_url() -> None:
    """The address bar follows the view. Written on every run, not only on a change: after a
    page switch or a change of the default page the browser's URL may have lost the
    parameters while the server's copy still holds them."""
    qp = st.query_params
    keep = {k: qp.get_all(k) for k in qp if k in _STREAMLIT_PARAMS}
    qp.from_dict({**keep, **params()})


def share_url(url_path: str, page_paths: list[str]) -> str:
    """The full link to the view on screen; a relative one when the browser's URL is unknown.

    `page_paths`: the app's page paths, to take the current one off the browser's URL.
    """
    base = (st.context.url or "").split("?")[0].split("#")[0].rstrip("/")
    head, _, last = base.rpartition("/")
    if base and last in page_paths and head.count("/") >= 2:
        base = head
    path = f"{base}/{url_path}" if url_path else f"{base}/"
    query = urlencode(params(), doseq=True)
    return f"{path}?{query}" if query else path


def notices(lang: str) -> None:
    """The link's invalid values, said until the visitor changes the view."""
    ss = st.session_state
    invalid = ss.get(_INVALID) or []
    if invalid and ss.get(_SNAPSHOT) == _state():
        st.warning(t("link.invalid", lang, items=", ".join(invalid)), icon="⚠️")
    elif invalid:
        ss[_INVALID] = []


_SHARE = """
<style>
.sct-share {{ display: flex; gap: 0.4rem; align-items: stretch; }}
.sct-share input {{ flex: 1; min-width: 0; font: inherit; font-size: 0.85rem; color: inherit; padding: 0.3rem 0.45rem;
  border: 1px solid #6b6b6b; border-radius: 0.4rem; background: #ffffff; }}
.sct-share button {{ font: inherit; font-size: 0.85rem; color: #1a1a1a; padding: 0.3rem 0.6rem; cursor: pointer;
  border: 1px solid #6b6b6b; border-radius: 0.4rem; background: #ffffff; white-space: nowrap; }}
.sct-share input:focus-visible, .sct-share button:focus-visible {{ outline: 3px solid #0b5cad; outline-offset: 1px; }}
.sct-share-said {{ font-size: 0.85rem; color: #1a1a1a; min-height: 1.2em; margin: 0.2rem 0 0 0; }}
</style>
<div class="sct-share">
  <input id="sct-share-url" type="text" readonly value="{url}" aria-label="{label}">
  <button id="sct-share-copy" type="button">{copy}</button>
</div>
<p class="sct-share-said" id="sct-share-said" role="status" aria-live="polite"></p>
<script>
(() => {{
  const box = document.getElementById("sct-share-url");
  const button = document.getElementById("sct-share-copy");
  const said = document.getElementById("sct-share-said");
  if (!box || !button) return;
  box.addEventListener("focus", () => box.select());
  button.addEventListener("click", async () => {{
    let done = false;
    try {{
      if (navigator.clipboard && window.isSecureContext) {{ await navigator.clipboard.writeText(box.value); done = true; }}
    }} catch (e) {{ done = false; }}
    if (!done) {{ box.focus(); box.select(); try {{ done = document.execCommand("copy"); }} catch (e) {{ done = false; }} }}
    said.textContent = done ? {copied} : {select};
  }});
}})();
</script>
"""


def share_control(url_path: str, page_paths: list[str], lang: str) -> None:
    """“Share a link”: the URL of the view in a read-only box, with a button that copies it.
    Plain HTML and a few lines of script: st.code's copy button would pull in a 1.5 MB code
    highlighter for one line of text."""
    st.caption(t("link.share", lang), help=t("link.share_help", lang))
    st.html(
        _SHARE.format(
            url=html.escape(share_url(url_path, page_paths), quote=True),
            label=html.escape(t("link.share", lang), quote=True),
            copy=html.escape(t("link.copy", lang)),
            copied=json.dumps(t("link.copied", lang)),
            select=json.dumps(t("link.copy_by_hand", lang)),
        ),
        unsafe_allow_javascript=True,  # our own fixed script; the URL goes in as an escaped attribute
    )
