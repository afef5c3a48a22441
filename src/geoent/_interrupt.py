"""Ctrl-C during long kernels, on the calling thread.

Python runs signal handlers only in the main thread and only between bytecodes, so a
SIGINT that arrives while the main thread is inside a numba kernel waits for the
kernel to return (13 s for a 3e7-point Delaunay), and a handler that raises while
numba is boxing arguments or results has surfaced as ``SystemError:
CPUDispatcher(...) returned a result with an exception set``, which ``except
KeyboardInterrupt`` does not catch.

:func:`interruptible` keeps the computation on the calling (main) thread and makes
its kernels stop instead:

* for the duration of the call, SIGINT's Python handler only *notes* the signal
  (it sets a one-element flag array and raises nothing, so no exception can appear
  inside numba's call machinery);
* a small daemon watcher thread sits blocked in ``recv`` on the socket given to
  :func:`signal.set_wakeup_fd` (blocked, it holds no GIL and costs nothing). CPython's
  C-level handler writes the signal number there the moment SIGINT arrives, so the
  watcher sets the flag at once, even while the main thread is inside a kernel;
* long kernels are ``nogil=True`` (so the watcher can run) and read the flag
  (:func:`cancel_flag`) once per chunk of work and return early; the Python code
  between kernels calls :func:`checkpoint`, which raises ``KeyboardInterrupt`` once
  the flag is set;
* calls that release the GIL but read no flag (numpy's sorts) go through
  :func:`wait_for`: a helper thread runs them while the caller waits on the flag;
* when the call ends with the flag set, whatever it returned or raised, the
  caller gets a plain ``KeyboardInterrupt``: a kernel's partial result is never
  returned.

The previous handler and wakeup fd are restored afterwards (a wakeup fd someone else
had set, asyncio's for instance, is fed the signal bytes in the meantime). Calls
from other threads, calls under a SIGINT handler other than Python's default, and
inputs below :data:`MIN_POINTS` run plainly. Kernels that take no flag finish their
work first (the README's "Ctrl-C during long calls" lists what can still hold Ctrl-C
back, with measured delays).

Why not a worker thread (session 3's design, which kept the main thread free to take
the signal): the computation's result then has to cross threads, the worker keeps
running after the caller was interrupted unless every kernel is cancellable anyway,
and a 3D hull in a worker thread was measured 1.44-1.57x slower once (not reproduced
in session 4: 0.85-1.06x the main thread, in one process). Here the kernels run where they
always ran.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import threading

import numpy as np

__all__ = ["cancel_flag", "checkpoint", "interruptible", "wait_for"]

#: inputs below this many points run plainly: their kernels end within a few
#: hundredths of a second anyway
MIN_POINTS = 200_000

_SIGINT_BYTE = int(signal.SIGINT)

#: the flag of the :func:`interruptible` call in progress, None outside one
_flag = None
#: wakeup fd that was set before ours (-1: none); the watcher forwards to it
_forward = -1
_watcher = None  # (thread, read socket, write socket)
_watcher_lock = threading.Lock()


def _watch(rsock):
    while True:
        try:
            data = rsock.recv(512)
        except InterruptedError:  # pragma: no cover - recv retries itself (PEP 475)
            continue
        except OSError:  # socket closed
            return
        if not data:
            return
        flag = _flag
        if flag is not None and _SIGINT_BYTE in data:
            flag[0] = 1
        fwd = _forward
        if fwd >= 0:
            try:
                os.write(fwd, data)
            except OSError:
                pass


def _ensure_watcher():
    global _watcher
    with _watcher_lock:
        if _watcher is None or not _watcher[0].is_alive():
            rsock, wsock = socket.socketpair()
            wsock.setblocking(False)  # set_wakeup_fd requires it
            t = threading.Thread(target=_watch, args=(rsock,), name="geoent-sigint", daemon=True)
            t.start()
            _watcher = (t, rsock, wsock)
        return _watcher[2]


def _close_watcher():
    """Stop the watcher and close its socket pair (at exit: an open pair left to
    the interpreter's teardown is reported as ``ResourceWarning: unclosed socket``).

    Closing the write end ends the watcher's ``recv`` with end-of-file, so the read
    end is closed only once the thread has left it.
    """
    global _watcher
    with _watcher_lock:
        w, _watcher = _watcher, None
    if w is None:
        return
    thread, rsock, wsock = w
    wsock.close()
    if thread.is_alive() and thread is not threading.current_thread():
        thread.join(1.0)
    rsock.close()


atexit.register(_close_watcher)


def _reset_after_fork():
    # the watcher thread does not exist in a forked child: close the pair it
    # inherited (no thread uses it there) and start afresh on the next call
    global _watcher, _watcher_lock, _flag, _forward
    w = _watcher
    _watcher, _watcher_lock, _flag, _forward = None, threading.Lock(), None, -1
    if w is not None:
        w[1].close()
        w[2].close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _note_sigint(signum, frame):
    """SIGINT's handler during a call: note it; raising is left to the caller."""
    flag = _flag
    if flag is not None:
        flag[0] = 1


def _let_handlers_run():
    """A Python-level call: CPython runs pending signal handlers on entering it."""


def cancel_flag() -> np.ndarray:
    """The uint8 array of length 1 that kernels read between chunks of work: set to
    1 once SIGINT arrived during the current :func:`interruptible` call (a fresh,
    never-set array outside one)."""
    flag = _flag
    return flag if flag is not None else np.zeros(1, np.uint8)


def checkpoint() -> None:
    """Raise ``KeyboardInterrupt`` if SIGINT arrived during the current
    :func:`interruptible` call (a no-op outside one). Call it between kernels, and
    after every kernel that took :func:`cancel_flag` before its result is used."""
    flag = _flag
    if flag is not None and flag[0]:
        raise KeyboardInterrupt


#: how often a caller waiting in :func:`wait_for` looks at the flag (seconds)
_POLL = 0.01


def wait_for(fn, *args):
    """``fn(*args)`` for a call that releases the GIL but reads no flag (numpy's
    sorts), so that Ctrl-C releases the caller at once.

    Inside an :func:`interruptible` call, ``fn`` runs on a helper thread while this
    thread waits for it, looking at the flag every 10 ms; once the flag is set this
    thread raises ``KeyboardInterrupt`` and the helper finishes its call in the
    background (bounded work: use this only for calls that end by themselves in
    about a second; the result is dropped, so ``fn`` must write only into arrays
    the caller drops too). Outside a call, ``fn(*args)`` plainly. Exceptions of
    ``fn`` reach the caller.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([3, 1, 2])
    >>> wait_for(a.sort)
    >>> a.tolist()
    [1, 2, 3]
    """
    flag = _flag
    if flag is None:
        return fn(*args)
    done = threading.Event()
    box = []

    def run():
        try:
            box.append((True, fn(*args)))
        except BaseException as exc:  # handed to the caller
            box.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="geoent-wait", daemon=True).start()
    while not done.wait(_POLL):
        if flag[0]:
            raise KeyboardInterrupt
    ok, value = box[0]
    if ok:
        return value
    raise value


def _can_watch(n):
    return (
        n >= MIN_POINTS
        and _flag is None  # not nested
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )


def interruptible(n: int, fn, *args):
    """``fn(*args)``, run so that Ctrl-C stops it promptly with ``KeyboardInterrupt``.

    ``n`` is the input size (small inputs run plainly). ``fn`` runs on the calling
    thread; see the module documentation for how its kernels are stopped.

    Examples
    --------
    >>> interruptible(10**6, sum, [1, 2, 3])
    6
    """
    global _flag, _forward
    if not _can_watch(n):
        return fn(*args)
    wsock = _ensure_watcher()
    flag = np.zeros(1, np.uint8)
    old_handler = signal.signal(signal.SIGINT, _note_sigint)
    try:
        old_fd = signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
    except (ValueError, OSError):  # pragma: no cover - main thread checked above
        signal.signal(signal.SIGINT, old_handler)
        return fn(*args)
    if old_fd >= 0 and os.name != "posix":  # pragma: no cover - cannot forward there
        signal.set_wakeup_fd(old_fd)
        signal.signal(signal.SIGINT, old_handler)
        return fn(*args)
    _forward, _flag = old_fd, flag
    from . import _aot

    # ahead-of-time kernels hold the GIL (pycc has no nogil), so the watcher thread
    # could not set the flag during one: the JIT kernels (nogil) run this call
    _aot.gil_free(True)
    try:
        result = fn(*args)
    except KeyboardInterrupt:
        raise
    except BaseException:
        if flag[0]:  # e.g. a check tripped by a cancelled kernel's partial result
            raise KeyboardInterrupt from None
        raise
    finally:
        _let_handlers_run()  # a SIGINT still pending is noted now, not raised later
        _aot.gil_free(False)
        _flag = None
        signal.set_wakeup_fd(old_fd)
        _forward = -1
        signal.signal(signal.SIGINT, old_handler)
    if flag[0]:
        raise KeyboardInterrupt
    return result
