"""Reproductions of the entropy-regulariser claims on the shipped digits (offline, CPU).

Three experiments (one module each): ``sparsity`` (configuration entropy, seed 002),
``calibration`` (MIN-ENT / MIX-ENT, seed 003) and ``attention`` (attention entropy,
seed 000). :func:`run_regularizers` runs them seeded, with a progress bar, and writes a
markdown report, a JSON file with every run and one PNG per experiment. The command
line front end is ``geoent experiment regularizers`` (``--quick`` runs a few steps to
check the pipeline, not the result).

Examples
--------
>>> import tempfile
>>> from geoent.torch.experiments import run_regularizers
>>> out = tempfile.mkdtemp()
>>> report = run_regularizers(out, experiments=["calibration"], seeds=1, quick=True,
...                           progress=False, plots=False)
>>> sorted(report["files"])
['json', 'markdown']
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

from . import attention, calibration, sparsity

__all__ = ["EXPERIMENTS", "run_regularizers"]

EXPERIMENTS = {"sparsity": sparsity, "calibration": calibration, "attention": attention}


def run_regularizers(
    out_dir, *, experiments=None, seeds=5, quick=False, threads=1, progress=True, plots=True,
    command=None,
):  # fmt: skip
    """Run the experiments and write ``regularizers.md``, ``regularizers.json`` and PNGs.

    Parameters
    ----------
    out_dir : path
        Created if missing.
    experiments : list of str, optional
        Names from :data:`EXPERIMENTS` (default: all).
    seeds : int
        Training seeds per method (seeds 0..seeds-1).
    quick : bool
        Two epochs and a coarse pruning grid: checks the pipeline only.
    threads : int
        ``torch.set_num_threads`` for the run (restored afterwards).
    progress : bool
        A tqdm bar on stderr.
    plots : bool
        Write the PNGs (needs matplotlib).
    command : str, optional
        The command line, recorded in the report.

    Returns
    -------
    dict
        ``results`` per experiment, ``markdown`` (the report text), ``files``.
    """
    names = list(EXPERIMENTS) if experiments is None else list(experiments)
    bad = [n for n in names if n not in EXPERIMENTS]
    if bad:
        raise ValueError(f"unknown experiment(s) {bad}; choose from {list(EXPERIMENTS)}")
    if seeds < 1:
        raise ValueError(f"seeds must be >= 1, got {seeds}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    total = sum(len(EXPERIMENTS[n].METHODS) * seeds for n in names)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="run", file=sys.stderr, dynamic_ncols=True)

    def tick(label):
        if bar is not None:
            bar.set_description(label)
            bar.update(1)

    old_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    results, seconds, cpu = {}, {}, {}
    try:
        for name in names:
            t0, c0 = time.perf_counter(), time.process_time()
            results[name] = EXPERIMENTS[name].run(seeds=seeds, quick=quick, progress=tick)
            seconds[name] = time.perf_counter() - t0
            cpu[name] = time.process_time() - c0
    finally:
        torch.set_num_threads(old_threads)
        if bar is not None:
            bar.close()

    files = {}
    meta = {
        "command": command or "run_regularizers(...)",
        "quick": quick,
        "seeds": seeds,
        "threads": threads,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "seconds": seconds,
        "cpu_seconds": cpu,
    }
    parts = [
        "## Entropy regularisers on the digits\n",
        f"Command: `{meta['command']}`; torch {meta['torch']}, {threads} thread(s); "
        "wall time (CPU time of this process) "
        + ", ".join(f"{k} {v:.0f} s ({cpu[k]:.0f} s)" for k, v in seconds.items())
        + (f"; load average at the end {meta['load_average'][0]:.1f}" if meta["load_average"]
           else "")
        + (". QUICK RUN: checks the pipeline, the numbers mean nothing." if quick else ".")
        + "\n",
    ]  # fmt: skip
    for name in names:
        parts.append(EXPERIMENTS[name].markdown(results[name]))
        if plots:
            png = out / f"{name}.png"
            EXPERIMENTS[name].plot(results[name], png)
            files[f"png_{name}"] = str(png)
            parts.append(f"![{name}]({png.name})\n")
    text = "\n".join(parts)
    md = out / "regularizers.md"
    md.write_text(text, encoding="utf-8")
    files["markdown"] = str(md)
    js = out / "regularizers.json"
    js.write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")
    files["json"] = str(js)
    return {"results": results, "markdown": text, "files": files, "meta": meta}
