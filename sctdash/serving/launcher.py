"""`make serve`: several dashboard processes behind nginx, started together, stopped together.

    python -m sctdash.serving.launcher [--replicas N] [--port P] [--host H] [--run-dir DIR] [--quiet]
        [-- STREAMLIT ARGS]

starts N dashboard processes, each with the command line of the systemd unit
(sctdash/serving/systemd/sctdash@.service: `python -m sctdash.serving.serve dashboard.py`, as
`make run`, built by serve.command) on a free port of 127.0.0.1; waits until each answers its
health check; then starts Debian's nginx in front of them on port P (sctdash/serving/nginx/:
websockets proxied, each browser kept on its process by a cookie). Everything they print goes
to one log, each line marked with who wrote it, on the terminal and in <run-dir>/serve.log;
<run-dir>/status.json, written once all are up, says which process is where.

Nothing is started again here: on a server that is systemd's work (Restart=always, and the
watchdog for a process that hangs). A dashboard process that exits is named in the log with
how it ended, and the others go on serving: nginx sends its viewers to them, as on a server
between a crash and systemd's restart, which is what a developer who kills one wants to see.
When the last dashboard process, or nginx, has exited there is nothing left to serve: the
launcher stops the rest and exits with status 1.

Ctrl+C (SIGINT), SIGTERM or SIGHUP stops nginx, then the processes, and returns when all are
gone; the children also get SIGTERM if the launcher itself is killed (setpriv --pdeathsig).
nginx runs as a normal process of the user, root or not: its configuration, pid file, temp
folders and logs are all under the run folder (nginx -p), nothing under /etc or /var.

The processes share the extracts and the cache folder (the DuckDB file per version of the
extracts, sctdash.store.persist): an import, from any process's data page or `make import`,
changes the files, and every process serves the new version from its next run on.
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
from dataclasses import dataclass
from pathlib import Path

from sctdash.core import paths
from sctdash.serving import probe, serve
from sctdash.serving.nginx_config import Address, ClusterError, find_nginx, main_config, route_name, site_config

ROOT = paths.ROOT
START_TIMEOUT_S = 180.0  # from launch to healthy (the first start may build the DuckDB file)
STOP_GRACE_S = 15.0  # SIGTERM, then this long, then SIGKILL (the unit's TimeoutStopSec)


def _pdeathsig() -> list[str]:
    """A command prefix that sends SIGTERM to the child when the launcher dies."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


@dataclass
class Child:
    """A process of make serve: a dashboard process or nginx."""

    name: str
    cmd: list[str]
    port: int | None = None  # dashboard processes: where they listen
    proc: subprocess.Popen | None = None
    reader: threading.Thread | None = None
    ended: bool = False  # its exit has been seen and logged

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


class Launcher:
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
        extra = list(streamlit_args or [])
        self.backends = [
            Child(route_name(i), [*_pdeathsig(), *serve.command(port_i, *extra, python=sys.executable)], port=port_i)
            for i, port_i in enumerate(probe.free_ports(replicas))
        ]
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
        addresses = [Address("127.0.0.1", b.port) for b in self.backends if b.port is not None]  # every one has
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
        """<run-dir>/status.json: the address, and the pid of the launcher, of nginx and of each
        process with its port (null once it has exited)."""
        status = {
            "url": self.url,
            "launcher_pid": os.getpid(),
            "nginx_pid": self.nginx.pid,
            "processes": [{"name": b.name, "port": b.port, "pid": b.pid} for b in self.backends],
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
            start_new_session=True,  # Ctrl+C reaches the launcher only, which stops them in order
        )
        child.reader = self.log.follow(child.name, child.proc.stdout)
        where = f", port {child.port}" if child.port else ""
        self.log.line("serve", f"{child.name} started (pid {child.proc.pid}{where})")

    def _wait_until_ready(self) -> bool:
        """Until every dashboard process answers its health check (False: stopped meanwhile)."""
        started = time.monotonic()
        waiting = list(self.backends)
        while waiting:
            for b in list(waiting):
                proc, reader = b.proc, b.reader
                assert proc is not None and reader is not None, "_spawn started it"
                if proc.poll() is not None:
                    reader.join(timeout=2)
                    raise ClusterError(
                        f"{b.name} exited before it was ready ({_exit_text(proc.returncode)}); see the log above"
                    )
                if probe.healthy(f"http://127.0.0.1:{b.port}", timeout=1.0):
                    self.log.line("serve", f"{b.name} ready in {time.monotonic() - started:.1f} s")
                    waiting.remove(b)
            if time.monotonic() - started > START_TIMEOUT_S:
                names = ", ".join(b.name for b in waiting)
                raise ClusterError(f"{names} not ready within {START_TIMEOUT_S:.0f} s of the start")
            if waiting and self.stopping.wait(0.2):
                return False
        return True

    def _start_nginx(self) -> None:
        self._spawn(self.nginx)
        proc, reader = self.nginx.proc, self.nginx.reader
        assert proc is not None and reader is not None, "_spawn started it"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                reader.join(timeout=2)
                raise ClusterError(f"nginx did not start ({_exit_text(proc.returncode)}); see the log above")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise ClusterError(f"nginx did not listen on port {self.port} within 10 s")

    def still_serving(self) -> bool:
        """Log each child that has exited since the last look; False when nothing is left to
        serve (nginx gone, or every dashboard process)."""
        for child in [*self.backends, self.nginx]:
            if child.ended or child.proc is None or child.proc.poll() is None:
                continue
            child.ended = True
            if child.reader:
                child.reader.join(timeout=2)  # its last words before ours
            code = _exit_text(child.proc.returncode)
            if child is self.nginx:
                self.log.line("serve", f"nginx exited ({code}): nothing reaches the dashboard processes")
                continue
            left = [b.name for b in self.backends if not b.ended]
            if left:
                self.log.line(
                    "serve",
                    f"{child.name} (pid {child.proc.pid}, port {child.port}) exited ({code}); make serve does not "
                    f"start it again (systemd does, on a server): nginx sends its viewers to {', '.join(left)}",
                )
            else:
                self.log.line("serve", f"{child.name} (pid {child.proc.pid}, port {child.port}) exited ({code})")
            self.write_status()
        if self.nginx.ended or all(b.ended for b in self.backends):
            self.log.line("serve", "nothing left to serve: stopping")
            return False
        return True

    # -- the whole -------------------------------------------------------------------------
    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_: self.stopping.set())
        self.log.line("serve", f"make serve: {self.replicas} dashboard process(es), nginx on port {self.port}")
        (self.run_dir / "status.json").unlink(missing_ok=True)
        try:
            self.check_port()
            self.write_config()
            for b in self.backends:
                self._spawn(b)
            if not self._wait_until_ready():
                return 0
            self._start_nginx()
            self.write_status()
            self.log.line(
                "serve",
                f"ready: {self.url} ({self.replicas} dashboard process{'es' if self.replicas > 1 else ''} "
                f"behind nginx; log {self.run_dir / 'serve.log'}; Ctrl+C stops)",
            )
            while not self.stopping.wait(0.25):
                if not self.still_serving():
                    return 1
            return 0
        except ClusterError as exc:
            self.log.line("serve", f"error: {exc}")
            return 1
        finally:
            self.stop()

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """nginx first (no new requests), then the dashboard processes; waits for all."""
        self.stopping.set()
        if self.nginx.proc is not None and self.nginx.pid:
            self.log.line("serve", "stopping nginx")
            _terminate([self.nginx.proc], 5)
        running = [b.proc for b in self.backends if b.proc is not None and b.pid]
        if running:
            self.log.line("serve", f"stopping {len(running)} dashboard process{'es' if len(running) > 1 else ''}")
            _terminate(running, grace)
        for child in [self.nginx, *self.backends]:
            if child.reader:
                child.reader.join(timeout=5)
        self.log.line("serve", "stopped")
        if (self.run_dir / "status.json").exists():
            self.write_status()  # every pid null
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
    streamlit_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, streamlit_args = argv[:cut], argv[cut + 1 :]
    ap = argparse.ArgumentParser(
        prog="python -m sctdash.serving.launcher", description="make serve: dashboard processes behind nginx"
    )
    ap.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="dashboard processes (default: cores)")
    ap.add_argument("--port", type=int, default=8501, help="nginx's port (default 8501, as make run)")
    ap.add_argument("--host", default="", help="nginx's address (default: every address, as make run)")
    ap.add_argument("--run-dir", type=Path, default=ROOT / "build" / "serve", help="config, pid, temp files, log")
    ap.add_argument("--quiet", action="store_true", help="the log to <run-dir>/serve.log only")
    args = ap.parse_args(argv)
    try:
        launcher = Launcher(args.replicas, args.port, args.host, args.run_dir, streamlit_args, echo=not args.quiet)
    except ClusterError as exc:
        print(f"make serve: {exc}", file=sys.stderr)
        return 1
    return launcher.run()


if __name__ == "__main__":
    sys.exit(main())
