"""One visual language for every page and every export.

Colours come from the Okabe–Ito palette, which stays distinguishable under the common forms of
colour-blindness; each claimant affiliation and each jurisdiction keeps its colour everywhere, so
a reader who learns "orange = independent expert" on one chart can trust it on the next.
"""

from __future__ import annotations

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

# Who makes a claim (entities.claimant_type, contract version 2): strength charts colour each
# claim by it. The Okabe-Ito colours where a family keeps the hue it had as an affiliation (UN
# and international bodies sky blue, Russia vermillion, Central Asia green, experts orange), and
# Paul Tol's wine, indigo and olive (also colour-blind safe) for the CSTO/CIS, the US and think
# tanks (the CSTO's old blue sat too close to the UN's sky blue on one chart).
CLAIMANT_TYPE_COLORS: dict[str, str] = {
    "un_body": "#56B4E9",
    "russian_state": "#D55E00",
    "regional_bloc": "#882255",
    "us_state": "#332288",
    "central_asian_state": "#009E73",
    "afghan_authorities": "#8C6D1F",
    "other_state": "#CC79A7",
    "independent_expert": "#E69F00",
    "think_tank": "#999933",
    "media": "#7F7F7F",
    "": "#BBBBBB",
}
CLAIMANT_TYPE_LABELS: dict[str, str] = {
    "un_body": "UN bodies",
    "russian_state": "Russian state",
    "regional_bloc": "Regional blocs (CSTO, CIS)",
    "us_state": "US government",
    "central_asian_state": "Central Asian states",
    "afghan_authorities": "Afghan authorities",
    "other_state": "Other states",
    "independent_expert": "Independent experts",
    "think_tank": "Think tanks",
    "media": "Media",
    "": "Claimant type not given",
}
# The same, in running text: "Serenko (independent expert, 2024)".
CLAIMANT_TYPE_NOUNS: dict[str, str] = {
    "un_body": "UN",
    "russian_state": "Russian state",
    "regional_bloc": "CSTO/CIS",
    "us_state": "US government",
    "central_asian_state": "Central Asian state",
    "afghan_authorities": "Afghan authorities",
    "other_state": "other state",
    "independent_expert": "independent expert",
    "think_tank": "think tank",
    "media": "media",
    "": "",
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


def claimant_type_color(claimant_type: str | None) -> str:
    return CLAIMANT_TYPE_COLORS.get(claimant_type or "", CLAIMANT_TYPE_COLORS[""])


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
