"""Charts of the sales KPI scorecard: trend small multiples and the change chart.

Data first, keyword-only options, ``ax=None``, each returns the ``Axes`` it drew on (the small
multiples return their first panel; ``ax.figure`` is the whole chart).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from salesops_lib.i18n import _
from salesops_lib.viz.theme import ACCENT, BAD, GOOD, GREY, LIGHT_GREY, set_theme

__all__ = ["plot_changes", "plot_trends"]


def plot_trends(
    frame: pd.DataFrame,
    *,
    keys: Sequence[str],
    labels: Sequence[str],
    formatter: Callable[[str, float], str],
    titles: Mapping[str, str] | None = None,
    targets: Mapping[str, float] | None = None,
    ticks: Callable[[str, float], str] | None = None,
    ncols: int = 4,
    ax: Any = None,
) -> Any:
    """Small multiples: one sparkline per KPI over the trend periods, the last one labelled.

    Parameters
    ----------
    frame
        Long table ``kpi, pos, value, ci_low, ci_high`` (``pos``: index of the period in
        ``labels``).
    keys
        KPIs to draw, in order.
    labels
        Short period labels (x axis: first and last are written).
    formatter
        ``formatter(kpi, value)`` → text with the unit.
    titles
        KPI → panel title (default: the key).
    targets
        KPI → target, drawn as a dashed line.
    ticks
        ``ticks(kpi, value)`` → short y-axis label in the KPI's unit.
    ax
        Draw inside this Axes' area (it is replaced by the grid of panels).
    """
    set_theme()
    keys = [k for k in keys if k in set(frame["kpi"])] or list(keys)[:1]
    n = max(len(keys), 1)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    if ax is None:
        fig = plt.figure(figsize=(2.4 * ncols + 0.6, 2.0 * nrows + 0.3))
        grid = fig.add_gridspec(nrows, ncols, hspace=1.15, wspace=0.45)
    else:
        fig = ax.figure
        grid = ax.get_subplotspec().subgridspec(nrows, ncols, hspace=1.15, wspace=0.45)
        ax.remove()
    axes = []
    for j, key in enumerate(keys):
        a = fig.add_subplot(grid[j // ncols, j % ncols])
        axes.append(a)
        d = frame[frame["kpi"] == key]
        x = d["pos"].to_numpy(dtype=float)
        y = d["value"].to_numpy(dtype=float)
        lo = d["ci_low"].to_numpy(dtype=float)
        hi = d["ci_high"].to_numpy(dtype=float)
        if np.isfinite(lo).any():
            a.fill_between(x, lo, hi, color=ACCENT, alpha=0.15, lw=0)
        a.plot(x, y, color=GREY, lw=1.4)
        if len(y) and np.isfinite(y[-1]):
            a.plot(x[-1:], y[-1:], "o", color=ACCENT, ms=5)
        if targets and key in targets:
            a.axhline(targets[key], color=LIGHT_GREY, ls="--", lw=1.2)
        last = formatter(key, y[-1]) if len(y) else ""
        title = textwrap.fill((titles or {}).get(key, key), 26)
        a.set_title(title, fontsize=9, loc="left", pad=16, fontweight="normal")
        a.text(
            0,
            1.02,
            last,
            transform=a.transAxes,
            fontsize=10,
            fontweight="bold",
            color=ACCENT,
            va="bottom",
        )
        a.set_xlim(-0.3, len(labels) - 0.7)
        a.set_xticks([0, len(labels) - 1])
        a.set_xticklabels([labels[0], labels[-1]], fontsize=8)
        a.tick_params(axis="y", labelsize=8)
        if ticks is not None:
            a.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos, k=key: ticks(k, v)))
        a.yaxis.set_major_locator(MaxNLocator(3))
        a.grid(axis="x", visible=False)
        finite = np.concatenate([y[np.isfinite(y)], lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
        if finite.size and finite.min() >= 0:
            a.set_ylim(bottom=0, top=max(finite.max() * 1.15, 1e-9))
    return axes[0] if axes else fig.add_subplot(grid[0, 0])


def plot_changes(frame: pd.DataFrame, *, ax: Any = None) -> Any:
    """Horizontal bars: each KPI's change relative to the previous period, coloured by verdict.

    ``frame`` has ``label, relative, low, high, good`` (``good`` True / False / None = within
    chance or no change); intervals are drawn where known.
    """
    set_theme()
    d = frame.sort_values("relative").reset_index(drop=True)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.0, 0.32 * max(len(d), 3) + 1.0))
    colours = [GOOD if g is True else BAD if g is False else LIGHT_GREY for g in d["good"]]
    y = np.arange(len(d))
    ax.barh(y, 100 * d["relative"], color=colours, height=0.65)
    has = d["low"].notna() & d["high"].notna()
    if has.any():
        ax.errorbar(
            100 * d.loc[has, "relative"],
            y[has.to_numpy()],
            xerr=[
                100 * (d.loc[has, "relative"] - d.loc[has, "low"]),
                100 * (d.loc[has, "high"] - d.loc[has, "relative"]),
            ],
            fmt="none",
            ecolor=GREY,
            elinewidth=1,
            capsize=2,
        )
    ax.axvline(0, color=GREY, lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels(d["label"])
    ax.set_xlabel(_("change against the previous period (%)"))
    ax.grid(axis="y", visible=False)
    if len(d):
        lim = np.nanmax(np.abs(100 * np.r_[d["relative"], d["low"].dropna(), d["high"].dropna()]))
        lim = min(max(lim * 1.1, 5.0), 200.0)
        ax.set_xlim(-lim, lim)
    return ax
