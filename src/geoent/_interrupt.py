"""Ctrl-C during long kernels.

Python runs signal handlers only in the main thread and only between bytecodes, so a
SIGINT that arrives while the main thread is inside a numba kernel waits for the
kernel to return (13 s for a 3e7-point Delaunay), and if it lands while numba is
boxing arguments or results it surfaces as ``SystemError: CPUDispatcher(...)
returned a result with an exception set``, which ``except KeyboardInterrupt`` does
not catch. :func:`interruptible` runs a long computation in a worker thread instead
(its kernels are ``nogil=True``, so the main thread keeps the interpreter) while the
main thread waits for it (a wait that signals interrupt): Ctrl-C raises a plain
``KeyboardInterrupt`` at once. The worker is told to stop: :func:`checkpoint`,
called between kernels, raises in it, and kernels that take a :func:`cancel_flag`
(the Delaunay insertion loop) read it between chunks of work and return early;
others finish first (no kernel is killed midway; the worker's result is dropped).
"""

from __future__ import annotations

import os
import queue
import threading

import numpy as np

__all__ = ["cancel_flag", "checkpoint", "interruptible"]

#: inputs below this many points run directly: their kernels end within a few
#: tenths of a second anyway, and a thread start costs about 0.1 ms
MIN_POINTS = 200_000

_local = threading.local()

#: set when the job of the latest :func:`interruptible` call has ended (tests wait
#: on it to see an interrupted computation really stop)
last_done = threading.Event()
_SLICE = None if os.name == "posix" else 0.05


class _Cancelled(BaseException):
    """Raised in the worker by :func:`checkpoint` after the caller was interrupted."""


def checkpoint() -> None:
    """Stop the current :func:`interruptible` computation if its caller was
    interrupted (a no-op outside one)."""
    ev = getattr(_local, "cancel", None)
    if ev is not None and ev.is_set():
        raise _Cancelled


# One long-lived daemon worker, not a thread per call: a fresh thread gets a fresh
# malloc arena, whose first large allocations page-fault again (a 1e6-point 3D hull
# measured up to 1.5x slower that way). Daemon: Ctrl-C can end the process at once.
_jobs = queue.SimpleQueue()
_worker = None
_worker_lock = threading.Lock()


def _serve(jobs):
    while True:
        jobs.get()()


def _submit(job):
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_serve, args=(_jobs,), name="geoent-kernel")
            _worker.daemon = True
            _worker.start()
    _jobs.put(job)


def _reset_after_fork():
    global _jobs, _worker, _worker_lock
    _jobs, _worker, _worker_lock = queue.SimpleQueue(), None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def cancel_flag() -> np.ndarray:
    """A uint8 array of length 1 for kernels to read between chunks of work: set to 1
    when the caller of the current :func:`interruptible` computation is interrupted
    (a fresh, never-set array outside one)."""
    flag = getattr(_local, "flag", None)
    return flag if flag is not None else np.zeros(1, np.uint8)


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
    flag = np.zeros(1, np.uint8)
    box = {}

    done = threading.Event()

    def run():
        _local.cancel = cancel
        _local.flag = flag
        try:
            box["result"] = fn(*args)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    global last_done
    last_done = done  # lets tests see when an interrupted worker really ended
    _submit(run)
    try:
        # POSIX: a blocking wait is interrupted by signals, with no periodic wake-ups
        # competing for the GIL; elsewhere wait in short slices
        while not done.wait(_SLICE):
            pass
    except BaseException:
        cancel.set()
        flag[0] = 1
        raise
    if "error" in box:
        raise box["error"]
    return box["result"]
