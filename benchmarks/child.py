"""One fresh process of the command measured, as the benchmarks time it: wall and CPU seconds (user + system,
every thread) and peak resident memory from os.wait4. The peak is ru_maxrss as the kernel keeps it for the
child: the largest of the child and the descendants it waited for (`qms validate`'s load children, git), not
their sum. Run from this checkout, with it first on the module path, so that this checkout is what is timed."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_child(args: list[str]) -> dict[str, object]:
    """A fresh process: wall and CPU seconds, its own peak RSS (os.wait4), its output."""
    t0 = time.perf_counter()
    # Run from ROOT: `python -m` puts the working folder first on sys.path, ahead of PYTHONPATH, so another
    # checkout's `generator/` there would be measured instead of this one.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    outs: list[bytes] = []
    errs: list[bytes] = []
    threads = [threading.Thread(target=lambda: outs.append(proc.stdout.read())),
               threading.Thread(target=lambda: errs.append(proc.stderr.read()))]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4 already
    if code != 0:
        raise SystemExit(f"{' '.join(args[:6])} ... failed ({code}):\n{b''.join(errs).decode()[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
            "stdout": b"".join(outs).decode()}
