"""Runs every benchmark script in this folder (`till_*.py`, `cloud_*.py`, `sync_*.py`, ...) one
after the other, echoes their output, and ends with a summary of all BENCH lines.

`make bench` calls this. Pass names to run a subset: `python benchmarks/run_all.py till_scan`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Needs the till package built first: `make package` builds it and runs this one.
NEEDS_A_BUILD = {"package.py"}


def main(argv: list[str]) -> int:
    scripts = sorted(
        p
        for p in HERE.glob("*.py")
        if not p.name.startswith(("_", "run_all")) and p.name not in NEEDS_A_BUILD
    )
    if argv:
        scripts = [p for p in scripts if any(p.stem.startswith(a) for a in argv)]
    if not scripts:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    bench_lines: list[str] = []
    failed: list[str] = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            failed.append(script.name)
        bench_lines += [line for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
    print("\n== summary")
    print("\n".join(bench_lines))
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
