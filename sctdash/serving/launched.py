"""`make serve` in the background, as the tests and make bench drive it: the launcher
(sctdash.serving.launcher) as a child process on a free port, with a run folder of its own;
ready once its status.json is written; stopped as Ctrl+C stops it, and checked for any process
left behind. The server itself never imports this.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sctdash.core import paths
from sctdash.serving import probe

ROOT = paths.ROOT


class Launched:
    """`with Launched(2, run_dir) as srv:` make serve with 2 processes at `srv.url`. `stop()`
    sends SIGINT, as Ctrl+C, and keeps in `left_behind` any process the launcher had started
    that is still alive afterwards."""

    def __init__(
        self,
        replicas: int,
        run_dir: Path,
        env: dict | None = None,
        streamlit_args: list[str] | None = None,
        ready_timeout: float = 240.0,
    ):
        self.replicas, self.run_dir = replicas, Path(run_dir)
        self.port = probe.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.cmd = [sys.executable, "-m", "sctdash.serving.launcher", "--replicas", str(replicas)]
        self.cmd += ["--port", str(self.port), "--host", "127.0.0.1", "--run-dir", str(self.run_dir), "--quiet"]
        if streamlit_args:
            self.cmd += ["--", *streamlit_args]
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen | None = None
        self.exit_code: int | None = None
        self.started: list[int] = []  # nginx's and the processes' pids once ready
        self.left_behind: list[int] = []

    @property
    def log_path(self) -> Path:
        return self.run_dir / "serve.log"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8")
        except OSError:
            return ""

    def log_tail(self, n: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-n:]) or "(no log)"

    def status(self) -> dict:
        return json.loads((self.run_dir / "status.json").read_text(encoding="utf-8"))

    def process(self, name: str) -> dict:
        return next(p for p in self.status()["processes"] if p["name"] == name)

    def pids(self) -> list[int]:
        """nginx's and every dashboard process's still running."""
        status = self.status()
        return [p for p in [status.get("nginx_pid"), *(x["pid"] for x in status["processes"])] if p]

    def __enter__(self) -> Launched:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "status.json").unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            self.wait_for(lambda: (self.run_dir / "status.json").exists(), self.ready_timeout, "ready")
            self.started = self.pids()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_for(self, condition, timeout: float, what: str) -> None:
        """Until `condition()` holds; RuntimeError with the log when the launcher exits first
        or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        proc = self.proc
        assert proc is not None and proc.stderr is not None, "__enter__ started the launcher, its stderr a pipe"
        while not condition():
            if proc.poll() is not None:
                said = proc.stderr.read().decode("utf-8", "replace").strip()
                raise RuntimeError(f"make serve exited ({proc.returncode}) before {what}:\n{self.log_tail()}\n{said}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"make serve not {what} within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGINT) -> int:
        """`sig` (SIGINT, as Ctrl+C; or SIGTERM, as systemd or kill); then everything the
        launcher had started must be gone. Returns its exit status."""
        if self.proc is None or self.exit_code is not None:
            return self.exit_code or 0
        try:
            started = {*self.started, *self.pids()}
        except (OSError, ValueError):
            started = set(self.started)
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.exit_code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.exit_code = self.proc.wait()
            raise RuntimeError(
                f"make serve did not stop within 60 s of {signal.Signals(sig).name}:\n{self.log_tail()}"
            ) from None
        self.left_behind = sorted(p for p in started if alive(p))
        return self.exit_code

    def __exit__(self, *exc) -> None:
        self.stop()


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, exited but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
