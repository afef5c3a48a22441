"""Ctrl-C during long kernels.

Python runs signal handlers only in the main thread and only between bytecodes, so a
SIGINT that arrives while the main thread is inside a numba kernel waits for the
kernel to return (13 s for a 3e7-point Delaunay), and if it lands while numba is
boxing arguments or results it surfaces as ``SystemError: CPUDispatcher(...)
returned a result with an exception set``, which ``except KeyboardInterrupt`` does
not catch. :func:`interruptible` runs a long computation in a worker thread instead
(its kernels are ``nogil=True``, so the main thread keeps the interpreter) while the
main thread waits for it (a join, which signals interrupt): Ctrl-C raises a plain
``KeyboardInterrupt`` at once. The worker is told to stop: :func:`checkpoint`,
called between kernels, raises in it, so it ends when the kernel it is in returns
(no kernel is killed midway, so no state is left half-written; its result is
dropped).
"""

from __future__ import annotations

import os
import threading

__all__ = ["checkpoint", "interruptible"]

#: inputs below this many points run directly: their kernels end within a few
#: tenths of a second anyway, and a thread start costs about 0.1 ms
MIN_POINTS = 200_000

_local = threading.local()
_SLICE = None if os.name == "posix" else 0.05


class _Cancelled(BaseException):
    """Raised in the worker by :func:`checkpoint` after the caller was interrupted."""


def checkpoint() -> None:
    """Stop the current :func:`interruptible` computation if its caller was
    interrupted (a no-op outside one)."""
    ev = getattr(_local, "cancel", None)
    if ev is not None and ev.is_set():
        raise _Cancelled


def interruptible(n: int, fn, *args):
    """``fn(*args)``, run so that Ctrl-C in the main thread takes effect at once.

    Examples
    --------
    >>> interruptible(10**6, sum, [1, 2, 3])
    6
    """
    if n < MIN_POINTS or threading.current_thread() is not threading.main_thread():
        return fn(*args)  # signals are delivered to the main thread only
    cancel = threading.Event()
    box = {}

    def run():
        _local.cancel = cancel
        try:
            box["result"] = fn(*args)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="geoent-kernel", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            # POSIX: a blocking join is interrupted by signals, with no periodic
            # wake-ups competing for the GIL; elsewhere wait in short slices
            worker.join(_SLICE)
    except BaseException:
        cancel.set()
        raise
    if "error" in box:
        raise box["error"]
    return box["result"]
