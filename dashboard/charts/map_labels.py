"""Map labels that do not collide: each label's place chosen for every size the map is shown at.

A label on Plotly's geo subplot sits at a longitude and latitude, offset from its marker by a
fixed number of pixels (``textposition``) while the map itself scales with the figure. A label
that clears its neighbours on a slide may therefore overlap them on the smaller page, and the
other way round. Each label is placed greedily, most important first, at the first candidate
position whose text box, at every canvas (page and slide), lies inside the map and clears the
boxes already placed, the markers and any reserved area (the inset). A label that fits nowhere
is left out (its marker keeps its hover text), never drawn on top of another.

Text boxes are estimated from the font's advance widths (DejaVu Sans, the first font of the
theme and the one kaleido's Chromium uses here; other fonts are narrower) and the box model
Plotly itself uses to offset text: ascent 0.75 and descent 0.25 of the font size.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely

# Advance widths of DejaVu Sans (regular, bold) in thousandths of the font size, for the
# characters labels use; measured from the TTF files (PIL ImageFont.getlength at size 1000).
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz"
    "{|}~–—’‘“”éèáóöüōāīçş"
)
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
    500, 1000, 318, 318, 518, 518, 615, 615, 613, 612, 612, 634, 612, 613, 278, 550, 521,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
    500, 1000, 380, 380, 657, 657, 678, 678, 675, 687, 687, 712, 687, 675, 343, 593, 595,
)  # fmt: skip
_WIDTH = {
    False: dict(zip(_CHARS, _REGULAR, strict=True)),
    True: dict(zip(_CHARS, _BOLD, strict=True)),
}
ASCENT = 0.75  # of the font size, above the baseline (Plotly's own text box model)
DESCENT = 0.25
PAD = 2.0  # pixels kept clear between label boxes
MARKER_PAD = 0.5  # between a label and a marker (Plotly keeps a label size/1.6 + 1 px off its own)
TAG = re.compile(r"<[^>]+>")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y downwards


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels of ``text`` (markup removed) at ``size`` px; <b> parts are bold."""
    width = 0.0
    parts = re.split(r"(<b>.*?</b>)", text)
    for part in parts:
        heavy = bold or part.startswith("<b>")
        plain = TAG.sub("", part).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        table = _WIDTH[heavy]
        width += sum(table.get(char, 700 if heavy else 640) for char in plain)
    return width * size / 1000


# ---- where the map is, at one figure size ------------------------------------------------------
def mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.radians(45 + lat / 2))))


@dataclass(frozen=True)
class Canvas:
    """One figure size and the map's rectangle in it, as Plotly's geo subplot fits it: the
    lon/lat ranges scaled (Mercator) to fit the domain, centred in it."""

    name: str
    width: float
    height: float
    margin: tuple[float, float, float, float]  # l, r, t, b
    lon: tuple[float, float]
    lat: tuple[float, float]
    domain_x: tuple[float, float] = (0.0, 1.0)
    domain_y: tuple[float, float] = (0.0, 1.0)

    @property
    def map_box(self) -> Box:
        left, right, top, bottom = self.margin
        plot_w = self.width - left - right
        plot_h = self.height - top - bottom
        dx0, dx1 = self.domain_x
        dy0, dy1 = self.domain_y
        box_w, box_h = plot_w * (dx1 - dx0), plot_h * (dy1 - dy0)
        span_x = self.lon[1] - self.lon[0]
        span_y = mercator_y(self.lat[1]) - mercator_y(self.lat[0])
        scale = min(box_w / span_x, box_h / span_y)
        map_w, map_h = span_x * scale, span_y * scale
        x0 = left + plot_w * dx0 + (box_w - map_w) / 2
        y0 = top + plot_h * (1 - dy1) + (box_h - map_h) / 2
        return (x0, y0, x0 + map_w, y0 + map_h)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.map_box
        fx = (lon - self.lon[0]) / (self.lon[1] - self.lon[0])
        top = mercator_y(self.lat[1])
        fy = (top - mercator_y(lat)) / (top - mercator_y(self.lat[0]))
        return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.map_box
        lon = self.lon[0] + (x - x0) / (x1 - x0) * (self.lon[1] - self.lon[0])
        top, bottom = mercator_y(self.lat[1]), mercator_y(self.lat[0])
        merc = top - (y - y0) / (y1 - y0) * (top - bottom)
        return lon, math.degrees(2 * math.atan(math.exp(math.radians(merc)))) - 90

    def paper_box(self, x: tuple[float, float], y: tuple[float, float]) -> Box:
        """A rectangle given in paper fractions (like a subplot domain), in pixels."""
        left, right, top, bottom = self.margin
        plot_w = self.width - left - right
        plot_h = self.height - top - bottom
        return (
            left + plot_w * x[0],
            top + plot_h * (1 - y[1]),
            left + plot_w * x[1],
            top + plot_h * (1 - y[0]),
        )


# ---- labels -------------------------------------------------------------------------------------
POSITIONS = (
    "top center", "bottom center", "middle right", "middle left",
    "top right", "top left", "bottom right", "bottom left",
)  # fmt: skip


@dataclass(frozen=True)
class Label:
    """A label to place. Point labels (``marker`` > 0) try Plotly's text positions around the
    marker; area labels try each anchor in ``anchors`` with the text centred on it."""

    key: str
    text: str
    size: float
    anchors: tuple[tuple[float, float], ...]  # (lon, lat); a point label has one
    marker: float = 0.0  # the marker's size in px (0: a text-only label)
    bold: bool = False
    positions: tuple[str, ...] = ("middle center",)
    # An area label: of the anchors that fit, the one whose box lies most inside this shape
    # (lon/lat) wins, so a name stays on its province rather than straddling a boundary.
    area: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Placed:
    key: str
    anchor: tuple[float, float]
    position: str


def label_box(label: Label, canvas: Canvas, anchor: tuple[float, float], position: str) -> Box:
    """The text box Plotly draws for ``label`` at ``anchor`` with ``position`` on ``canvas``."""
    x, y = canvas.project(*anchor)
    width = text_width(label.text, label.size, bold=label.bold)
    vertical, _, horizontal = position.partition(" ")
    gap = label.marker / 1.6 + 1 if label.marker else 0.0  # Plotly: marker size / 1.6 + 1
    if horizontal == "left":
        x1 = x - gap
        x0 = x1 - width
    elif horizontal == "right":
        x0 = x + gap
        x1 = x0 + width
    else:
        x0, x1 = x - width / 2, x + width / 2
    if vertical == "top":
        y1 = y - gap
        y0 = y1 - label.size
    elif vertical == "bottom":
        y0 = y + gap
        y1 = y0 + label.size
    else:
        y0, y1 = y - label.size / 2, y + label.size / 2
    return (x0, y0, x1, y1)


# How far past size/2 Plotly draws a symbol (its drawing code: a diamond's points reach 1.3 times
# the radius, a triangle's 2/sqrt(3)); a marker is reserved at its drawn extent.
SYMBOL_REACH: dict[str, float] = {"diamond": 1.3, "triangle-up": 2 / 3**0.5}


def reach(symbol: str, size: float) -> float:
    """The extent (px, as a size) a marker of ``symbol`` and ``size`` is drawn at."""
    return size * SYMBOL_REACH.get(symbol, 1.0)


def marker_box(canvas: Canvas, lon: float, lat: float, size: float) -> Box:
    x, y = canvas.project(lon, lat)
    half = size / 2
    return (x - half, y - half, x + half, y + half)


def overlaps(a: Box, b: Box, pad: float = PAD) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def inside(box: Box, frame: Box, pad: float = PAD) -> bool:
    return (
        box[0] >= frame[0] + pad
        and box[1] >= frame[1] + pad
        and box[2] <= frame[2] - pad
        and box[3] <= frame[3] - pad
    )


@dataclass
class Layout:
    """The boxes taken so far on each canvas."""

    canvases: Sequence[Canvas]
    taken: dict[str, list[tuple[Box, float]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for canvas in self.canvases:
            self.taken.setdefault(canvas.name, [])

    def reserve(self, boxes: dict[str, Box], pad: float = PAD) -> None:
        for name, box in boxes.items():
            self.taken[name].append((box, pad))

    def fits(self, boxes: dict[str, Box]) -> bool:
        for canvas in self.canvases:
            box = boxes[canvas.name]
            if not inside(box, canvas.map_box):
                return False
            if any(overlaps(box, other, pad) for other, pad in self.taken[canvas.name]):
                return False
        return True


def place(
    labels: Iterable[Label],
    canvases: Sequence[Canvas],
    *,
    markers: Iterable[tuple[float, float, float]] = (),
    reserved: Iterable[dict[str, Box]] = (),
) -> dict[str, Placed]:
    """Where each label goes (labels in priority order); labels that fit nowhere are absent.

    ``markers`` are (lon, lat, size) of every marker drawn (no label may cover one);
    ``reserved`` are boxes per canvas name (an inset map) that labels must keep clear of.
    """
    layout = Layout(canvases)
    for lon, lat, size in markers:
        layout.reserve({c.name: marker_box(c, lon, lat, size) for c in canvases}, MARKER_PAD)
    for boxes in reserved:
        layout.reserve(boxes)
    placed: dict[str, Placed] = {}
    smallest = min(canvases, key=lambda c: c.map_box[2] - c.map_box[0])
    for label in labels:
        best: tuple[float, Placed, dict[str, Box]] | None = None
        for anchor in label.anchors:
            for position in label.positions:
                boxes = {c.name: label_box(label, c, anchor, position) for c in canvases}
                if not layout.fits(boxes):
                    continue
                score = share_inside(boxes[smallest.name], smallest, label.area)
                if best is None or score > best[0] + 1e-9:
                    best = (score, Placed(label.key, anchor, position), boxes)
                if label.area is None or score >= 0.999:
                    break
            if best is not None and (label.area is None or best[0] >= 0.999):
                break
        if best is not None:
            layout.reserve(best[2])
            placed[label.key] = best[1]
    return placed


def share_inside(box: Box, canvas: Canvas, area: Any) -> float:
    """How much of a label's box (px on ``canvas``) lies inside ``area`` (lon/lat): 0 to 1."""
    if area is None:
        return 0.0
    (lon0, lat0), (lon1, lat1) = canvas.unproject(box[0], box[3]), canvas.unproject(box[2], box[1])
    cell = shapely.box(lon0, lat0, lon1, lat1)
    return float(cell.intersection(area).area / cell.area) if cell.area else 0.0
