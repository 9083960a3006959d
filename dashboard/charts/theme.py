"""One visual language for every page and every export.

Colours come from the Okabe–Ito palette, which stays distinguishable under the common forms of
colour-blindness; each claimant affiliation and each jurisdiction keeps its colour everywhere, so
a reader who learns "orange = independent expert" on one chart can trust it on the next.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dashboard.charts.figure_draft import FigureDraft

Figure = TypeVar("Figure", "go.Figure", "FigureDraft")

FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # installed locally, never fetched
TEXT_COLOR = "#1f2328"
MUTED_COLOR = "#6e7781"
GRID_COLOR = "#e6e8eb"

AFFILIATION_COLORS: dict[str, str] = {
    "csto_official": "#0072B2",
    "russian_security_services": "#D55E00",
    "russian_government": "#CC79A7",
    "central_asian_government": "#009E73",
    "independent_expert": "#E69F00",
    "international_body": "#56B4E9",
    "afghan_official": "#8C6D1F",
    "media": "#7F7F7F",
    "": "#7F7F7F",
}

AFFILIATION_LABELS: dict[str, str] = {
    "csto_official": "CSTO officials",
    "russian_security_services": "Russian security services",
    "russian_government": "Russian government",
    "central_asian_government": "Central Asian governments",
    "independent_expert": "Independent experts",
    "international_body": "International bodies",
    "afghan_official": "Afghan officials",
    "media": "Media",
    "": "Unclassified",
}

JURISDICTION_COLORS: dict[str, str] = {
    "russia": "#D55E00",
    "kazakhstan": "#0072B2",
    "kyrgyzstan": "#009E73",
}
FALLBACK_COLORS: tuple[str, ...] = ("#CC79A7", "#E69F00", "#56B4E9", "#000000")

ACTION_LABELS: dict[str, str] = {
    "listed": "Listed as terrorist",
    "delisting_considered": "Delisting considered",
    "delisted": "Delisted",
    "ban_suspended": "Ban suspended",
    "relisted": "Relisted",
}
ACTION_SYMBOLS: dict[str, str] = {
    "listed": "square",
    "delisting_considered": "diamond",
    "delisted": "circle",
    "ban_suspended": "triangle-down",
    "relisted": "star",
}

# How a date's basis shows on a mark: solid when the source states it, hollow when inferred,
# hollow with a centre dot when it comes from outside the source.
BASIS_SYMBOL_SUFFIX: dict[str, str] = {"stated": "", "inferred": "-open", "external": "-open-dot"}
BASIS_LABELS: dict[str, str] = {
    "stated": "date stated in the source (solid)",
    "inferred": "date inferred from context (hollow)",
    "external": "date from outside the source (hollow, dot)",
}
SOURCE_KIND_LABELS: dict[str, str] = {
    "seed": "Seed document (verbatim quote)",
    "external": "External source (our summary)",
}


def jurisdiction_color(jurisdiction_id: str, order: list[str] | None = None) -> str:
    """A fixed colour for the three core jurisdictions, stable fallbacks for any other."""
    if jurisdiction_id in JURISDICTION_COLORS:
        return JURISDICTION_COLORS[jurisdiction_id]
    others = sorted(order or [jurisdiction_id])
    index = others.index(jurisdiction_id) if jurisdiction_id in others else 0
    return FALLBACK_COLORS[index % len(FALLBACK_COLORS)]


def affiliation_color(affiliation_type: str | None) -> str:
    return AFFILIATION_COLORS.get(affiliation_type or "", AFFILIATION_COLORS[""])


def base_layout(fig: Figure, *, title: str, subtitle: str = "", source_line: str = "") -> Figure:
    """Title, subtitle and source line inside the figure, so an exported chart stands alone.

    ``fig``: a ``go.Figure`` or a ``figure_draft.FigureDraft`` (the same calls)."""
    layout = base_layout_dict(title=title, subtitle=subtitle, source_line=source_line)
    notes = layout.pop("annotations")
    fig.update_layout(**layout)
    for note in notes:
        fig.add_annotation(**note)
    return fig


def base_layout_dict(*, title: str, subtitle: str = "", source_line: str = "") -> dict[str, Any]:
    """``base_layout`` as a layout dict, for charts assembled in one piece (one validation
    instead of one per update); ``annotations`` holds the source line, if any."""
    title_text = f"<b>{title}</b>"
    if subtitle:
        title_text += f"<br><span style='font-size:13px;color:{MUTED_COLOR}'>{subtitle}</span>"
    notes = []
    if source_line:
        notes.append(
            {
                "text": source_line,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.0,
                "yshift": -80,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 11, "color": MUTED_COLOR},
            }
        )
    return {
        "title": {"text": title_text, "x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top"},
        "font": {"family": FONT_FAMILY, "color": TEXT_COLOR, "size": 13},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 70, "r": 30, "t": 95, "b": 110 if source_line else 60},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "annotations": notes,
    }


# ---- the what-changed window on date axes ------------------------------------------------------
WINDOW_COLOR = "#F0E442"  # Okabe–Ito yellow, faint: behind the marks, never hiding them
WINDOW_OPACITY = 0.22
WINDOW_NAME = "what-changed window"

AxisSpan = tuple[str, str, tuple[Any, Any] | None]  # (x axis, its y axis, the x range shown)


def window_shapes(
    since: Any, until: Any, axes: Sequence[AxisSpan], *, latest: Any = None
) -> list[dict[str, Any]]:
    """Rectangles shading ``since``..``until`` behind the marks of each date axis in ``axes``.

    ``axes``: (x axis id, y axis id, (first, last) date shown or None), e.g. ("x2", "y2",
    (Timestamp, Timestamp)); ``window_axes(layout)`` reads them from a layout dict. Each
    rectangle is clipped to its axis's range (a broken axis gets one per panel it reaches) and
    spans its y axis's height; an open window (``until`` None) runs to the range's end, or on
    an axis with no fixed range to ``latest`` (not shaded without one). The first rectangle says
    what the band is. Dates: anything pandas reads as a timestamp.
    """
    import pandas as pd

    start = pd.Timestamp(since)
    end = pd.Timestamp(until) + pd.Timedelta(hours=23, minutes=59) if until is not None else None
    label = f"since {start.day} {start:%b %Y}"
    shapes: list[dict[str, Any]] = []
    for x_axis, y_axis, shown in axes:
        low, high = (pd.Timestamp(shown[0]), pd.Timestamp(shown[1])) if shown else (None, None)
        right = end if end is not None else high
        if right is None and latest is not None:
            right = pd.Timestamp(latest) + pd.Timedelta(hours=23, minutes=59)
        if right is None:
            continue
        left = max(start, low) if low is not None else start
        right = min(right, high) if high is not None else right
        if left >= right:
            continue
        shape: dict[str, Any] = {
            "type": "rect",
            "xref": x_axis,
            "yref": f"{y_axis} domain",
            "x0": left.isoformat(),
            "x1": right.isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": WINDOW_COLOR,
            "opacity": WINDOW_OPACITY,
            "line": {"width": 0},
            "layer": "below",
            "name": WINDOW_NAME,
        }
        if not shapes:
            shape["label"] = {
                "text": label,
                "textposition": "top left",
                "font": {"size": 11, "color": MUTED_COLOR},
            }
        shapes.append(shape)
    return shapes


def window_axes(layout: Mapping[str, Any]) -> list[AxisSpan]:
    """The date x axes of a layout dict (``fig.layout.to_plotly_json()`` or a builder's own),
    with their y axes and fixed ranges, for ``window_shapes``."""
    out: list[AxisSpan] = []
    for key in sorted(layout, key=lambda k: (len(k), k)):
        if not re.fullmatch(r"xaxis\d*", key):
            continue
        axis = layout[key] or {}
        if axis.get("type") not in (None, "date"):
            continue
        x_id = "x" + key[len("xaxis") :]
        y_id = str(axis.get("anchor") or "y" + key[len("xaxis") :])
        shown = axis.get("range")
        out.append((x_id, y_id, (shown[0], shown[1]) if shown else None))
    return out
