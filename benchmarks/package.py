"""The till package: bundle and ``.deb`` sizes, and the packaged till's cold start.

Smoke-tests what ``make package`` built in ``dist/``: unpacks the ``.deb`` into a scratch folder
(``dpkg -x``, as ``dpkg`` would lay it out under ``/``), checks its layout (bundle in
``/opt/asiriapos``, launcher ``/usr/bin/asiria``, desktop entry, icon, udev rules, maintainer
scripts), then starts the unpacked till with ``--self-test`` in an environment with no Python
settings at all (no ``PYTHONPATH``, no venv on ``PATH``). The first run seeds its scratch demo
store; the next ones are timed from spawning the process to the "sale screen ready" line, as
``till_cold_start.py`` times the till run from source.

Sizes: disk usage in MiB (what ``du -m`` shows), the ``.deb`` file in MiB.
Targets: bundle <= 150, ``.deb`` <= 60, cold start <= 2000 ms.
Run ``make package`` (it builds first), or ``python benchmarks/package.py [dist-folder]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import emit

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("ASIRIA_BENCH_PACKAGE_RUNS", "5"))
MIB = 1024 * 1024
EXPECTED_FILES = [
    "opt/asiriapos/asiria",
    "opt/asiriapos/_internal",
    "usr/share/applications/asiriapos.desktop",
    "usr/share/icons/hicolor/scalable/apps/asiriapos.svg",
    "usr/lib/udev/rules.d/60-asiriapos.rules",
]


def disk_usage_mib(folder: Path) -> float:
    blocks = sum(p.lstat().st_blocks for p in folder.rglob("*")) + folder.lstat().st_blocks
    return blocks * 512 / MIB


def find_deb(dist: Path) -> Path:
    debs = sorted(dist.glob("asiriapos_*.deb"), key=lambda p: p.stat().st_mtime)
    if not debs:
        raise SystemExit(f"no asiriapos_*.deb in {dist}: run `make package`")
    return debs[-1]


def unpack(deb: Path, scratch: Path) -> Path:
    root = scratch / "root"
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    missing = [name for name in EXPECTED_FILES if not (root / name).exists()]
    launcher = root / "usr/bin/asiria"
    if not launcher.is_symlink() or os.readlink(launcher) != "/opt/asiriapos/asiria":
        missing.append("usr/bin/asiria -> /opt/asiriapos/asiria")
    control = subprocess.run(
        ["dpkg-deb", "--info", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    missing += [f"DEBIAN/{name}" for name in ("postinst", "postrm") if name not in control]
    if missing:
        raise SystemExit(f"the package lacks: {', '.join(missing)}")
    return root


def unresolved_libraries(bundle: Path) -> list[str]:
    """Shared libraries in the bundle that need a library neither bundled nor on this system
    (a file dropped by installer/bundle_filter.py that something still loads)."""
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    missing = []
    for library in sorted(internal.rglob("*.so*")):
        if library.is_symlink() or not library.is_file():
            continue
        out = subprocess.run(
            ["ldd", str(library)], capture_output=True, text=True, env=env, check=False
        ).stdout
        missing += [
            f"{library.relative_to(bundle)}: {line.split()[0]}"
            for line in out.splitlines()
            if "not found" in line
        ]
    return missing


def self_test(executable: Path, scratch: Path, home: Path) -> tuple[float, str]:
    """Milliseconds from spawning the till to its "sale screen ready" line, and its output."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(executable), "--self-test", str(scratch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # Qt's offscreen plugin chatters; shown only on failure
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    lines = []
    elapsed = None
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("sale screen ready") and elapsed is None:
            elapsed = (time.perf_counter() - start) * 1000
    _, err = proc.communicate()
    if proc.returncode != 0 or elapsed is None or "self-test ok" not in "".join(lines):
        raise SystemExit(f"the packaged till failed its self-test ({proc.returncode}):\n{err}")
    return elapsed, "".join(lines)


def main(dist: Path) -> None:
    bundle = dist / "asiria"
    if not (bundle / "asiria").exists():
        raise SystemExit(f"no bundle in {bundle}: run `make package`")
    deb = find_deb(dist)
    bundle_mib = disk_usage_mib(bundle)
    deb_mib = deb.stat().st_size / MIB
    print(f"bundle {bundle}: {bundle_mib:.1f} MiB on disk; {deb.name}: {deb_mib:.1f} MiB")
    with tempfile.TemporaryDirectory(prefix="asiria-package-") as tmp:
        scratch = Path(tmp)
        root = unpack(deb, scratch)
        executable = root / "opt/asiriapos/asiria"
        missing = unresolved_libraries(root / "opt/asiriapos")
        if missing:
            raise SystemExit("libraries the bundle cannot load:\n" + "\n".join(missing))
        home = scratch / "home"
        home.mkdir()
        data = scratch / "self-test"
        first, output = self_test(executable, data, home)  # seeds the scratch demo store
        print(output.rstrip())
        print(f"first start (creates and seeds the database): {first:.0f} ms")
        times = []
        for run in range(RUNS):
            elapsed, _ = self_test(executable, data, home)
            times.append(elapsed)
            print(f"run {run + 1}: {elapsed:.0f} ms to a ready sale screen", flush=True)
    emit("package.bundle_mb", bundle_mib, "MiB")
    emit("package.deb_mb", deb_mib, "MiB")
    emit("package.cold_start.p50", statistics.median(times), "ms")
    emit("package.cold_start.max", max(times), "ms")
    print("targets: package.bundle_mb <= 150, package.deb_mb <= 60, cold_start <= 2000 ms")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
