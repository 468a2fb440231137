"""What the parts of the benchmark share: paths, the Python and Chromium they run, the query
parameters and the targets; the median/min/max of timings, peak memory, child-process workers
(`python -m bench.run worker ...`), the log, and a headless server of the app on a free port.

Nothing here imports a part: the parts import this, and bench/run.py imports the parts.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sctdash.serving import probe

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SYNTH_ROOT = BUILD / "synth"
DB_DIR = BUILD / "bench" / "db"
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCALES = (1000, 100_000)
COLD_BUDGET_S = 150  # server launches for the cold start: further runs stop once this is spent
# Parameters every query is run with: the whole province, 2016-2020, as the pages start.
PARAMS = {
    "districts": [],
    "year_from": 2016,
    "year_to": 2020,
    "indicators": ["gocn_growth_avg", "households_with_power", "procedures", "satisfaction_pct"],
    "indicator": "procedures",
    "kind": "hydro",
    "figure_type": "result",
    "category": "total",
    "topics": ["market", "reform"],
}
TARGETS = {
    "rerun_ms": 150,
    "cold_s": 3.0,
    "query_ms": 100,
    "pandas_ratio": 10,
    "startup_s": 2.0,
    "deck_s": 15,
    "sessions_p95_ms": 1000,
    "server_mb": 500,
    "serve_p95_ms": 1000,  # 2 processes behind nginx, and at most half of 1 process's p95 in the same run
    "serve_p95_ratio": 0.5,
}


# ------------------------------------------------------------------ helpers
def stats(values: list[float], scale: float = 1.0, digits: int = 1) -> dict:
    if not values:
        return {"n": 0}
    v = [x * scale for x in values]
    return {
        "median": round(statistics.median(v), digits),
        "min": round(min(v), digits),
        "max": round(max(v), digits),
        "n": len(v),
    }


def timed(fn, runs: int, budget_s: float = 4.0) -> tuple[list[float], object]:
    """Run fn `runs` times (at least 3 when a run is slow and the budget is spent); seconds each."""
    times, result = [], None
    start = time.perf_counter()
    for i in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if i >= 2 and time.perf_counter() - start > budget_s:
            break
    return times, result


def vmhwm_kb(pid: int | str = "self") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def worker(*args: str, env: dict | None = None, timeout: float = 600) -> dict:
    """Run `python -m bench.run worker ...` and return the JSON it prints last."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "bench.run", "worker", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = wall
    return out


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the Store a worker opens
def _open(data_dir: Path, mode: str, cache_dir: Path):
    from sctdash.store import db, persist

    if mode == "persisted":
        return persist.open_store(data_dir, DB_DIR, cache_dir=cache_dir)
    return db.Store(data_dir, cache_dir=cache_dir)


# ------------------------------------------------------------------ the app
def app_entry() -> Path | None:
    entry = ROOT / "dashboard.py"
    return entry if entry.exists() else None


class Server:
    """`streamlit run dashboard.py` (through sctdash.serving.serve when it exists), headless; or
    another script through `streamlit run` (the bare page of the paint part)."""

    def __init__(self, env: dict | None = None, script: str = "dashboard.py"):
        self.port = probe.free_port()
        ours = script == "dashboard.py" and (ROOT / "sctdash" / "serving" / "serve.py").exists()
        module = ["-m", "sctdash.serving.serve"] if ours else ["-m", "streamlit", "run"]
        self.cmd = [
            PY,
            *module,
            script,
            "--server.headless=true",
            f"--server.port={self.port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.t_launch = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        if probe.wait_healthy(self.url, 60, alive=lambda: self.proc.poll() is None, every=0.03):
            self.t_ready = time.perf_counter()
            return self
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
        raise RuntimeError("server not ready within 60 s")

    def vmhwm_mb(self) -> float | None:
        kb = vmhwm_kb(self.proc.pid)
        return None if kb is None else round(kb / 1024, 1)

    def __exit__(self, *exc) -> None:
        try:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
