"""`make serve` measured: the `serve` part of `make bench`, the same 20-viewer load (bench.load,
in a process of its own) through nginx in front of 1 process and of 2, side by side in one run.
make serve runs in the background through sctdash.serving.launched (as its tests run it),
stopped as Ctrl+C stops it, with nothing left behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sctdash.serving.launched import Launched
from sctdash.serving.viewer import district_codes

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def cpu_ticks(status: dict) -> dict[str, int]:
    """CPU used so far by each dashboard process and by nginx (its worker included), from the
    launcher's status.json."""
    out = {p["name"]: _cpu_ticks(p["pid"]) or 0 for p in status["processes"] if p["pid"]}
    nginx = status.get("nginx_pid")
    if nginx:
        children = Path(f"/proc/{nginx}/task/{nginx}/children")
        kids = [int(x) for x in children.read_text().split()] if children.exists() else []
        out["nginx"] = sum(_cpu_ticks(p) or 0 for p in [nginx, *kids])
    return out


def _vmhwm_mb(pid: int | None) -> float | None:
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM:"))
    except (OSError, StopIteration, TypeError):
        return None
    return round(int(line.split()[1]) / 1024, 1)


# ------------------------------------------------------------------ make bench
def _load(url: str, sessions: int, changes: int, codes: dict) -> dict:
    """bench.load in a process of its own: its CPU is its own, and it says how much it used."""
    cmd = [PY, "-m", "bench.load", "--url", url, "--sessions", str(sessions), "--changes", str(changes)]
    cmd += ["--json", "--samples", "--codes", json.dumps(codes, ensure_ascii=False)]
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    lines = proc.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"bench.load printed nothing ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def part_serve(sessions: int = 20, changes: int = 4, rounds: int = 2, build: Path | None = None) -> dict:
    """1 process and 2 processes behind nginx, `rounds` times each, alternating (1, 2, 1, 2):
    the same load on each, a fresh `make serve` each time (its caches cold, as after a start)."""
    build = Path(build or ROOT / "build")
    env = {"SCT_CACHE_DIR": str(build / "bench" / "serve-cache")}
    out: dict = {"sessions": sessions, "changes_each": changes, "rounds": [], "loadavg_before": os.getloadavg()}
    codes = None
    for n_round in range(rounds):
        for replicas in (1, 2):
            run_dir = build / "bench" / f"serve-{replicas}"
            with Launched(replicas, run_dir, env=env) as srv:
                if codes is None:  # once, before anything is measured
                    codes = asyncio.run(district_codes(srv.url))
                before, t0 = cpu_ticks(srv.status()), time.monotonic()
                res = _load(srv.url, sessions, changes, codes)
                wall = time.monotonic() - t0
                after = cpu_ticks(srv.status())
                peak_mb = {p["name"]: _vmhwm_mb(p["pid"]) for p in srv.status()["processes"]}
            res.pop("codes", None)
            tick = os.sysconf("SC_CLK_TCK")
            res["server_cpu_s"] = {k: round((after.get(k, 0) - before.get(k, 0)) / tick, 1) for k in after}
            res["server_wall_s"] = round(wall, 1)
            res["server_peak_mb"] = peak_mb  # each process's peak resident memory, its sessions still open
            dashboard_cpu = sum(v for k, v in res["server_cpu_s"].items() if k != "nginx")
            # what the machine gave the dashboard processes, and what one run costs them
            res["server_cores_used"] = round(dashboard_cpu / wall, 2) if wall else None
            res["server_cpu_ms_per_run"] = round(1000 * dashboard_cpu / (sessions + res["changes"]), 1)
            res.update(replicas=replicas, round=n_round + 1, exit_code=srv.exit_code, left_behind=srv.left_behind)
            res["loadavg_after"] = os.getloadavg()
            out["rounds"].append(res)
    for replicas in (1, 2):
        runs = [r for r in out["rounds"] if r["replicas"] == replicas]
        chart = [x for r in runs for x in r.pop("chart_samples_s", [])]
        out[f"replicas_{replicas}"] = {
            **_pcts(chart),
            "errors": sum(r["n_errors"] for r in runs),
            "loadgen_cpu_pct_of_one_core": [r["loadgen_cpu_pct_of_one_core"] for r in runs],
            "server_cpu_s": [r["server_cpu_s"] for r in runs],
            "server_cores_used": [r["server_cores_used"] for r in runs],
            "server_cpu_ms_per_run": [r["server_cpu_ms_per_run"] for r in runs],
            "server_peak_mb": [r["server_peak_mb"] for r in runs],
            "kb_per_run": [r.get("kb_per_run") for r in runs],
            "sessions_by_process": [r["sessions_by_process"] for r in runs],
        }
        for r in runs:
            r.pop("finish_samples_s", None)
    one, two = out["replicas_1"].get("p95_ms"), out["replicas_2"].get("p95_ms")
    out["p95_ratio_2_to_1"] = round(two / one, 2) if one and two else None
    return out


def _pcts(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    v = sorted(values)

    def pct(p: float) -> float:
        return round(1000 * v[min(len(v) - 1, int(round(p * (len(v) - 1))))], 1)

    return {"n": len(v), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "max_ms": pct(1.0)}
