"""Charts for rep benchmarking: leaderboard, funnel plot, attainment histogram, territory balance.

Every function takes a tidy frame first (the tables of
:class:`~salesops_lib.analyses.benchmark.BenchmarkResult`), options keyword-only, draws on ``ax``
(a new themed figure when ``None``) and returns the Axes. Titles state the finding and are passed
in by the caller. House rules: one accent colour for what the headline is about, greys for the
rest; intervals always drawn; small samples hollow with an "n < 30" note; percentages as
percentages; bars from zero; sorted by value; direct labels instead of legends where possible.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from salesops_lib.analyses.benchmark._words import direction_label, fx, group_value, status_label
from salesops_lib.i18n import _, current_language, ngettext
from salesops_lib.viz.theme import ACCENT, BAD, GOOD, GREY, LIGHT_GREY, TEXT, new_figure

__all__ = [
    "plot_attainment",
    "plot_funnel",
    "plot_leaderboard",
    "plot_territory_balance",
]


def _ax(ax: Any, width: float, height: float) -> Any:
    if ax is None:
        _, ax = new_figure(width, height)
    return ax


def _pct(v: float, digits: int = 0) -> str:
    """A tick or label percentage (``37.4%``; ``37,4%`` in Italian)."""
    return fx(100 * v, f".{digits}f") + "%"


class _CommaPercent(PercentFormatter):
    """Percent ticks with a decimal comma (Italian)."""

    def __call__(self, x: float, pos: Any = None) -> str:
        return super().__call__(x, pos).replace(".", ",")


def _percent_axis(axis: Any, decimals: int | None) -> None:
    """Percent ticks, written with the reader's decimal separator."""
    cls = PercentFormatter if current_language() == "en" else _CommaPercent
    axis.set_major_formatter(cls(1.0, decimals=decimals))


def _label(row: pd.Series) -> str:
    name = row.get("name")
    rid = row.get("rep_id", "")
    return f"{name} ({rid})" if isinstance(name, str) and name != rid else str(rid)


def plot_leaderboard(
    reps: pd.DataFrame,
    *,
    company_rate: float | None = None,
    small_n: int = 30,
    above: Sequence[str] | None = None,
    below: Sequence[str] | None = None,
    watch: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Dot-and-whisker leaderboard of win rates, sorted by the shrunk estimate.

    Each rep: the observed win rate (dot) with its interval (whisker, ``ci_low``–``ci_high``) and
    the shrunk estimate (vertical tick). Reps with fewer than ``small_n`` closed deals are drawn
    hollow. Only reps listed in ``above`` (accent colour) and ``below`` ("worse" colour) are
    coloured: pass the multiplicity-aware lists of
    :class:`~salesops_lib.analyses.benchmark.BenchmarkResult` (recognition/coaching), not a
    per-rep 95% rule, which with ~25 reps colours about one rep per side by chance. Reps in
    ``watch`` stay grey; their label carries the wording given (e.g. "probably above").

    Parameters
    ----------
    reps
        Columns ``rep_id, win_rate, ci_low, ci_high, shrunk_win_rate, closed`` (``name``,
        ``shrunk_low``, ``shrunk_high`` optional).
    company_rate
        Drawn as a vertical reference line.
    small_n
        Closed-deal count below which a rep is marked as a small sample.
    above, below
        Rep ids to draw in the accent / "worse" colour (e.g. the recognition and coaching lists).
    watch
        Rep id → wording for reps probably (not clearly) above/below, appended to the label.
    title
        Headline stating the finding.
    ax
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
    """
    d = reps.dropna(subset=["win_rate"]).sort_values("shrunk_win_rate").reset_index(drop=True)
    ax = _ax(ax, 9.0, max(3.0, 0.32 * len(d) + 1.4))
    y = np.arange(len(d))
    up, down = set(above or ()), set(below or ())
    for i, r in d.iterrows():
        colour = ACCENT if r["rep_id"] in up else (BAD if r["rep_id"] in down else GREY)
        small = r["closed"] < small_n
        ax.plot(
            [r["ci_low"], r["ci_high"]],
            [i, i],
            color=colour,
            lw=1.6,
            alpha=0.8,
            solid_capstyle="butt",
        )
        ax.plot(
            r["win_rate"],
            i,
            "o",
            ms=6,
            mec=colour,
            mfc="white" if small else colour,
            mew=1.5,
            zorder=3,
        )
        ax.plot(r["shrunk_win_rate"], i, "|", ms=12, mew=2.2, color=TEXT, zorder=4)
    ax.set_yticks(y)
    watch = dict(watch or {})
    ax.set_yticklabels(
        [
            f"{_label(r)}  n={int(r['closed'])}"
            + (f"  ({direction_label(watch[r['rep_id']])})" if r["rep_id"] in watch else "")
            for _i, r in d.iterrows()
        ]
    )
    if company_rate is not None:
        ax.axvline(company_rate, color=LIGHT_GREY, lw=1.5, ls="--", zorder=1)
        ax.annotate(
            _("company {rate}").format(rate=_pct(company_rate, 1)),
            (company_rate, len(d) - 0.4),
            xytext=(4, 0),
            textcoords="offset points",
            color=GREY,
            fontsize=10,
            va="bottom",
        )
    _percent_axis(ax.xaxis, 0)
    if len(d):  # zoom to the data, the company line always in view (a dot plot needs no zero)
        lo = min(float(d["ci_low"].min()), company_rate if company_rate is not None else 1.0)
        hi = max(float(d["ci_high"].max()), company_rate if company_rate is not None else 0.0)
        pad = max(0.02, 0.06 * (hi - lo))
        ax.set_xlim(max(0.0, lo - pad), min(1.0, hi + pad))
    else:
        ax.set_xlim(0, 1)
    ax.set_ylim(-0.7, len(d) - 0.1)
    ax.set_xlabel(_("Win rate (closed deals won), with 95% interval; tick = shrunk estimate"))
    ax.grid(axis="y", visible=False)
    n_small = int((d["closed"] < small_n).sum())
    if n_small:
        ax.text(
            1.0,
            -0.08 - 0.35 / max(len(d), 1),
            ngettext(
                "Hollow: n < {small_n} closed deals ({n} rep)",
                "Hollow: n < {small_n} closed deals ({n} reps)",
                n_small,
            ).format(small_n=small_n, n=n_small),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=10,
            color=GREY,
        )
    if title:
        ax.set_title(title)
    return ax


def plot_funnel(
    reps: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    p0: float,
    small_n: int = 30,
    label_outliers: bool = True,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Funnel plot: win rate against closed deals with 95% and 99.8% control limits.

    Parameters
    ----------
    reps
        Columns ``rep_id, closed, win_rate`` (``name`` optional).
    limits
        Control limits on a grid: ``n, lower_95, upper_95, lower_998, upper_998``.
    p0
        Target rate (the company rate), drawn as the funnel's centre line.
    small_n
        Reps with fewer closed deals are hollow.
    label_outliers
        Name the reps outside the 99.8% limits (accent above, "worse" colour below) and, in
        grey with "(possible)", those between the 95% and 99.8% limits. Only the former are
        coloured: with ~25 reps, about one lands outside the 95% limits by chance.

    Notes
    -----
    A rep's position comes from ``funnel_status`` when the column exists (exact limits at the
    rep's own n, as :class:`~salesops_lib.analyses.benchmark.BenchmarkResult` computes them),
    else from the limits interpolated at the rep's n.

    Returns
    -------
    matplotlib.axes.Axes
    """
    # 7.2 in wide (plus the right-edge labels): shown at full size in a 1000-px report column,
    # so 10-pt text stays 10 pt on screen
    ax = _ax(ax, 7.2, 4.8)
    lim = limits.sort_values("n")
    ax.plot(lim["n"], lim["upper_998"], color=GREY, lw=1.2)
    ax.plot(lim["n"], lim["lower_998"], color=GREY, lw=1.2)
    ax.plot(lim["n"], lim["upper_95"], color=LIGHT_GREY, lw=1.2, ls="--")
    ax.plot(lim["n"], lim["lower_95"], color=LIGHT_GREY, lw=1.2, ls="--")
    ax.axhline(p0, color=LIGHT_GREY, lw=1.0)
    d = reps.dropna(subset=["win_rate"])
    d = d[d["closed"] > 0]
    side = _funnel_side(d, lim)
    labels = []
    for (_i, r), where in zip(d.iterrows(), side, strict=True):
        colour = {"above": ACCENT, "below": BAD}.get(where, GREY)
        small = r["closed"] < small_n
        ax.plot(
            r["closed"],
            r["win_rate"],
            "o",
            ms=7,
            mec=colour,
            mfc="white" if small else colour,
            mew=1.5,
            zorder=3,
        )
        if label_outliers and where in ("above", "below"):
            labels.append((float(r["win_rate"]), float(r["closed"]), _label(r), colour))
        elif label_outliers and where.startswith("possible"):
            labels.append(
                (
                    float(r["win_rate"]),
                    float(r["closed"]),
                    _("{rep} (possible)").format(rep=_label(r)),
                    GREY,
                )
            )
    y_top = min(
        1.0,
        max(
            float(d["win_rate"].max()) if len(d) else 0.5,
            float(np.nanmax(lim["upper_95"])) if len(lim) else 0.5,
        )
        * 1.15,
    )
    ax.set_ylim(0, y_top)
    if len(lim):
        # line-end labels, stacked at least 6% of the axis height apart so that "95%" and
        # "company 37.4%" never overlap
        x_end = float(lim["n"].iloc[-1])
        ends = sorted(
            (
                (float(lim["upper_998"].iloc[-1]), _pct(0.998, 1)),
                (float(lim["upper_95"].iloc[-1]), "95%"),
                (float(p0), _("company {rate}").format(rate=_pct(p0, 1))),
            ),
            reverse=True,
        )
        prev = np.inf
        for y, text in ends:
            ty = min(y, prev - 0.06 * y_top)
            prev = ty
            ax.annotate(
                text,
                (x_end, y),
                xytext=(x_end * 1.015, ty),
                textcoords="data",
                va="center",
                fontsize=10,
                color=GREY,
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": GREY, "lw": 0.6}
                if abs(ty - y) > 1e-9
                else None,
            )
    # stack labels so they do not overlap: at least 5% of the axis height apart
    gap = 0.075 * y_top
    x_max = (float(lim["n"].max()) if len(lim) else float(d["closed"].max())) * 1.1
    placed: list[float] = []
    for y, x, text, colour in sorted(labels, reverse=True):
        ty = y if not placed else min(y, placed[-1] - gap) if y > placed[-1] - gap else y
        placed.append(ty)
        ax.annotate(
            text,
            (x, y),
            xytext=(x + 0.02 * x_max, ty),
            textcoords="data",
            fontsize=10,
            color=colour,
            va="center",
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6}
            if abs(ty - y) > 1e-9
            else None,
            ha="left",
        )
    _percent_axis(ax.yaxis, None)
    ax.set_xlim(0, x_max)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # deal counts: no 0.5 deals
    ax.set_xlabel(_("Closed deals in the period (n)"))
    ax.set_ylabel(_("Win rate"))
    ax.text(
        0.0,
        -0.14,
        _(
            "Dashed: 95% limits; solid: 99.8% limits. Coloured: outside 99.8%;\n"
            "grey label: possible (between 95% and 99.8%). Hollow: n < {small_n}."
        ).format(small_n=small_n),
        transform=ax.transAxes,
        fontsize=10,
        color=GREY,
        va="top",
    )
    if title:
        ax.set_title(textwrap.fill(title, 70))
    return ax


def _funnel_side(d: pd.DataFrame, lim: pd.DataFrame) -> list[str]:
    """ "above"/"below" (outside 99.8%), "possible above/below" (95–99.8%) or "within"."""
    if "funnel_status" in d.columns:
        out = []
        for st in d["funnel_status"].fillna("").astype(str):
            up = "above" in st
            if "99.8" in st:
                out.append("above" if up else "below")
            elif "95" in st:
                out.append("possible above" if up else "possible below")
            else:
                out.append("within")
        return out
    if not len(lim):
        return ["within"] * len(d)
    n, x = d["closed"].to_numpy(float), d["win_rate"].to_numpy(float)
    hi95, lo95 = (np.interp(n, lim["n"], lim[c]) for c in ("upper_95", "lower_95"))
    hi998, lo998 = (np.interp(n, lim["n"], lim[c]) for c in ("upper_998", "lower_998"))
    return [
        "above"
        if v > h9
        else "below"
        if v < l9
        else "possible above"
        if v > h5
        else "possible below"
        if v < l5
        else "within"
        for v, h9, l9, h5, l5 in zip(x, hi998, lo998, hi95, lo95, strict=True)
    ]


def plot_attainment(
    reps: pd.DataFrame,
    *,
    thresholds: Sequence[float] = (0.8, 1.0, 1.2),
    bin_width: float = 0.1,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Histogram of quota attainment by rep with reference lines at the thresholds.

    Bars at or above 100% are in the "better" colour, the rest grey; each reference line is
    labelled with the share of reps at or above it.

    Parameters
    ----------
    reps
        Column ``quota_attainment`` (fractions: 1.0 = 100%); NaN rows are ignored.
    thresholds
        Reference lines (fractions).
    bin_width
        Width of a bar (fraction of quota).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _ax(ax, 9.0, 4.2)
    a = reps["quota_attainment"].dropna().astype(float).to_numpy()
    cap = max(2.0, max(thresholds) + 2 * bin_width)
    top = min(cap, max(1.5, float(np.ceil((a.max() if len(a) else 1.5) / bin_width) * bin_width)))
    edges = np.arange(0.0, top + bin_width / 2, bin_width)
    n_capped = int((a >= edges[-1]).sum())
    counts, edges = np.histogram(np.clip(a, 0, edges[-1] - 1e-9), bins=edges)
    for c, lo in zip(counts, edges[:-1], strict=True):
        ax.bar(
            lo,
            c,
            width=bin_width * 0.92,
            align="edge",
            color=GOOD if lo >= 1.0 - 1e-9 else LIGHT_GREY,
            edgecolor="white",
        )
    ymax = max(counts.max() if len(counts) else 1, 1)
    for k, t in enumerate(sorted(thresholds)):
        share = float((a >= t - 1e-12).mean()) if len(a) else np.nan
        ax.axvline(t, color=TEXT if abs(t - 1.0) < 1e-9 else GREY, lw=1.3, ls="--")
        ax.annotate(
            _("≥{threshold}: {share} of reps").format(threshold=_pct(t), share=_pct(share)),
            (t, ymax * (1.04 + 0.13 * (len(thresholds) - 1 - k))),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=10,
            color=TEXT,
            va="bottom",
            bbox={"fc": "white", "ec": "none", "pad": 1.0},
        )
    ax.set_ylim(0, ymax * (1.2 + 0.13 * len(thresholds)))
    ax.set_xlim(0, edges[-1])
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda v, _: (
                f"{100 * v:.0f}%+" if n_capped and abs(v - edges[-1]) < 1e-9 else f"{100 * v:.0f}%"
            )
        )
    )
    if n_capped:
        ax.annotate(
            ngettext(
                "{n} rep at {pct} or more in the last bar",
                "{n} reps at {pct} or more in the last bar",
                n_capped,
            ).format(n=n_capped, pct=_pct(edges[-1])),
            (1.0, -0.2),
            xycoords="axes fraction",
            ha="right",
            va="top",
            fontsize=10,
            color=GREY,
        )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 reps
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.set_xlabel(_("Quota attainment (won amount ÷ adjusted quota)"))
    ax.set_ylabel(_("Reps"))
    if title:
        ax.set_title(title)
    return ax


def plot_territory_balance(
    balance: pd.DataFrame,
    *,
    metric: str = "leads_per_rep",
    unit: str | None = None,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Horizontal bars of a workload figure per rep by territory, sorted, overloaded in accent.

    A dashed line marks the median territory; bars start at zero and carry their value.

    Parameters
    ----------
    balance
        Columns ``territory, status`` and ``metric``.
    metric
        The per-rep figure to draw (``leads_per_rep``, ``accounts_per_rep``,
        ``open_pipeline_per_rep``, …).
    unit
        Axis label (with the unit); default "New leads per full-time rep in the period".

    Returns
    -------
    matplotlib.axes.Axes
    """
    d = balance.dropna(subset=[metric]).sort_values(metric).reset_index(drop=True)
    ax = _ax(ax, 9.0, max(2.8, 0.42 * len(d) + 1.2))
    colours = [
        ACCENT if s == "overloaded" else (BAD if s == "underloaded" else LIGHT_GREY)
        for s in d["status"]
    ]
    ax.barh(np.arange(len(d)), d[metric], color=colours, height=0.65)
    vmax = float(d[metric].max()) if len(d) else 1.0
    for i, v in enumerate(d[metric]):
        ax.annotate(
            fx(v, ",.0f"),
            (v, i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=TEXT,
        )
    if len(d):
        med = float(d[metric].median())
        ax.axvline(med, color=GREY, lw=1.2, ls="--")
        ax.annotate(
            _("median {value}").format(value=fx(med, ",.0f")),
            (med, len(d) - 0.5),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=10,
            color=GREY,
            va="bottom",
        )
    ax.set_yticks(np.arange(len(d)))
    ax.set_yticklabels(
        [
            f"{group_value(t)} ({status_label(s)})"
            if s in ("overloaded", "underloaded")
            else str(group_value(t))
            for t, s in zip(d["territory"], d["status"], strict=True)
        ]
    )
    ax.set_xlim(0, vmax * 1.15)
    ax.set_ylim(-0.6, len(d) - 0.4 + 0.6)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: fx(v, ",.0f")))
    ax.set_xlabel(unit if unit is not None else _("New leads per full-time rep in the period"))
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    return ax
