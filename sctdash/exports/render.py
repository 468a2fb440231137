"""Images of figures: one Chromium per process, through kaleido, never a downloaded browser.

    render(figs, "png", width, height, scale) -> [bytes, ...]

The browser is started on first use (or by `start_renderer`), reused for every image, and
closed at exit. Its path is $SCT_CHROMIUM, $BROWSER_PATH, or `chromium` on PATH (Debian's
package, installed by `make system`).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import plotly.graph_objects as go

from sctdash.core.i18n import t

log = logging.getLogger(__name__)

WIDTH, HEIGHT, SCALE = 960, 540, 2  # layout px (= pt on a 13.33 × 7.5 in slide); × 2 = 1920×1080


class ChromiumMissing(RuntimeError):
    """No Chromium to render images with; the message says how to install one."""


# ------------------------------------------------------------------ renderer
def chromium_path() -> str | None:
    """The system's Chromium; never the copy kaleido/choreographer could download."""
    for var in ("SCT_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(var)
        if value:
            return value if Path(value).is_file() and os.access(value, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    return chromium_path() is not None


class _Renderer:
    """One kaleido browser (two tabs: two cores) on an event loop in a thread of its own.

    kaleido's own start_sync_server matches answers to callers through one shared queue, so
    two sessions asking at once could swap images; here every call gets its own future.
    """

    TABS = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self.started_in: float | None = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            path = chromium_path()
            if path is None:
                raise ChromiumMissing(t("export.no_chromium", "vi"))
            import kaleido

            began = time.perf_counter()
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()

            async def open_browser():
                # mathjax=False: the page would otherwise load MathJax from a CDN.
                k = kaleido.Kaleido(n=self.TABS, timeout=90, mathjax=False, path=path)
                await k.open()
                return k

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(120)
            except Exception:
                loop.call_soon_threadsafe(loop.stop)
                raise
            self._loop = loop
            self.started_in = time.perf_counter() - began
            # Registered after the browser's own temp-dir finalizers, so it runs before them
            # (atexit is last-in, first-out): the browser closes before its profile is removed.
            atexit.register(self.stop)
            log.info("kaleido renderer started in %.1f s with %s", self.started_in, path)

    def stop(self) -> None:
        with self._lock:
            k, loop, self._kaleido, self._loop = self._kaleido, self._loop, None, None
        if k is None or loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(20)
        except Exception as exc:  # at exit: nothing left to tell
            log.warning("closing the renderer: %s", exc)
        loop.call_soon_threadsafe(loop.stop)

    def render(self, figs: list[dict], opts: dict) -> list[bytes]:
        """Each figure dict as an image with `opts` (format, width, height, scale), in parallel."""
        for attempt in (1, 2):
            self.start()
            k, loop = self._kaleido, self._loop
            assert k is not None and loop is not None, "start() leaves the renderer running"
            futures = [asyncio.run_coroutine_threadsafe(k.calc_fig(f, opts=opts), loop) for f in figs]
            try:
                return [fut.result(180) for fut in futures]
            except Exception as exc:
                if attempt == 2:
                    raise
                log.warning("renderer failed (%s); restarting it once", exc)
                self.stop()
        raise AssertionError("unreachable")


RENDERER = _Renderer()


def start_renderer() -> float:
    """Start the renderer now (it starts on first use otherwise); seconds it took, 0 if running."""
    if RENDERER.running:
        return 0.0
    RENDERER.start()
    return RENDERER.started_in or 0.0


def render(figs: list[go.Figure], fmt_: str = "png", width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE):
    """Each figure as an image of `width`×`height` layout px at `scale`, in parallel."""
    return RENDERER.render(
        [f.to_plotly_json() for f in figs],
        {"format": fmt_, "width": width, "height": height, "scale": scale},
    )
