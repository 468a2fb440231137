"""Writing files so that a crash or a second process never leaves them half done.

`atomic_write` replaces a file whole (readers see the old bytes or the new ones); `file_lock`
holds an exclusive lock on a file between processes. The importer writes extracts with both;
the change log (sctdash.editing.changelog) appends under a lock of its own.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then os.replace: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a file's creation or renaming in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@contextmanager
def file_lock(fh, timeout: float, on_timeout: Callable[[], Exception]) -> Generator[None]:
    """An exclusive lock on the open file `fh`, waited for up to `timeout` seconds; on_timeout()
    gives the exception raised when it cannot be had. Locks are per open file, so two threads of
    one process exclude each other as two processes do."""
    deadline = time.monotonic() + timeout
    while not _try_lock(fh):
        if time.monotonic() > deadline:
            raise on_timeout()
        time.sleep(0.05)
    try:
        yield
    finally:
        _unlock(fh)


def _try_lock(fh) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fh) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
