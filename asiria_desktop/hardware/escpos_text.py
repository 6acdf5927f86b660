"""Text for ESC/POS printers: code pages, transliteration, and loading python-escpos safely.

Receipt printers know a handful of 8-bit code pages, not UTF-8. We select one code page per job
(``ESC t n``) and encode every string into it; a character the page lacks is transliterated
("ŵ" -> "w", a curly apostrophe -> "'") rather than printed as garbage, so "Crème brûlée",
"Café" and Swahili names ("Ng'ombe" typed with a curly apostrophe) always come out readable.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from types import ModuleType

#: Code page name -> ESC t number (Epson numbering, which most ESC/POS clones follow).
CODE_PAGES: dict[str, int] = {
    "CP437": 0,  # USA, the factory default of most printers
    "CP850": 2,  # Multilingual Latin-1
    "CP860": 3,
    "CP863": 4,
    "CP865": 5,
    "CP1252": 16,  # Windows Latin-1
    "CP866": 17,  # Cyrillic
    "CP852": 18,  # Latin-2
    "CP858": 19,  # CP850 with the euro sign
}

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "*",
    }
)


def code_page_command(code_page: str) -> bytes:
    """``ESC t n`` selecting the code page; raises ValueError for a page we do not know."""
    try:
        return b"\x1bt" + bytes([CODE_PAGES[code_page.upper()]])
    except KeyError:
        known = ", ".join(CODE_PAGES)
        raise ValueError(f"Unknown printer code page {code_page!r}; use one of {known}") from None


def encode_text(text: str, code_page: str = "CP858") -> bytes:
    """``text`` in the printer's code page; unknown characters are transliterated, then '?'."""
    codec = code_page.lower()
    out = bytearray()
    for char in text.translate(_PUNCTUATION):
        try:
            out += char.encode(codec)
            continue
        except UnicodeEncodeError:
            pass
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out += plain.encode(codec, errors="replace") if plain else b"?"
    return bytes(out)


def ascii_text(text: str) -> str:
    """For devices with no code page at all (pole displays): accents dropped, the rest kept."""
    return encode_text(text, "ascii").decode("ascii")


_loaded: ModuleType | None = None


def use_capabilities_cache(folder: Path) -> None:
    """python-escpos 3.1 re-reads its capabilities file on every start and makes a new temporary
    folder for the pickled copy unless ESCPOS_CAPABILITIES_PICKLE_DIR names one: point it at a
    folder of the till's. Call before the first printer is made; later calls change nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(folder))


def escpos_printers() -> ModuleType:
    """``escpos.printer``, imported on first use (after ``use_capabilities_cache``)."""
    global _loaded
    if _loaded is None:
        if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
            import platformdirs

            use_capabilities_cache(Path(platformdirs.user_cache_dir("asiria")) / "escpos")
        import escpos.printer

        _loaded = escpos.printer
    return _loaded
