"""Where ``geoent demo`` spends its time: per step wall, CPU and numba compiles.

Runs :func:`geoent.demo.run_demo` in this process with the demo's own progress
lines as step boundaries, and prints for every step the wall seconds, the CPU
seconds of this process and of finished children (the demo's warm-up child), and
the numba compiles (``numba:compile`` events; the top dispatchers by own compile
time). With ``--detail`` also every contender's warm-up + timed rounds and every
exactness check inside the suites.

Run it with an empty numba cache to see a fresh install::

    NUMBA_CACHE_DIR=$(mktemp -d) PYTHONPATH=src python benchmarks/demo_profile.py --detail

Options: ``--n`` (points per set), ``--no-warm-ahead``, ``--args`` (extra keyword
arguments of ``run_demo`` as ``key=value``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def _cpu():
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


class _Recorder:
    """numba:compile events (start/end) with the dispatcher's name."""

    def __init__(self):
        from numba.core import event

        self.buffer = []

        class L(event.Listener):
            def on_start(inner, ev):
                self.buffer.append((time.perf_counter(), ev))

            def on_end(inner, ev):
                self.buffer.append((time.perf_counter(), ev))

        self.listener = L()
        event.register("numba:compile", self.listener)

    def take(self):
        out, self.buffer = self.buffer, []
        return out


def _own(buffer):
    stack, own, count = [], {}, {}
    for t, ev in buffer:
        if ev.is_start:
            stack.append([ev, t, 0.0])
        elif stack:
            e, t0, child = stack.pop()
            dt = t - t0
            f = getattr(e.data["dispatcher"], "py_func", None)
            name = f"{f.__module__.removeprefix('geoent.')}.{f.__qualname__}" if f else "?"
            own[name] = own.get(name, 0.0) + dt - child
            count[name] = count.get(name, 0) + 1
            if stack:
                stack[-1][2] += dt
    return sorted(((k, own[k], count[k]) for k in own), key=lambda r: -r[1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--no-warm-ahead", action="store_true")
    ap.add_argument("--detail", action="store_true")
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--args", nargs="*", default=[])
    a = ap.parse_args(argv)

    w_start = time.perf_counter()
    c_start = _cpu()
    import numba  # noqa: F401

    rec = _Recorder()
    from geoent import demo
    from geoent.bench import runner

    steps = []  # (label, wall, cpu self, cpu children, events)
    state = {"label": "imports + data", "w": w_start, "c": c_start}
    detail = []

    def close(next_label):
        w, c = time.perf_counter(), _cpu()
        steps.append(
            (state["label"], w - state["w"], c[0] - state["c"][0], c[1] - state["c"][1], rec.take())
        )
        state.update(label=next_label, w=w, c=c)

    def echo(*args, **kw):
        line = " ".join(str(x) for x in args)
        if line.strip().endswith("...") or line.startswith("  ") and "..." in line:
            close(line.strip())
        elif line.startswith("done in") or line.startswith("report:"):
            pass
        print(line, flush=True)

    if a.detail:
        cur = {"c": ""}
        orig_blank, orig_wtt = runner.blank_row, runner.warm_then_time

        span = {"label": None, "w": 0.0, "c": 0.0}

        def close_span():
            if span["label"] is not None:
                detail.append(
                    (
                        f"all   {span['label']}",
                        time.perf_counter() - span["w"],
                        time.process_time() - span["c"],
                        "from this contender's row to the next (compile, prepare, run, canon)",
                    )
                )
            span["label"] = None

        def blank_row(suite, dist, n, name):
            close_span()
            cur["c"] = f"{suite.name} {dist} {n:,} {name}"
            span.update(label=cur["c"], w=time.perf_counter(), c=time.process_time())
            return orig_blank(suite, dist, n, name)

        def wtt(fn, rounds, max_seconds, *more):
            t0, c0 = time.perf_counter(), time.process_time()
            res, first, times = orig_wtt(fn, rounds, max_seconds, *more)
            detail.append(
                (
                    f"run   {cur['c']}",
                    time.perf_counter() - t0,
                    time.process_time() - c0,
                    f"first {first:.3f}, {len(times)} rounds",
                )
            )
            return res, first, times

        runner.blank_row, runner.warm_then_time = blank_row, wtt
        import dataclasses

        for key in ("hull2d", "delaunay"):
            s = runner.SUITES[key]
            orig_err = s.error

            def err(data, canon, name, orig_err=orig_err, key=key):
                close_span()
                t0, c0 = time.perf_counter(), time.process_time()
                out = orig_err(data, canon, name)
                detail.append(
                    (
                        f"check {key} {len(data):,} {name}",
                        time.perf_counter() - t0,
                        time.process_time() - c0,
                        "",
                    )
                )
                return out

            runner.SUITES[key] = dataclasses.replace(s, error=err)

    kw = {}
    if a.n is not None:
        kw["n"] = a.n
    if a.no_warm_ahead:
        kw["warm_ahead"] = False
    for x in a.args:
        k, v = x.split("=", 1)
        kw[k] = int(v) if v.lstrip("-").isdigit() else v
    out = tempfile.mkdtemp()
    demo.run_demo(out=out, echo=echo, **kw)
    close("end")
    w_total = time.perf_counter() - w_start
    c_end = _cpu()

    print("\n| step | wall s | CPU s (self) | CPU s (children) | compiles | top compiles (own s) |")
    print("|---|---|---|---|---|---|")
    for label, w, cs, cc, evs in steps:
        own = _own(evs)
        n = sum(k for _, _, k in own)
        top = ", ".join(f"{k} {s:.2f}" for k, s, _ in own[: a.top])
        print(f"| {label} | {w:.2f} | {cs:.2f} | {cc:.2f} | {n} | {top} |")
    print(
        f"| total | {w_total:.2f} | {c_end[0] - c_start[0]:.2f} | {c_end[1] - c_start[1]:.2f} | | |"
    )
    if detail:
        print("\n| detail | wall s | CPU s | |")
        print("|---|---|---|---|")
        for label, w, c, note in detail:
            print(f"| {label} | {w:.3f} | {c:.3f} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
