"""The house theme: one look for every chart in every report.

Colour rules (REPORT_DESIGN.md): one accent colour for what a headline is about, greys for the
rest, a colour-blind-safe palette (seaborn ``colorblind``) when several series must be told apart,
the same colour meaning the same thing everywhere. ``GOOD``/``BAD`` mark better/worse, never
up/down.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import seaborn as sns

__all__ = [
    "ACCENT",
    "BAD",
    "GOOD",
    "GREY",
    "LIGHT_GREY",
    "TEXT",
    "new_figure",
    "palette",
    "set_theme",
]

# seaborn "colorblind" palette: blue, orange, green, red-ish, purple, ...
_COLORBLIND = [
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#949494",
    "#ece133",
    "#56b4e9",
]
ACCENT = "#0173b2"  # what the headline is about
GOOD = "#029e73"  # better than the comparison
BAD = "#d55e00"  # worse than the comparison
GREY = "#7f7f7f"  # everything else
LIGHT_GREY = "#c7c7c7"  # reference lines, limits, backgrounds
TEXT = "#222222"

FIG_WIDTH = 9.0  # inches; with the report's ~110 dpi fits a laptop screen without scrolling
FIG_HEIGHT = 4.2


def palette(n: int) -> list[str]:
    """``n`` colour-blind-safe colours (the accent first)."""
    return [_COLORBLIND[i % len(_COLORBLIND)] for i in range(n)]


def set_theme(**overrides: Any) -> None:
    """Apply the house theme to matplotlib/seaborn (idempotent).

    Light grid on the value axis only, no top/right spines, text at least 10 pt at the rendered
    size, the colour-blind palette as the colour cycle. Text is always literal
    (``text.parse_math`` off): labels come from the data, and a lead source called
    "Big $$ deals" or an amount "$1.2M to $1.5M" must not be read as mathtext.
    """
    sns.set_theme(style="whitegrid", palette=_COLORBLIND, font_scale=1.0)
    rc = {
        "figure.figsize": (FIG_WIDTH, FIG_HEIGHT),
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "savefig.bbox": "tight",
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 12,
        "axes.labelsize": 11,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": LIGHT_GREY,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e6e6e6",
        "grid.linewidth": 0.8,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "legend.frameon": False,
        "legend.fontsize": 10,
        "text.color": TEXT,
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "sans-serif"],
        "axes.prop_cycle": mpl.cycler(color=_COLORBLIND),
        # every Text created afterwards (titles, tick labels, annotations, legends) is literal
        "text.parse_math": False,
    }
    rc.update(overrides)
    mpl.rcParams.update(rc)


def new_figure(width: float = FIG_WIDTH, height: float = FIG_HEIGHT, **kwargs: Any):
    """A new themed figure and axes: ``fig, ax = new_figure()``."""
    set_theme()
    fig, ax = plt.subplots(figsize=(width, height), **kwargs)
    return fig, ax
