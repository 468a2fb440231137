"""Colour arithmetic for readable charts: WCAG contrast, CIE L*, and colour-blind simulation.

Used to choose the text colour on a coloured tile or bar, and by the tests that check every
text/background pair the charts and the district map use (WCAG 2.x: at least 4.5:1), and that
the map's sequential palette stays ordered by lightness for colour-blind viewers.
"""

from __future__ import annotations

DARK_TEXT = "#1A1A1A"
LIGHT_TEXT = "#FFFFFF"
GREY_TEXT = "#444444"

# Okabe–Ito: distinguishable for colour-blind viewers and on a washed-out projector.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#8C6D00",
    "#000000",
]
# Series whose code names a fixed meaning keep their colour on every chart.
SERIES_COLOURS = {
    "completed": "#009E73",
    "under_construction": "#E69F00",
    "in_operation": "#009E73",
    "hydro": "#0072B2",
    "solar": "#E69F00",
    "qppl": "#0072B2",
    "procedure_list": "#E69F00",
}
PROVINCE_COLOUR = "#333333"  # the province's line among the districts'
# A target's standing as text on white (meeting mode's plans and results): both at least 4.5:1,
# and never the only sign: a ✔ or ✘ comes before the words.
REACHED = "#1B6E34"
MISSED = "#B3261E"

# Colour-vision-deficiency simulation, severity 1.0, in linear RGB (Machado, Oliveira and
# Fernandes 2009, the matrices used by colorspacious and Chromium's DevTools emulation).
CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def rgb(colour: str) -> tuple[float, float, float]:
    """'#RRGGBB' (or 'white'/'black') as sRGB in 0–1."""
    named = {"white": "#FFFFFF", "black": "#000000"}
    h = named.get(colour.lower(), colour).lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1–21."""
    la, lb = sorted((luminance(first), luminance(second)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """The text colour (near-black or white) with the higher contrast on `background`."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda fg: contrast(fg, background))


def simulate(colour: str, kind: str) -> str:
    """`colour` as a viewer with `kind` of colour blindness sees it."""
    lin = [_linear(c) for c in rgb(colour)]
    out = [_gamma(sum(m * c for m, c in zip(row, lin))) for row in CVD[kind]]
    return "#" + "".join(f"{round(c * 255):02X}" for c in out)


def lightness(colour: str) -> float:
    """CIE L* (0 black – 100 white)."""
    y = luminance(colour)
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16
