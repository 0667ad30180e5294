"""Fonts for reports: DejaVu Sans where the system has it (Debian fonts-dejavu-core), otherwise
Bitstream Vera, which ships inside reportlab itself (DejaVu is derived from it). Both are
embedded TrueType fonts with a ToUnicode map, so text can be searched, copied and read aloud;
neither depends on the PDF viewer's own fonts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.graphics.renderbase import STATE_DEFAULTS
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "YardstickSans"
BOLD = "YardstickSans-Bold"
ITALIC = "YardstickSans-Oblique"

_DEJAVU_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF")]
_DEJAVU = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
_VERA = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf"}


@cache
def register() -> str:
    """Register the three faces once per process; returns the family used ("DejaVu Sans" or
    "Bitstream Vera Sans")."""
    files, family = _font_files()
    for name, path in files.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    # Charts start each drawing in reportlab's default font (Times-Roman, one of the 14 standard
    # fonts, which a PDF names but never embeds): start them in ours, so every font is embedded.
    STATE_DEFAULTS["fontName"] = REGULAR
    return family


def _font_files() -> tuple[dict[str, Path], str]:
    for directory in _DEJAVU_DIRS:
        paths = {name: directory / filename for name, filename in _DEJAVU.items()}
        if all(p.is_file() for p in paths.values()):
            return paths, "DejaVu Sans"
    bundled = Path(reportlab.__file__).parent / "fonts"
    return {name: bundled / filename for name, filename in _VERA.items()}, "Bitstream Vera Sans"
