"""Charts of the pipeline forecast: the fan (distribution of bookings), the deals that matter
most, the backtest panel and the calibration chart.

Data first, keyword-only options, ``ax=None``, each returns the ``Axes`` it drew on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from salesops_lib.analyses._period_text import month_short as _month
from salesops_lib.i18n import _
from salesops_lib.viz.theme import ACCENT, BAD, GREY, LIGHT_GREY, TEXT, set_theme

__all__ = ["plot_backtest", "plot_calibration", "plot_deals", "plot_fan"]


def plot_fan(
    sample: np.ndarray,
    *,
    target: float,
    weighted: float,
    commit: float,
    best_case: float,
    money: Callable[[float], str],
    title: str = "",
    ax: Any = None,
) -> Any:
    """Distribution of simulated bookings: the P10–P90 band shaded, P50 marked, the target and
    the CRM figures (weighted pipeline, commit, best case) as reference lines."""
    set_theme()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.0, 4.2))
    x = np.asarray(sample, dtype=float)
    p10, p50, p90 = np.quantile(x, [0.1, 0.5, 0.9])
    ax.hist(x, bins=60, color=LIGHT_GREY, edgecolor="white")
    ax.axvspan(p10, p90, color=ACCENT, alpha=0.12, lw=0)
    ax.axvline(p50, color=ACCENT, lw=2.2)
    top = ax.get_ylim()[1]
    ax.text(p50, top * 0.97, f" P50 {money(p50)}", color=ACCENT, va="top", fontweight="bold")
    ax.text(p10, top * 0.86, f"P10 {money(p10)} ", color=ACCENT, va="top", ha="right", fontsize=9)
    ax.text(p90, top * 0.86, f" P90 {money(p90)}", color=ACCENT, va="top", fontsize=9)
    refs = [
        (target, _("target"), BAD, "-"),
        (weighted, _("CRM weighted"), GREY, "--"),
        (commit, _("commit"), GREY, ":"),
        (best_case, _("best case"), GREY, "-."),
    ]
    for i, (v, label, colour, ls) in enumerate(refs):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        ax.axvline(v, color=colour, ls=ls, lw=1.4)
        ax.text(v, top * (0.62 - 0.1 * i), f" {label} {money(v)}", color=colour, fontsize=9)
    ax.set_yticks([])
    ax.set_ylabel(_("share of simulations"))
    ax.set_xlabel(_("bookings in the period"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v)))
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)  # literal: set_theme() turns mathtext off
    return ax


def plot_deals(deals: pd.DataFrame, *, money: Callable[[float], str], ax: Any = None) -> Any:
    """Horizontal bars of the deals that matter most: amount, and the part expected (× win
    probability), labelled with the probability."""
    set_theme()
    d = deals.iloc[::-1].reset_index(drop=True)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.0, 0.38 * max(len(d), 3) + 1.0))
    y = np.arange(len(d))
    ax.barh(y, d["value"], color=LIGHT_GREY, height=0.65, label=_("amount if won"))
    ax.barh(y, d["p"].fillna(0) * d["value"], color=ACCENT, height=0.65, label=_("expected"))
    for yi, (v, p) in enumerate(zip(d["value"], d["p"], strict=True)):
        ax.text(
            v,
            yi,
            _("  {pct}% to win").format(pct=f"{100 * p:.0f}"),
            va="center",
            fontsize=9,
            color=TEXT,
        )
    ax.set_yticks(y)
    ax.set_yticklabels([f"{o} · {s}" for o, s in zip(d["oid"], d["stage"], strict=True)])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v)))
    ax.set_xlim(0, float(d["value"].max()) * 1.3 if len(d) else 1)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    ax.set_title(_("The deals whose outcome moves the period most"))
    return ax


def plot_backtest(
    frame: pd.DataFrame, *, money: Callable[[float], str], title: str = "", ax: Any = None
) -> Any:
    """Past windows: the 80% interval (P10–P90) and P50 of each forecast against the actual
    bookings, with the CRM weighted pipeline and the run rate as markers."""
    set_theme()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.0, 4.4))
    x = np.arange(len(frame))
    ax.vlines(x, frame["forecast_p10"], frame["forecast_p90"], color=ACCENT, lw=7, alpha=0.25)
    ax.plot(
        x,
        frame["forecast_p50"],
        "_",
        color=ACCENT,
        ms=16,
        mew=2.5,
        label=_("kit P50 (bar: 80% interval)"),
    )
    ax.plot(x, frame["weighted_pipeline"], "x", color=GREY, ms=6, label=_("CRM weighted pipeline"))
    ax.plot(x, frame["run_rate"], "^", color=LIGHT_GREY, ms=6, label=_("run rate"))
    inside = (frame["actual"] >= frame["forecast_p10"]) & (frame["actual"] <= frame["forecast_p90"])
    ax.scatter(
        x[inside], frame.loc[inside, "actual"], color=TEXT, zorder=3, s=30, label=_("actual")
    )
    ax.scatter(
        x[~inside],
        frame.loc[~inside, "actual"],
        color=BAD,
        zorder=3,
        s=30,
        label=_("actual, outside the interval"),
    )
    ax.set_xticks(x)
    ax.set_xticklabels([_month(s) for s in frame["start"]], fontsize=9)
    ax.set_xlabel(_("window starting (forecast made the day before)"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: money(v)))
    ax.set_ylim(bottom=0)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=9)
    if title:
        ax.set_title(title)  # literal: set_theme() turns mathtext off
    return ax


def plot_calibration(pit: np.ndarray, *, ax: Any = None) -> Any:
    """Calibration: for each nominal level q, the share of past actuals at or below the
    forecast's q-quantile (the diagonal is perfect calibration)."""
    set_theme()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(5.0, 4.6))
    q = np.linspace(0, 1, 21)
    pit = np.asarray(pit, dtype=float)
    obs = [float(np.mean(pit <= v)) if pit.size else math.nan for v in q]
    ax.plot([0, 1], [0, 1], color=LIGHT_GREY, ls="--", lw=1.2, label=_("perfect"))
    ax.step(
        q,
        obs,
        where="post",
        color=ACCENT,
        lw=2,
        label=_("kit ({n} past windows)").format(n=pit.size),
    )
    ax.set_xlabel(_("forecast quantile level"))
    ax.set_ylabel(_("share of actuals below it"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{100 * v:.0f}%"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{100 * v:.0f}%"))
    ax.legend(loc="upper left")
    ax.set_title(_("Calibration of the past forecasts"))
    return ax
