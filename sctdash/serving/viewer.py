"""Viewers at the protocol level: Streamlit sessions driven over their websocket, as a browser does,
for the tests of make serve (tests/e2e/test_serve.py) and make bench's load (bench/load.py,
`python -m bench.load`). The server itself never imports this.

Each `Viewer` does what Streamlit's frontend does, without drawing anything:

- GET the page (through nginx: the answer sets the `sct_route` cookie that keeps it on one
  process), then /_stcore/health (which sets Streamlit's XSRF cookie) and /_stcore/host-config;
- open /_stcore/stream with the frontend's subprotocols (`streamlit`, the XSRF token, and on a
  reconnect the last session's id) and send a `rerun_script` BackMsg (ClientState: the URL's
  query string, the page name from the path at first and the page's script hash after);
- read ForwardMsgs until `script_finished`, keeping the messages Streamlit marks cacheable and
  answering with their hashes on the next run, as the frontend's message cache does (so the
  server sends `ref_hash` references for what the viewer already has, and the viewer resolves
  them; an entry unused for `max_cached_message_age` runs is dropped, as there); the query
  string the run writes (page_info_changed) is the next run's;
- change the district: a rerun whose widget states hold the sidebar multiselect (its id ends
  in `-district`) set to an option's label.

Measured per change: from sending the rerun to the arrival of the last Plotly chart's delta of
that run ("last chart updated"; the run's end on a page without charts), and to the run's end.
What the browser then spends drawing is not included: these are the server's and the network's
share, which is what more processes change.

A lost connection is handled as the frontend does: /_stcore/health is asked again after
250–500 ms, then with a doubling pause up to 4 s; the websocket reopens naming the last
session; a run that the loss interrupted is asked again. Each loss is recorded with how long
the viewer was without a connection and without a page (until a run finished again).

Errors: an exception shown on the page, a run that ends with a compile error or not within the
timeout, a connection not back within the timeout, an answer other than 200, and a page whose
share link does not show the district the viewer chose (the viewer's state lost).
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import resource
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.MultiSelect_pb2 import MultiSelect
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from sctdash.app import site, state

DISTRICT_KEY = state.DISTRICT  # the sidebar multiselect's key
_SHARED_URL = re.compile(r'id="sct-share-url"[^>]*\svalue="([^"]*)"')  # the share box's URL
PAGES = tuple(entry.url for entry in site.MENU)
FINISHED = ForwardMsg.ScriptFinishedStatus
RECONNECT_CAP_S = 4.0  # the frontend's longest pause between two attempts


class ViewerError(Exception):
    """What a viewer would see as a broken page."""


@dataclass
class Run:
    """One script run as the viewer receives it."""

    sent: float
    finished: float | None = None
    last_chart: float | None = None
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)
    status: int | None = None
    district_widget: MultiSelect | None = None  # the sidebar's district filter
    link: str = ""  # the sidebar's share link (sctdash.app.links.share_control): the filters as the server holds them
    downloads: list[object] = field(default_factory=list)  # DownloadButton protos
    metrics: list[str] = field(default_factory=list)  # st.metric values, in page order
    reconnected: bool = False

    @property
    def chart_s(self) -> float | None:
        end = self.last_chart or self.finished
        return None if end is None else end - self.sent

    @property
    def finish_s(self) -> float | None:
        return None if self.finished is None else self.finished - self.sent

    def link_districts(self) -> list[str]:
        """The area codes the page's share link carries (area=; district= before 2026)."""
        query = parse_qs(urlparse(self.link).query)
        return query.get("area", query.get("district", []))


@dataclass
class Outage:
    """A lost connection: when, how long until connected again, and until a page again."""

    at: float
    connected_after_s: float | None = None
    page_after_s: float | None = None


class Viewer:
    def __init__(self, base_url: str, path: str = "/", timeout: float = 60.0, name: str = ""):
        self.base = base_url.rstrip("/")
        parsed = urlparse(path)
        self.path, self.query_string = parsed.path or "/", parsed.query
        self.timeout = timeout
        self.name = name or path
        self.cookies: dict[str, str] = {}
        self.session_id = ""
        self.last_session_id = ""
        self.page_script_hash = ""
        self.widget_states: dict[str, WidgetState] = {}
        # the frontend's message cache: hash -> (message, the run it was last used in); an
        # entry unused for more than max_cached_message_age runs is dropped, as there
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}
        self.runs_done = 0
        self.max_cached_age = 2  # Streamlit's default; new_session says the server's
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.connected = asyncio.Event()
        self.run: Run | None = None
        self.outages: list[Outage] = []
        self.open_outage: Outage | None = None
        self.closing = False
        self.routes: list[str] = []  # the sct_route cookie after each run: which process served it
        self.bytes_in = 0  # websocket messages received, in bytes
        self.backend_replies: dict[str, asyncio.Future] = {}

    # -- HTTP ------------------------------------------------------------------------------
    async def get(self, path: str) -> tuple[int, bytes]:
        """GET with this viewer's cookies; cookies set by the answer are kept, as a browser does."""

        def fetch() -> tuple[int, bytes, list[str]]:
            req = urllib.request.Request(self.base + path, headers=self._headers())
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as r:
                    return r.status, r.read(), r.headers.get_all("Set-Cookie") or []
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read(), exc.headers.get_all("Set-Cookie") or []

        status, body, set_cookies = await asyncio.to_thread(fetch)
        self._keep_cookies(set_cookies)
        return status, body

    def _headers(self) -> dict[str, str]:
        h = {"Origin": self.base, "User-Agent": "sctdash-load/1"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return h

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except Exception:  # noqa: BLE001 - Streamlit's XSRF value has '|': keep it raw
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
                continue
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value

    @property
    def route(self) -> str:
        return self.cookies.get("sct_route", "")

    # -- the websocket ---------------------------------------------------------------------
    async def _connect_once(self) -> None:
        status, _ = await self.get("/_stcore/health")
        if status != 200:
            raise ViewerError(f"/_stcore/health answered {status}")
        status, _ = await self.get("/_stcore/host-config")
        if status != 200:
            raise ViewerError(f"/_stcore/host-config answered {status}")
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"]
        if self.last_session_id:
            protocols.append(self.last_session_id)
        ws_url = self.base.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=[Subprotocol(p) for p in protocols],
            additional_headers=self._headers(),
            max_size=None,
            open_timeout=self.timeout,
            compression=None,
        )
        if self.ws.response is not None:  # the handshake's answer, there once connected
            self._keep_cookies(self.ws.response.headers.get_all("Set-Cookie"))
        self.connected.set()
        self.reader = asyncio.create_task(self._read(self.ws), name=f"read-{self.name}")
        await self._send(BackMsg(load_git_info=True))  # as the frontend does on every connect

    async def _reconnect(self) -> None:
        """Ask /_stcore/health, then open the websocket, with the frontend's pauses."""
        deadline = time.perf_counter() + self.timeout
        attempt = 0
        while True:
            attempt += 1
            cap = min(RECONNECT_CAP_S, 0.5 * 2 ** (attempt - 1))
            low = 0.25 if attempt == 1 else cap / 2
            await asyncio.sleep(low + random.random() * (cap - low))
            try:
                await self._connect_once()
                return
            except (TimeoutError, OSError, ViewerError, InvalidHandshake, InvalidStatus) as exc:
                if time.perf_counter() > deadline:
                    raise ViewerError(f"no connection within {self.timeout:.0f} s: {exc}") from None

    async def _read(self, ws) -> None:
        try:
            async for data in ws:
                self.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                await self.inbox.put((time.perf_counter(), msg))
        except ConnectionClosed:
            pass
        finally:
            if ws is self.ws:
                self.connected.clear()
                if not self.closing:
                    await self.inbox.put((time.perf_counter(), None))  # the connection is gone

    async def _send(self, back: BackMsg) -> None:
        if self.ws is None:
            raise ViewerError("not connected")
        await self.ws.send(back.SerializeToString())

    # -- runs ------------------------------------------------------------------------------
    def _client_state(self, back: BackMsg) -> None:
        cs = back.rerun_script
        cs.query_string = self.query_string
        if self.page_script_hash:
            cs.page_script_hash = self.page_script_hash
        else:
            cs.page_name = self.path.strip("/")
        cs.widget_states.widgets.extend(self.widget_states.values())
        cs.cached_message_hashes.extend(self.cache)
        cs.context_info.timezone = "Asia/Ho_Chi_Minh"
        cs.context_info.timezone_offset = -420
        cs.context_info.locale = "vi-VN"
        cs.context_info.url = f"{self.base}{self.path}" + (f"?{self.query_string}" if self.query_string else "")

    async def rerun(self) -> Run:
        """Send a rerun with the current widget states and read its messages to the end.
        A connection lost meanwhile (or before: while the viewer was reading the page) is
        re-established and the run asked again, as the frontend does; the time of the whole,
        from the first request, is the run's."""
        self.run = run = Run(sent=time.perf_counter())
        await self._ask_run()
        deadline = run.sent + self.timeout
        while True:
            try:
                t, msg = await asyncio.wait_for(self.inbox.get(), timeout=max(0.01, deadline - time.perf_counter()))
            except TimeoutError:
                raise ViewerError(f"run not finished within {self.timeout:.0f} s") from None
            if msg is None:
                await self._lost(t)
                run.reconnected = True
                await self._ask_run()
                continue
            if self._handle(t, msg, run):
                if self.open_outage is not None:
                    self.open_outage.page_after_s = time.perf_counter() - self.open_outage.at
                    self.open_outage = None
                self.routes.append(self.route)
                return run

    async def _ask_run(self) -> None:
        back = BackMsg()
        self._client_state(back)
        try:
            await self._send(back)
        except ConnectionClosed:
            pass  # the reader puts the loss in the inbox: the run is asked again after reconnecting

    async def _lost(self, at: float) -> None:
        outage = Outage(at=at)
        self.outages.append(outage)
        self.open_outage = outage
        self.last_session_id = self.session_id or self.last_session_id
        await self._reconnect()
        outage.connected_after_s = time.perf_counter() - at

    def _handle(self, t: float, msg: ForwardMsg, run: Run) -> bool:
        """Apply one message to the run; True when the run is over."""
        if msg.HasField("ref_hash"):
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                run.exceptions.append(f"reference to a message never received ({msg.ref_hash})")
                return False
            full = ForwardMsg()
            full.CopyFrom(cached[0])
            full.metadata.CopyFrom(msg.metadata)
            self.cache[msg.ref_hash] = (cached[0], self.runs_done)
            msg = full
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, self.runs_done)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            ns = msg.new_session
            self.session_id = ns.initialize.session_id or self.session_id
            self.max_cached_age = ns.config.max_cached_message_age or self.max_cached_age
            if ns.page_script_hash:
                self.page_script_hash = ns.page_script_hash
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(t, msg.delta.new_element, run)
        elif kind == "backend_operation_response":
            fut = self.backend_replies.pop(msg.backend_operation_response.request_id, None)
            if fut is not None and not fut.done():
                fut.set_result(msg.backend_operation_response)
        elif kind == "script_finished":
            status = msg.script_finished
            if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                return False  # the script asked for another run (a page switch): it follows
            run.status, run.finished = status, t
            self.runs_done += 1
            self.cache = {h: e for h, e in self.cache.items() if self.runs_done - e[1] <= self.max_cached_age}
            if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                run.exceptions.append("the script did not compile")
            return True
        return False

    def _element(self, t: float, el, run: Run) -> None:
        kind = el.WhichOneof("type")
        if kind == "plotly_chart":
            run.charts += 1
            run.last_chart = t
        elif kind == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
        elif kind == "multiselect" and el.multiselect.id.endswith(f"-{DISTRICT_KEY}"):
            run.district_widget = el.multiselect
        elif kind == "html" and (found := _SHARED_URL.search(el.html.body)):
            run.link = html.unescape(found.group(1))  # the share box's URL (sctdash.app.links.share_control)
        elif kind == "download_button":
            run.downloads.append(el.download_button)
        elif kind == "metric":
            run.metrics.append(el.metric.body)

    # -- what a viewer does ----------------------------------------------------------------
    async def open(self) -> Run:
        """Load the page and run it, as a browser opening the URL."""
        path = self.path + (f"?{self.query_string}" if self.query_string else "")
        status, _ = await self.get(path)
        if status != 200:
            raise ViewerError(f"GET {path} answered {status}")
        await self._connect_once()
        return await self.rerun()

    async def choose_district(self, label: str | None) -> Run:
        """Set the sidebar's district filter to one option (None: the whole province) and rerun."""
        widget = self.run.district_widget if self.run else None
        if widget is None:
            raise ViewerError(f"no district filter on {self.path}")
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend([label] if label else [])
        self.widget_states[widget.id] = state
        return await self.rerun()

    def district_options(self) -> list[str]:
        widget = self.run.district_widget if self.run else None
        return list(widget.options) if widget is not None else []

    async def download(self, button) -> tuple[int, bytes]:
        """What a click on a download button fetches: its URL, or for a button that builds its
        file on the click (on_click="ignore" with a callable), the URL the server answers
        with after building it; fetched through nginx with this viewer's cookies."""
        url = button.url
        if not url and button.deferred_file_id:
            back = BackMsg()
            req = back.backend_operation_request
            req.request_id = str(uuid.uuid4())
            req.session_id = self.session_id
            req.deferred_file.file_id = button.deferred_file_id
            fut = asyncio.get_running_loop().create_future()
            self.backend_replies[req.request_id] = fut
            await self._send(back)
            reply = await self._await_reply(fut)
            if reply.error_msg:
                raise ViewerError(f"download {button.label!r}: {reply.error_msg}")
            url = reply.deferred_file.url
        if not url.startswith("/"):
            url = "/" + url
        return await self.get(url)

    async def _await_reply(self, fut: asyncio.Future):
        """Read messages until the backend operation's answer comes (no run is going on)."""
        deadline = time.perf_counter() + self.timeout
        while not fut.done():
            try:
                t, msg = await asyncio.wait_for(self.inbox.get(), timeout=max(0.01, deadline - time.perf_counter()))
            except TimeoutError:
                raise ViewerError("no answer to a download within the timeout") from None
            if msg is None:
                raise ViewerError("connection lost during a download")
            self._handle(t, msg, Run(sent=t))
        return fut.result()

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


# ------------------------------------------------------------------ a load
@dataclass
class Load:
    """The figures of one load: every change's times, the errors, the losses."""

    chart_s: list[float] = field(default_factory=list)
    finish_s: list[float] = field(default_factory=list)
    open_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)
    routes: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    cpu_s: float = 0.0  # this process's CPU time while the load ran (the load generator's own)
    bytes_in: int = 0  # websocket bytes the viewers received, over all their runs
    runs: int = 0

    def summary(self) -> dict:
        def pct(values: list[float], p: float) -> float | None:
            if not values:
                return None
            v = sorted(values)
            return round(1000 * v[min(len(v) - 1, int(round(p * (len(v) - 1))))], 1)

        return {
            "changes": len(self.chart_s),
            "chart_p50_ms": pct(self.chart_s, 0.5),
            "chart_p95_ms": pct(self.chart_s, 0.95),
            "chart_max_ms": pct(self.chart_s, 1.0),
            "finish_p50_ms": pct(self.finish_s, 0.5),
            "finish_p95_ms": pct(self.finish_s, 0.95),
            "open_p50_ms": pct(self.open_s, 0.5),
            "n_errors": len(self.errors),
            "errors": self.errors[:5],
            "kb_per_run": round(self.bytes_in / self.runs / 1024, 1) if self.runs else None,
            "outages": len(self.outages),
            "longest_without_page_s": max((o.page_after_s or 0 for o in self.outages), default=None),
            "sessions_by_process": dict(sorted(self.routes.items())),
            "wall_s": round(self.wall_s, 1),
            "loadgen_cpu_s": round(self.cpu_s, 1),
            "loadgen_cpu_pct_of_one_core": round(100 * self.cpu_s / self.wall_s, 1) if self.wall_s else None,
        }


def _cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def spread(i: int, j: int, options: list[str]) -> str:
    """The j-th change of viewer i: a district it has not chosen before, and viewers apart."""
    return options[(i * 7 + j) % len(options)]


async def district_codes(base_url: str, timeout: float = 60.0, labels: int | None = None) -> dict[str, str]:
    """Each option of the district filter (the first `labels` of them, or all) with the code
    the page's share link then shows, by choosing them one after the other in one session
    (not timed): what every change of a load is checked against."""
    v = Viewer(base_url, "/data", timeout, name="probe")
    try:
        await v.open()
        codes = {}
        for label in v.district_options()[:labels]:
            run = await v.choose_district(label)
            shown = run.link_districts()
            if run.exceptions or len(shown) != 1:
                raise ViewerError(f"choosing {label!r} shows {shown} {run.exceptions}")
            codes[label] = shown[0]
        return codes
    finally:
        await v.close()


async def run_load(
    base_url: str,
    sessions: int = 20,
    changes: int = 4,
    pages: tuple[str, ...] = PAGES,
    timeout: float = 60.0,
    codes: dict[str, str] | None = None,
    pick=spread,
    hold=None,
    during=None,
) -> Load:
    """`sessions` viewers, each on a page of its own (round the `pages`), open together; when all
    are open (and `hold()`, if given, has returned) they are released at once and each changes
    the district `changes` times in a row, to `pick(i, j, options)`. Every change is checked
    against `codes` (district_codes, asked first when not given). `during(viewers)`, if given,
    runs alongside the changes from their release (the kill test stops a process there)."""
    codes = codes if codes is not None else await district_codes(base_url, timeout)
    load = Load()
    viewers = [Viewer(base_url, pages[i % len(pages)], timeout, name=f"v{i + 1}") for i in range(sessions)]
    opened = asyncio.Event()
    ready, releasing = 0, []
    t_cpu, t0 = _cpu_s(), time.perf_counter()

    async def release() -> None:
        if hold is not None:
            await hold()
        opened.set()

    def one_more_ready() -> None:
        nonlocal ready
        ready += 1
        if ready == len(viewers):
            releasing.append(asyncio.create_task(release()))

    async def one(i: int, v: Viewer) -> None:
        try:
            run = await v.open()
            load.open_s.append(run.finish_s or 0.0)
            _check(v, run, load)
        except Exception as exc:  # noqa: BLE001 - every failure is a counted error
            load.errors.append(f"{v.name} {v.path} open: {type(exc).__name__}: {exc}"[:300])
            return
        finally:
            one_more_ready()
        await opened.wait()
        options = v.district_options()
        for j in range(changes):
            label = pick(i, j, options) if options else None
            try:
                run = await v.choose_district(label)
            except Exception as exc:  # noqa: BLE001
                load.errors.append(f"{v.name} {v.path} change {j + 1}: {type(exc).__name__}: {exc}"[:300])
                return
            if run.chart_s is not None and run.finish_s is not None:  # set on every run rerun() returns
                load.chart_s.append(run.chart_s)
                load.finish_s.append(run.finish_s)
            _check(v, run, load, codes.get(label, "?") if label else "")

    tasks = [asyncio.create_task(one(i, v)) for i, v in enumerate(viewers)]

    async def alongside(act) -> None:
        await opened.wait()
        await act(viewers)

    extra = asyncio.create_task(alongside(during)) if during else None
    await asyncio.gather(*tasks)
    if extra is not None:
        await extra
    load.wall_s = time.perf_counter() - t0
    load.cpu_s = _cpu_s() - t_cpu
    for v in viewers:
        load.outages.extend(v.outages)
        load.bytes_in += v.bytes_in
        load.runs += len(v.routes)
        if v.routes:
            load.routes[v.routes[-1] or "?"] = load.routes.get(v.routes[-1] or "?", 0) + 1
        await v.close()
    return load


def _check(v: Viewer, run: Run, load: Load, code: str | None = None) -> None:
    """Errors a viewer would see on this run's page; after a change to the district `code`
    ("" for none), the page's share link must show that district."""
    for text in run.exceptions:
        load.errors.append(f"{v.name} {v.path}: {text}")
    if code is None:
        return
    shown = run.link_districts()
    if not run.link:
        load.errors.append(f"{v.name} {v.path}: no share link on the page")
    elif shown != ([code] if code else []):
        load.errors.append(f"{v.name} {v.path}: chose district {code or 'none'}, the page shows {shown or 'none'}")
