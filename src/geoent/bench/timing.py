"""Timers of the harness: timed rounds, the warm-up that sets their count, first-call timing."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["time_call", "warm_then_time", "median_min_max", "first_call_s", "interleaved"]


def time_call(fn: Callable[[], Any], rounds: int) -> list[float]:
    """Wall-clock seconds of ``rounds`` calls of ``fn`` (garbage collector paused).

    Examples
    --------
    >>> ts = time_call(lambda: sum(range(100)), 3)
    >>> len(ts), all(t >= 0 for t in ts)
    (3, True)
    """
    times = []
    was_enabled = gc.isenabled()
    # like timeit: pause the collector, but no gc.collect() first (a full collection
    # once torch and numba are loaded costs far more than most timed calls)
    gc.disable()
    try:
        for _ in range(max(1, int(rounds))):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        if was_enabled:
            gc.enable()
    return times


def warm_then_time(
    fn: Callable[[], Any], rounds: int, max_seconds: float, once_over: float | None = None
) -> tuple[Any, float, list[float]]:
    """One untimed-for-the-median warm-up call, then up to ``rounds`` timed calls.

    The warm-up's duration ``t`` caps the rounds at ``max(1, max_seconds // t)``, so a
    slow contender on a large input cannot hold the run for long. With ``once_over``
    set and ``t > once_over`` the warm-up call is the one timed round (no second
    call). Returns ``(warm-up result, warm-up seconds, round times)``.

    Examples
    --------
    >>> res, first, ts = warm_then_time(lambda: 2 + 2, 3, 10.0)
    >>> res, len(ts)
    (4, 3)
    """
    t0 = time.perf_counter()
    result = fn()
    first = time.perf_counter() - t0
    if once_over is not None and first > once_over:
        return result, first, [first]
    k = max(1, min(int(rounds), int(max_seconds // max(first, 1e-9))))
    return result, first, time_call(fn, k)


def median_min_max(times: list[float]) -> tuple[float, float, float, int]:
    """``(median, min, max, count)`` of round times."""
    return statistics.median(times), min(times), max(times), len(times)


_FIRST_CALL_S: dict[tuple[str, str], float] = {}  # (suite, contender) -> first tiny call


def first_call_s(key: tuple[str, str], fn: Callable[[], Any]) -> float:
    """Seconds of the first call of ``fn`` in this process (numba compile or cache load).

    Measured once per ``key`` (suite, contender); later calls return the stored time.
    """
    if key not in _FIRST_CALL_S:
        t0 = time.perf_counter()
        fn()
        _FIRST_CALL_S[key] = time.perf_counter() - t0
    return _FIRST_CALL_S[key]


def interleaved(
    fns: dict[Any, Callable[[], Any]], rounds: int
) -> tuple[dict[Any, float], dict[Any, float]]:
    """Contenders timed interleaved round by round (one call of each per round).

    Returns ``(wall, cpu)``: per contender the median wall seconds and the minimum
    CPU seconds of the calling thread (on a shared machine CPU time is the
    steadier figure).

    Examples
    --------
    >>> wall, cpu = interleaved({"a": lambda: sum(range(100)), "b": lambda: None}, 3)
    >>> sorted(wall), all(t >= 0 for t in cpu.values())
    (['a', 'b'], True)
    """
    wall: dict[Any, list[float]] = {k: [] for k in fns}
    cpu: dict[Any, list[float]] = {k: [] for k in fns}
    for _ in range(max(1, int(rounds))):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            c0 = time.thread_time()
            fn()
            cpu[k].append(time.thread_time() - c0)
            wall[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in wall.items()}, {k: min(v) for k, v in cpu.items()}
