"""Camera scanning: decode rate and time of ``decode_image`` over generated barcode pictures.

The pictures are the ones the tests use (``tests/desktop/hardware/barcode_samples.py``):
EAN-13, EAN-8, UPC-A, Code 128 and QR drawn by python-barcode and qrcode, each clean, blurred,
tilted 10-30 degrees, faded, noisy, and "photo-like" (smaller, tilted, soft, dim, noisy, JPEG).
Also printed: what plain ZBar reads without the clean-up fallbacks, for comparison.

Run: ``python benchmarks/till_camera_decode.py [rounds]`` (several rounds = more random damage).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

from _bench import emit, emit_latency

ROOT = Path(__file__).resolve().parents[1]


def load_samples():  # type: ignore[no-untyped-def]
    path = ROOT / "tests" / "desktop" / "hardware" / "barcode_samples.py"
    spec = importlib.util.spec_from_file_location("barcode_samples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["barcode_samples"] = module
    spec.loader.exec_module(module)
    return module


def main(rounds: int) -> None:
    from asiria_desktop.hardware.camera_scanner import _zbar_decode, decode_image

    bs = load_samples()
    pictures = [s for seed in range(rounds) for s in bs.samples(seed=2026 + seed)]
    decode_image(pictures[0].image)  # load ZBar and OpenCV before timing
    total, ok, plain = Counter[str](), Counter[str](), Counter[str]()
    times_ms: list[float] = []
    for sample in pictures:
        start = time.perf_counter()
        codes = decode_image(sample.image)
        times_ms.append((time.perf_counter() - start) * 1000)
        total[sample.variant] += 1
        ok[sample.variant] += bs.matches(sample.expected, codes)
        plain[sample.variant] += bs.matches(sample.expected, _zbar_decode(sample.image))
    n = sum(total.values())
    for variant in total:
        print(f"{variant:>13}: {ok[variant]}/{total[variant]} (plain ZBar {plain[variant]})")
    rate, plain_rate = 100 * sum(ok.values()) / n, 100 * sum(plain.values()) / n
    print(f"decode rate {rate:.1f} % of {n} pictures; plain ZBar {plain_rate:.1f} %")
    emit("till.camera.decode_rate", rate, "%")
    emit("till.camera.decode_rate_plain_zbar", plain_rate, "%")
    emit_latency("till.camera.decode", times_ms)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
