"""`make serve`: several dashboard processes behind nginx, one supervisor for all of them.

    python -m sctdash.serving.cluster [--replicas N] [--port P] [--host H] [--run-dir DIR] [-- STREAMLIT ARGS]
    python -m sctdash.serving.cluster site-config --backend HOST:PORT [--backend ...] [--listen 80]
        [--server-name NAME --tls-cert FULLCHAIN.pem --tls-key KEY.pem]

The first form starts N dashboard processes (`python -m sctdash.serving.serve dashboard.py`, as
`make run` does, each on a free port of 127.0.0.1) and Debian's nginx in front of them on
port P (sctdash/serving/nginx/: websockets proxied, each browser kept on its process by a cookie).
It then watches them: a process that exits is started again (at once, or after a growing
pause if it keeps failing within seconds of its start), and one that stops answering
/_stcore/health for HANG_S seconds is killed and started again. Their viewers' browsers
reconnect meanwhile through nginx to another process. Everything they print goes to one
log, each line marked with who wrote it, on the terminal and in <run-dir>/serve.log;
<run-dir>/status.json says which process is where. Ctrl+C (SIGINT) or SIGTERM stops nginx,
then the processes, and returns when all are gone; the processes also get SIGTERM if the
supervisor itself is killed (setpriv --pdeathsig).

nginx runs as a normal process of the user, root or not: its configuration, pid file, temp
folders and logs are all under the run folder (nginx -p), nothing under /etc or /var.

The processes share the extracts and the cache folder (the DuckDB file per version of the
extracts, sctdash.store.persist): an import, from any process's data page or `make import`,
changes the files, and every process serves the new version from its next run on.

The second form prints the site part alone (upstreams, cookie routing, server; with
--server-name, --tls-cert and --tls-key over HTTPS with a redirect from port 80), for a
server's own nginx (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sctdash.core import paths
from sctdash.serving import nginx_config, probe, serve
from sctdash.serving.nginx_config import Address, ClusterError, find_nginx, main_config, route_name, site_config

ROOT = paths.ROOT

HEALTH_EVERY_S = 2.0  # each process's /_stcore/health is asked this often
HEALTH_TIMEOUT_S = 5.0
HANG_S = 20.0  # a process that was healthy and has not answered for this long is restarted
START_TIMEOUT_S = 180.0  # from launch to healthy (the first start may build the DuckDB file)
QUICK_FAILURE_S = 30.0  # a process that dies sooner than this after its start is failing
MAX_PAUSE_S = 30.0  # the longest pause before starting a failing process again
STOP_GRACE_S = 15.0  # SIGTERM, then this long, then SIGKILL


# ------------------------------------------------------------------ processes
def _pdeathsig() -> list[str]:
    """A command prefix that sends SIGTERM to the child when the supervisor dies."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


@dataclass
class Child:
    """A process the supervisor keeps running: a dashboard process or nginx."""

    name: str
    cmd: list[str]
    port: int | None = None  # dashboard processes: where /_stcore/health answers
    proc: subprocess.Popen | None = None
    started: float = 0.0
    healthy: bool = False
    up_once: bool = False  # has answered since this start
    last_ok: float = 0.0
    restarts: int = 0
    failures_in_a_row: int = 0
    restart_at: float | None = None
    reader: threading.Thread | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.poll() is None else None


class Log:
    """One log for every process: `HH:MM:SS name | line`, to the terminal and a file."""

    def __init__(self, path: Path, echo: bool = True):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("a", encoding="utf-8", buffering=1)
        self._echo = echo
        self._lock = threading.Lock()

    def line(self, who: str, text: str) -> None:
        stamped = f"{dt.datetime.now():%H:%M:%S} {who:<9}| {text.rstrip()}"
        with self._lock:
            self._fh.write(stamped + "\n")
            if self._echo:
                print(stamped, flush=True)

    def follow(self, who: str, stream) -> threading.Thread:
        def pump() -> None:
            for raw in iter(stream.readline, b""):
                self.line(who, raw.decode("utf-8", "replace"))
            stream.close()

        th = threading.Thread(target=pump, name=f"log-{who}", daemon=True)
        th.start()
        return th

    def close(self) -> None:
        with self._lock:
            self._fh.close()


class Cluster:
    def __init__(
        self,
        replicas: int,
        port: int,
        host: str = "",
        run_dir: Path | None = None,
        streamlit_args: list[str] | None = None,
        echo: bool = True,
    ):
        if replicas < 1:
            raise ClusterError(f"REPLICAS must be at least 1, not {replicas}")
        self.replicas, self.port, self.host = replicas, port, host
        self.run_dir = Path(run_dir or ROOT / "build" / "serve").resolve()
        self.nginx_bin = find_nginx()
        self.log = Log(self.run_dir / "serve.log", echo)
        self.stopping = threading.Event()
        self._lock = threading.RLock()  # children's state and status.json, main loop and health checks
        python = sys.executable
        extra = list(streamlit_args or [])
        self.backends = []
        for i, port_i in enumerate(probe.free_ports(replicas)):
            cmd = [*_pdeathsig(), *serve.command(port_i, *extra, python=python)]
            self.backends.append(Child(route_name(i), cmd, port=port_i))
        conf = self.run_dir / "nginx.conf"
        self.nginx = Child(
            "nginx", [*_pdeathsig(), self.nginx_bin, "-e", "stderr", "-p", str(self.run_dir), "-c", str(conf)]
        )
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}

    # -- set-up ----------------------------------------------------------------------------
    @property
    def listen(self) -> str:
        return f"{self.host}:{self.port}" if self.host else str(self.port)

    @property
    def url(self) -> str:
        return f"http://{self.host if self.host not in ('', '0.0.0.0') else '127.0.0.1'}:{self.port}"

    def check_port(self) -> None:
        """Before anything starts: nginx's port must be free (nginx itself would only say so
        after the dashboard processes had started)."""
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host or "0.0.0.0", self.port))
            except OSError as exc:
                raise ClusterError(
                    f"port {self.port} is not free ({exc.strerror}): choose another with PORT="
                ) from None

    def write_config(self) -> None:
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        addresses = [Address("127.0.0.1", b.port) for b in self.backends]
        site = site_config(addresses, self.listen, "/dev/stdout")
        (self.run_dir / "site.conf").write_text(site, encoding="utf-8")
        (self.run_dir / "nginx.conf").write_text(main_config(self.run_dir), encoding="utf-8")
        test = subprocess.run(
            [
                self.nginx_bin,
                "-t",
                "-q",
                "-e",
                "stderr",
                "-p",
                str(self.run_dir),
                "-c",
                str(self.run_dir / "nginx.conf"),
            ],
            capture_output=True,
            text=True,
        )
        if test.returncode != 0:
            raise ClusterError(f"nginx refuses the configuration in {self.run_dir}:\n{test.stderr.strip()}")

    def write_status(self) -> None:
        """<run-dir>/status.json: the address, and each process's port, pid and health."""
        with self._lock:
            status = {
                "url": self.url,
                "supervisor_pid": os.getpid(),
                "nginx_pid": self.nginx.pid,
                "processes": [
                    {"name": b.name, "port": b.port, "pid": b.pid, "healthy": b.healthy, "restarts": b.restarts}
                    for b in self.backends
                ],
            }
            tmp = self.run_dir / f"status.json.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(status, indent=2), encoding="utf-8")
            tmp.replace(self.run_dir / "status.json")

    # -- children --------------------------------------------------------------------------
    def _spawn(self, child: Child) -> None:
        child.proc = subprocess.Popen(
            child.cmd,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C reaches the supervisor only, which stops them in order
        )
        with self._lock:
            child.started, child.healthy, child.up_once, child.restart_at = time.monotonic(), False, False, None
        child.reader = self.log.follow(child.name, child.proc.stdout)
        self.log.line(
            "serve", f"{child.name} started (pid {child.proc.pid}{f', port {child.port}' if child.port else ''})"
        )

    def _health(self, child: Child) -> bool:
        return probe.healthy(f"http://127.0.0.1:{child.port}", timeout=HEALTH_TIMEOUT_S)

    def _watch_health(self, child: Child) -> None:
        """A thread per dashboard process: asks its health endpoint, records the answer."""
        while not self.stopping.is_set():
            proc = child.proc
            ok = proc is not None and proc.poll() is None and self._health(child)
            changed = False
            with self._lock:
                if child.proc is proc:
                    now = time.monotonic()
                    if ok:
                        child.last_ok = now
                        if not child.healthy:
                            child.healthy = child.up_once = changed = True
                    elif child.healthy:
                        child.healthy, changed = False, True
            if changed:
                took = time.monotonic() - child.started
                state = f"ready in {took:.1f} s" if ok else "does not answer /_stcore/health"
                self.log.line("serve", f"{child.name} {state}")
                self.write_status()
            self.stopping.wait(HEALTH_EVERY_S if child.healthy else 0.25)

    def _check(self, child: Child, now: float) -> None:
        """Restart a dashboard process that exited or hangs, after its pause."""
        proc = child.proc
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                self._spawn(child)
                self.write_status()
            return
        code = proc.poll() if proc else None
        if code is None:
            with self._lock:
                silent = None
                if child.up_once and not child.healthy and now - child.last_ok > HANG_S:
                    silent = f"has not answered /_stcore/health for {HANG_S:.0f} s"
                elif not child.up_once and now - child.started > START_TIMEOUT_S:
                    silent = f"was not ready {START_TIMEOUT_S:.0f} s after its start"
            if silent is None:
                return
            self.log.line("serve", f"{child.name} (pid {proc.pid}) {silent}: stopping it")
            _terminate([proc], STOP_GRACE_S)
            code = proc.returncode
        lived = now - child.started
        child.failures_in_a_row = child.failures_in_a_row + 1 if lived < QUICK_FAILURE_S else 0
        pause = 0.5 if not child.failures_in_a_row else min(MAX_PAUSE_S, 2.0**child.failures_in_a_row)
        with self._lock:
            child.healthy, child.restart_at = False, now + pause
        self.log.line(
            "serve", f"{child.name} exited ({_exit_text(code)}) after {lived:.0f} s; starting it again in {pause:.1f} s"
        )
        self.write_status()

    def _check_nginx(self, now: float) -> None:
        n = self.nginx
        if n.restart_at is not None:
            if now >= n.restart_at:
                n.restarts += 1
                self._spawn(n)
                self.write_status()
            return
        code = n.proc.poll() if n.proc else None
        if code is None:
            return
        lived = now - n.started
        n.failures_in_a_row = n.failures_in_a_row + 1 if lived < QUICK_FAILURE_S else 0
        pause = 0.5 if not n.failures_in_a_row else min(MAX_PAUSE_S, 2.0**n.failures_in_a_row)
        n.restart_at = now + pause
        self.log.line("serve", f"nginx exited ({_exit_text(code)}); starting it again in {pause:.1f} s")

    # -- the whole -------------------------------------------------------------------------
    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_: self.stopping.set())
        self.log.line("serve", f"make serve: {self.replicas} dashboard process(es), nginx on port {self.port}")
        try:
            self.check_port()
            self.write_config()
            for b in self.backends:
                self._spawn(b)
                threading.Thread(target=self._watch_health, args=(b,), name=f"health-{b.name}", daemon=True).start()
            self.write_status()
            if not self._wait_for_a_process():
                return 0 if self.stopping.is_set() else 1
            self._start_nginx()
            self.log.line(
                "serve",
                f"ready: {self.url} ({self.replicas} dashboard process{'es' if self.replicas > 1 else ''} "
                f"behind nginx; log {self.run_dir / 'serve.log'}; Ctrl+C stops)",
            )
            while not self.stopping.wait(0.25):
                now = time.monotonic()
                for b in self.backends:
                    self._check(b, now)
                self._check_nginx(now)
            return 0
        except ClusterError as exc:
            self.log.line("serve", f"error: {exc}")
            return 1
        finally:
            self.stop()

    def _wait_for_a_process(self) -> bool:
        """Until one dashboard process answers (nginx then has somewhere to send viewers)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.stopping.wait(0.2):
            if any(b.healthy for b in self.backends):
                return True
            if all(b.proc.poll() is not None for b in self.backends):
                codes = ", ".join(f"{b.name}: {_exit_text(b.proc.returncode)}" for b in self.backends)
                raise ClusterError(f"every dashboard process exited before it was ready ({codes}); see the log above")
            if time.monotonic() > deadline:
                raise ClusterError(f"no dashboard process was ready within {START_TIMEOUT_S:.0f} s")
        return False

    def _start_nginx(self) -> None:
        self._spawn(self.nginx)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.nginx.proc.poll() is not None:
                self.nginx.reader.join(timeout=2)
                raise ClusterError(f"nginx did not start ({_exit_text(self.nginx.proc.returncode)}); see the log above")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise ClusterError(f"nginx did not listen on port {self.port} within 10 s")
        self.write_status()

    def stop(self) -> None:
        """nginx first (no new requests), then the dashboard processes; waits for all."""
        self.stopping.set()
        if self.nginx.proc and self.nginx.proc.poll() is None:
            self.log.line("serve", "stopping nginx")
            _terminate([self.nginx.proc], 5)
        running = [b.proc for b in self.backends if b.proc and b.proc.poll() is None]
        if running:
            self.log.line("serve", f"stopping {len(running)} dashboard process{'es' if len(running) > 1 else ''}")
            _terminate(running, STOP_GRACE_S)
        for child in [self.nginx, *self.backends]:
            if child.reader:
                child.reader.join(timeout=5)
        self.log.line("serve", "stopped")
        try:
            self.write_status()
        except OSError:
            pass
        self.log.close()


def _terminate(procs: list[subprocess.Popen], grace: float) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _exit_text(code: int | None) -> str:
    if code is None:
        return "running"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


# ------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["site-config"]:
        return nginx_config.main(argv[1:])
    streamlit_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, streamlit_args = argv[:cut], argv[cut + 1 :]
    ap = argparse.ArgumentParser(
        prog="python -m sctdash.serving.cluster", description="make serve: dashboard processes behind nginx"
    )
    ap.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="dashboard processes (default: cores)")
    ap.add_argument("--port", type=int, default=8501, help="nginx's port (default 8501, as make run)")
    ap.add_argument("--host", default="", help="nginx's address (default: every address, as make run)")
    ap.add_argument("--run-dir", type=Path, default=ROOT / "build" / "serve", help="config, pid, temp files, log")
    ap.add_argument("--quiet", action="store_true", help="the log to <run-dir>/serve.log only")
    args = ap.parse_args(argv)
    try:
        cluster = Cluster(args.replicas, args.port, args.host, args.run_dir, streamlit_args, echo=not args.quiet)
    except ClusterError as exc:
        print(f"make serve: {exc}", file=sys.stderr)
        return 1
    return cluster.run()


if __name__ == "__main__":
    sys.exit(main())
