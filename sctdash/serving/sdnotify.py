"""systemd's notify protocol for a dashboard process run as a unit (docs/deploy.md).

Under a unit with `Type=notify` and `WatchdogSec=`, systemd gives the process NOTIFY_SOCKET
and WATCHDOG_USEC. `start()` then runs a thread that asks the process's own
/_stcore/health: at the first answer it sends READY=1 (the unit counts as started once the
warm-up is done and the server answers), and after that WATCHDOG=1 at each answer, every
third of the watchdog's period. A process that stops answering (its event loop blocked, or
the interpreter stuck) sends nothing, and systemd kills it and starts it again
(sctdash/serving/systemd/sctdash@.service: WatchdogSec=, Restart=always). `make serve` restarts
nothing: it sets no NOTIFY_SOCKET, and nothing happens without one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from sctdash.serving import probe

log = logging.getLogger(__name__)


def notify(message: str, path: str | None = None) -> bool:
    """Send one datagram to systemd's notify socket; False when there is none."""
    path = path or os.environ.get("NOTIFY_SOCKET", "")
    if not path:
        return False
    address = "\0" + path[1:] if path.startswith("@") else path  # an abstract socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.connect(address)
        s.sendall(message.encode())
    return True


def _watch(port_of, every: float) -> None:
    ready = False
    while True:
        if probe.healthy(f"http://127.0.0.1:{port_of()}", timeout=max(1.0, every)):
            notify("WATCHDOG=1" if ready else f"READY=1\nMAINPID={os.getpid()}\nSTATUS=serving")
            ready = True
            time.sleep(every)
        else:
            time.sleep(0.5 if not ready else every)


def ping_every(watchdog_usec: str | None) -> float:
    """Seconds between two WATCHDOG=1, from systemd's WATCHDOG_USEC (the unit's WatchdogSec):
    a third of the period, so that one late answer does not get the process killed."""
    watchdog_us = int(watchdog_usec or 0)
    return watchdog_us / 3e6 if watchdog_us else 10.0


def start(port_of) -> threading.Thread | None:
    """`port_of()`: the port the server listens on (read once it has started)."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return None
    every = ping_every(os.environ.get("WATCHDOG_USEC"))
    th = threading.Thread(target=_watch, args=(port_of, every), name="sd-notify", daemon=True)
    th.start()
    log.info("systemd notify: ready once /_stcore/health answers; watchdog every %.1f s", every)
    return th
