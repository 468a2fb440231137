"""Is a dashboard process up, and which ports are free: the one health probe and the one
free-port helper, for make serve's launcher, the systemd watchdog (sdnotify), the tests and
make bench.

A Streamlit server answers `GET /_stcore/health` with 200 once it serves; a process behind
nginx is asked on its own port, and nginx's answer for the same path comes from whichever
process it sends the request to.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Callable

HEALTH_PATH = "/_stcore/health"


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether the server at `url` (http://host:port, no path) answers its health check now."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + HEALTH_PATH, timeout=timeout) as r:
            return r.status == 200
    except OSError:  # refused, reset, timed out, or an HTTP error status (URLError, HTTPError)
        return False


def wait_healthy(url: str, timeout: float, alive: Callable[[], bool] | None = None, every: float = 0.2) -> bool:
    """Ask `url`'s health check until it answers (True), `timeout` seconds have passed, or
    `alive()` says the process has gone (False). Each question waits at most a second."""
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and not alive():
            return False
        if healthy(url, timeout=max(0.1, min(1.0, deadline - time.monotonic()))):
            return True
        if time.monotonic() + every > deadline:
            return False
        time.sleep(every)


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` different ports free on `host` now: each is held until all are chosen, so none
    comes twice. Another program may still take one before it is used."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind((host, 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port(host: str = "127.0.0.1") -> int:
    """One port free on `host` now."""
    return free_ports(1, host)[0]
