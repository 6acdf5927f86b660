"""Barcode pictures made by independent generators (python-barcode, qrcode), and photo-like
damage: blur, tilt, faded contrast, sensor noise, and all of it at once.

Shared by the camera decode tests and ``benchmarks/till_camera_decode.py`` (which loads this
file by path), so the decode rate in docs/hardware.md is measured on the same pictures.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

# (symbology, the data given to the generator); what a scanner must read back is the
# generator's own full code (with the check digit it computed).
CODES: list[tuple[str, str]] = [
    ("ean13", "590123412345"),
    ("ean13", "616100250040"),
    ("ean13", "544900000099"),
    ("ean8", "9638507"),
    ("ean8", "6161234"),
    ("upca", "03600029145"),
    ("upca", "12345678901"),
    ("code128", "S01-T02-000123"),
    ("code128", "SKU-4471-KE"),
    ("qr", "S01-T01-000017"),
    ("qr", "https://asiria.example/r/S01-T01-000042"),
]


def full_code(kind: str, data: str) -> str:
    if kind in ("qr", "code128"):
        return data
    import barcode

    return str(barcode.get_barcode_class(kind)(data).get_fullcode())


def render_clean(kind: str, data: str) -> Image.Image:
    """The code as a generator draws it for printing: black on white, grayscale."""
    if kind == "qr":
        import qrcode

        qr = qrcode.QRCode(border=4, box_size=5)
        qr.add_data(data)
        qr.make(fit=True)
        return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    import barcode
    from barcode.writer import ImageWriter

    symbol = barcode.get_barcode_class(kind)(data, writer=ImageWriter())
    # 0.33 mm bars at 300 dpi: about 4 pixels a bar, as a webcam sees a code 15 cm away.
    options = {"module_width": 0.33, "module_height": 12.0, "quiet_zone": 4.0, "dpi": 300}
    return symbol.render(options).convert("L")


def _rotate(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _contrast(img: Image.Image, low: int, high: int) -> Image.Image:
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return Image.fromarray((low + arr * (high - low)).astype(np.uint8))


def _noise(img: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    np_rng = np.random.default_rng(rng.randrange(1 << 30))
    arr = np.asarray(img, dtype=np.float32) + np_rng.normal(0, sigma, (img.height, img.width))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def _photo(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone-camera shot: smaller, tilted, soft, dim, noisy, JPEG-compressed."""
    img = img.resize((int(img.width * 0.7), int(img.height * 0.7)), Image.Resampling.BILINEAR)
    img = _rotate(img, rng.uniform(8, 15) * rng.choice((-1, 1)))
    img = img.filter(ImageFilter.GaussianBlur(1.0))
    img = _contrast(img, 70, 190)
    img = _noise(img, 8, rng)
    return _jpeg(img, 70)


VARIANTS: dict[str, Callable[[Image.Image, random.Random], Image.Image]] = {
    "clean": lambda img, rng: img,
    "blurred": lambda img, rng: img.filter(ImageFilter.GaussianBlur(2.2)),
    "rotated": lambda img, rng: _rotate(img, rng.uniform(10, 30) * rng.choice((-1, 1))),
    "low_contrast": lambda img, rng: _contrast(img, 105, 150),
    "noise": lambda img, rng: _noise(img, 45, rng),
    "photo": _photo,
}


@dataclass(frozen=True)
class Sample:
    kind: str
    variant: str
    expected: str
    image: np.ndarray  # grayscale uint8, as a camera frame after cvtColor

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.variant}/{self.expected}"


def samples(seed: int = 2026) -> Iterator[Sample]:
    rng = random.Random(seed)
    for kind, data in CODES:
        clean, expected = render_clean(kind, data), full_code(kind, data)
        for variant, damage in VARIANTS.items():
            picture = damage(clean, rng)
            yield Sample(kind, variant, expected, np.asarray(picture, dtype=np.uint8))


def matches(expected: str, decoded: list[str]) -> bool:
    """ZBar reports UPC-A as the equivalent EAN-13 (a leading 0): both are the same GTIN."""
    return expected in decoded or (len(expected) == 12 and "0" + expected in decoded)
