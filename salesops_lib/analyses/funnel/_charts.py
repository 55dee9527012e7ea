"""Funnel charts in the house theme: step bars, segment dot-and-whisker, time curves, cohorts.

Every function takes a tidy frame first (the tables of :mod:`salesops_lib.analyses.funnel`),
options keyword-only, draws on ``ax`` (a new themed figure when ``None``) and returns the Axes.
``title`` should state the finding; the result objects write such titles from the numbers.
The accent colour marks what the headline is about (the biggest leak, the extreme segments, a
clear change); everything else is grey. Small samples get hollow markers and a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, babel_locale, current_language
from salesops_lib.viz.format import fmt_date, fmt_int, fmt_pct, fmt_pp
from salesops_lib.viz.theme import ACCENT, BAD, GOOD, GREY, LIGHT_GREY, TEXT, new_figure

__all__ = [
    "cohort_heatmap",
    "comparison_plot",
    "funnel_plot",
    "segment_plot",
    "time_to_convert_plot",
]


def _require(df: Any, cols: Sequence[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ParamsError(name, f"got {type(df).__name__}", expected="a pandas DataFrame")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParamsError(
            name,
            f"has no column(s) {missing} (columns: {list(df.columns)})",
            expected=f"a tidy frame with {list(cols)}",
        )


def _ax(ax: Axes | None, height: float, width: float | None = None) -> Axes:
    if ax is None:
        if width is None:
            _, ax = new_figure(height=height)
        else:
            _, ax = new_figure(width=width, height=height)
    return ax


def _pct(x: float) -> str:
    """A rate on a chart: ``"23.4%"`` (``"23,4%"`` in Italian)."""
    return f"{100 * x:.1f}%" if current_language() == "en" else fmt_pct(x)


def _int(x: float) -> str:
    """A count on a chart: ``"1,234"`` (``"1.234"`` in Italian)."""
    return f"{int(x):,}" if current_language() == "en" else fmt_int(int(x))


def _overall(step: str) -> str:
    """``"created→won (overall)"`` (the comparison's last row) in the reader's language."""
    if step.endswith(" (overall)"):
        return _("{step} (overall)").format(step=step.removesuffix(" (overall)"))
    return step


def _cohort_label(label: str, start: Any = None) -> str:
    """A cohort's label in the reader's language: ``"Jan 2026"`` → ``"gen 2026"``,
    ``"w/c 05 Jan 2026"`` → ``"sett. dal 5 gen 2026"``; English labels unchanged."""
    if current_language() == "en" or start is None or pd.isna(start):
        return label
    if label.startswith("w/c "):
        return _("w/c {date}").format(date=fmt_date(start))
    return format_date(pd.Timestamp(start).date(), "MMM y", locale=babel_locale())


def _pct_axis(axis: Any) -> None:
    """Percent ticks, none beyond 100% (the room to the right is for labels)."""
    locs = axis.get_ticklocs()
    whole = len(locs) < 2 or float(np.min(np.diff(locs))) >= 0.01 - 1e-9
    # whole percents when ticks are at least a point apart ("60%", not "60.0%")
    axis.set_major_formatter(PercentFormatter(1.0, decimals=0 if whole else None))
    lo, hi = axis.get_view_interval()
    ticks = [t for t in axis.get_ticklocs() if -1e-9 <= t <= 1.0 + 1e-9]
    if hi > 1.0 and ticks:
        axis.set_ticks(ticks)
        axis.axes.set_xlim(lo, hi) if axis.axis_name == "x" else axis.axes.set_ylim(lo, hi)


def _pp_axis(axis: Any) -> None:
    """Percentage-point ticks on 1-2-5 steps, each labelled with the decimals its spacing needs.

    The locator works on whole percentage points (``steps=[1, 2, 5, 10]`` of a power of ten, on
    the ×100 scale) so a label never rounds away from its tick (no "+2 pp" at +2.5 pp).
    """
    axis.set_major_locator(_PPLocator())

    def fmt(v: float, _pos: Any) -> str:
        locs = axis.get_majorticklocs()
        step = float(np.min(np.diff(locs))) * 100 if len(locs) > 1 else 1.0
        digits = max(0, int(-np.floor(np.log10(step) + 1e-9))) if step > 0 else 0
        return "0" if abs(v) < 1e-12 else fmt_pp(v, digits)

    axis.set_major_formatter(FuncFormatter(fmt))


class _PPLocator(MaxNLocator):
    """``MaxNLocator(steps=[1, 2, 5, 10])`` on the percentage-point scale (data are fractions)."""

    def __init__(self) -> None:
        super().__init__(nbins="auto", steps=[1, 2, 5, 10])

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        return np.asarray(super().tick_values(100 * vmin, 100 * vmax)) / 100


def funnel_plot(
    steps: pd.DataFrame,
    *,
    highlight: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    level: str = "95%",
) -> Axes:
    """Horizontal bars of each step's conversion rate (from zero) with interval whiskers at
    ``level``.

    Parameters
    ----------
    steps
        ``FunnelSteps.table``: ``step, entered, converted, rate, ci_low, ci_high``.
    highlight
        The step drawn in the accent colour (the biggest leak).

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(steps, ["step", "entered", "converted", "rate", "ci_low", "ci_high"], "steps")
    df = steps.reset_index(drop=True)
    ax = _ax(ax, height=max(2.4, 0.75 * len(df) + 1.2))
    y = np.arange(len(df))[::-1]  # funnel order top to bottom
    colors = [ACCENT if s == highlight else LIGHT_GREY for s in df["step"]]
    rate = df["rate"].astype(float).fillna(0).to_numpy()
    ax.barh(y, rate, color=colors, height=0.62, zorder=2)
    lo = df["ci_low"].astype(float).to_numpy()
    hi = df["ci_high"].astype(float).to_numpy()
    ok = np.isfinite(lo) & np.isfinite(hi)
    ax.errorbar(
        rate[ok],
        y[ok],
        xerr=[rate[ok] - lo[ok], hi[ok] - rate[ok]],
        fmt="none",
        ecolor=TEXT,
        elinewidth=1.4,
        capsize=4,
        zorder=3,
    )
    xmax = min(1.0, float(np.nanmax(np.where(ok, hi, rate))) if len(df) else 1.0)
    for yi, (_i, r), h in zip(y, df.iterrows(), np.where(ok, hi, rate), strict=True):
        ax.annotate(
            _("{rate}  ({converted} of {entered})").format(
                rate=_pct(r["rate"]), converted=_int(r["converted"]), entered=_int(r["entered"])
            )
            if np.isfinite(r["rate"])
            else _("no entrants"),
            (h, yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=TEXT,
            fontweight="bold" if r["step"] == highlight else "normal",
        )
    ax.set_yticks(y, [s.replace("→", " → ") for s in df["step"]])
    ax.set_xlim(0, min(1.3, xmax * 1.45 + 0.02))
    _pct_axis(ax.xaxis)
    ax.set_xlabel(
        _("Step conversion rate (converted within the window / entered), {level} interval").format(
            level=level
        )
    )
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    return ax


def segment_plot(
    segments: pd.DataFrame,
    *,
    pooled: float | None = None,
    min_size: int = 30,
    highlight: Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    level: str = "95%",
) -> Axes:
    """Dot-and-whisker of one step's rate per segment, sorted by rate.

    The lowest and highest non-small segments are in the accent colour (unless ``highlight`` is
    given); small segments (``small`` column or ``entered < min_size``) get hollow markers and
    a note; a dashed line marks the pooled rate.
    """
    _require(segments, ["segment", "entered", "rate", "ci_low", "ci_high"], "segments")
    df = segments.dropna(subset=["rate"]).sort_values("rate", kind="stable").reset_index(drop=True)
    small = df["small"].astype(bool) if "small" in df else df["entered"] < min_size
    # only ranked segments are coloured as lowest/highest (not small ones, not "(missing)")
    big = df[df["rank"].notna()] if "rank" in df else df[~small]
    if highlight is None:
        hs = {str(big["segment"].iloc[0]), str(big["segment"].iloc[-1])} if len(big) >= 2 else set()
    else:
        hs = set(highlight)
    ax = _ax(ax, height=max(2.2, 0.45 * len(df) + 1.3))
    y = np.arange(len(df))
    for yi, r in df.iterrows():
        c = ACCENT if str(r["segment"]) in hs and not small[yi] else GREY
        hollow = bool(small[yi])
        ax.plot([r["ci_low"], r["ci_high"]], [yi, yi], color=c, lw=2.2, solid_capstyle="round")
        ax.plot(r["rate"], yi, "o", ms=8, color=c, mew=2, markerfacecolor="white" if hollow else c)
        ax.annotate(
            f"{_pct(r['rate'])}  (n = {_int(r['entered'])})",
            (r["ci_high"], yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=TEXT,
        )
    if pooled is not None and np.isfinite(pooled):
        ax.axvline(pooled, color=LIGHT_GREY, ls="--", lw=1.2, zorder=0)
        ax.annotate(
            _("all: {rate}").format(rate=_pct(pooled)),
            (pooled, len(df) - 0.45),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=10,
            color=GREY,
            va="bottom",
        )
    ax.set_yticks(y, df["segment"].astype(str).tolist())
    # zoom to the intervals and the pooled line; room on the right for the value labels
    ends = [*df["ci_low"].astype(float), *df["ci_high"].astype(float)]
    if pooled is not None and np.isfinite(pooled):
        ends.append(float(pooled))
    ends = [e for e in ends if np.isfinite(e)]
    lo, hi = (min(ends), max(ends)) if ends else (0.0, 1.0)
    span = max(hi - lo, 0.1)
    ax.set_xlim(max(0.0, lo - 0.08 * span), hi + 0.55 * span)
    ax.set_ylim(-0.7, len(df) - 0.1)
    _pct_axis(ax.xaxis)
    step = str(df["step"].iloc[0]).replace("→", " → ") if "step" in df and len(df) else ""
    ax.set_xlabel(
        (
            _("{step} conversion rate, {level} interval").format(step=step, level=level)
            if step
            else _("conversion rate, {level} interval").format(level=level)
        ).strip()
    )
    ax.grid(axis="y", visible=False)
    if small.any():
        ax.text(
            0,
            -0.2 - 0.02 * max(0, 10 - len(df)),
            _("Hollow markers: fewer than {n} entered (not ranked).").format(n=min_size),
            transform=ax.transAxes,
            fontsize=10,
            color=GREY,
        )
    if title:
        ax.set_title(title)
    return ax


def time_to_convert_plot(
    curves: pd.DataFrame,
    *,
    highlight: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    level: str = "95%",
) -> Axes:
    """Share converted within N days per step (Kaplan–Meier, open entities censored), with bands.

    Parameters
    ----------
    curves
        ``TimeToConvert.curves``: ``step, day, converted, ci_low, ci_high``.
    highlight
        The step in the accent colour (others grey); lines are labelled at their end.
    """
    _require(curves, ["step", "day", "converted", "ci_low", "ci_high"], "curves")
    ax = _ax(ax, height=4.4)
    steps = list(dict.fromkeys(curves["step"]))
    ends = []
    for s in steps:
        c = curves[curves["step"] == s].dropna(subset=["converted"])
        if c.empty:
            continue
        col = ACCENT if s == highlight else GREY
        lw = 2.6 if s == highlight else 1.6
        ax.step(c["day"], c["converted"], where="post", color=col, lw=lw)
        ax.fill_between(
            c["day"], c["ci_low"], c["ci_high"], step="post", color=col, alpha=0.15, lw=0
        )
        ends.append([float(c["day"].iloc[-1]), float(c["converted"].iloc[-1]), s, col])
    # direct labels at the line ends, nudged apart
    ends.sort(key=lambda e: e[1])
    min_gap = 0.045
    for i in range(1, len(ends)):
        if ends[i][1] - ends[i - 1][1] < min_gap:
            ends[i][1] = ends[i - 1][1] + min_gap
    for x, yv, s, col in ends:
        ax.annotate(
            s.replace("→", " → "),
            (x, yv),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=col if col == ACCENT else TEXT,
        )
    dmax = float(curves["day"].max()) if len(curves) else 1.0
    ax.set_xlim(0, dmax * 1.3)
    ax.set_ylim(
        0, min(1.0, float(np.nanmax(curves["ci_high"])) * 1.1 + 0.02) if len(curves) else 1.0
    )
    _pct_axis(ax.yaxis)
    ax.set_xlabel(_("Days since reaching the earlier stage"))
    ax.set_ylabel(_("Share converted ({level} band)").format(level=level))
    if title:
        ax.set_title(title)
    return ax


def cohort_heatmap(
    cohorts: pd.DataFrame,
    *,
    stages: Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cohort × stage matrix of conversion; incomplete cells hatched and labelled "open".

    Parameters
    ----------
    cohorts
        ``CohortMatrix.table``: ``cohort_label, stage, n, rate, complete``.
    stages
        Column order (default: order of appearance).
    """
    _require(cohorts, ["cohort_label", "stage", "n", "rate", "complete"], "cohorts")
    stages = list(stages) if stages is not None else list(dict.fromkeys(cohorts["stage"]))
    rows = list(dict.fromkeys(cohorts["cohort_label"]))
    rate = cohorts.pivot(index="cohort_label", columns="stage", values="rate").reindex(
        index=rows, columns=stages
    )
    comp = cohorts.pivot(index="cohort_label", columns="stage", values="complete").reindex(
        index=rows, columns=stages
    )
    n = cohorts.drop_duplicates("cohort_label").set_index("cohort_label")["n"].reindex(rows)
    shown = rate.where(comp.astype(bool))
    ax = _ax(ax, height=max(2.5, 0.36 * len(rows) + 1.4), width=9.0)
    vmax = (
        float(np.nanmax(shown.to_numpy(dtype=float)))
        if np.isfinite(shown.to_numpy(dtype=float)).any()
        else 1.0
    )
    sns.heatmap(
        shown.astype(float),
        ax=ax,
        cmap="Blues",
        vmin=0,
        vmax=vmax,
        cbar=False,
        linewidths=1,
        linecolor="white",
        annot=False,
    )
    for i, _lab in enumerate(rows):
        for j, _st in enumerate(stages):
            v = rate.iloc[i, j]
            done = bool(comp.iloc[i, j]) if pd.notna(comp.iloc[i, j]) else False
            if not done:
                ax.add_patch(
                    Rectangle(
                        (j, i), 1, 1, facecolor="#f4f4f4", hatch="///", edgecolor=LIGHT_GREY, lw=0
                    )
                )
                ax.text(
                    j + 0.5, i + 0.5, _("open"), ha="center", va="center", fontsize=9, color=GREY
                )
            elif pd.notna(v):
                dark = vmax > 0 and v / vmax > 0.6
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    _pct(v),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if dark else TEXT,
                )
    starts = cohorts.drop_duplicates("cohort_label").set_index("cohort_label")
    starts = starts["cohort"] if "cohort" in starts else pd.Series(dtype=object)
    ax.set_yticks(
        np.arange(len(rows)) + 0.5,
        [f"{_cohort_label(r, starts.get(r))}  (n = {_int(n[r])})" for r in rows],
        rotation=0,
    )
    ax.set_xticks(
        np.arange(len(stages)) + 0.5,
        [_("reached {stage}").format(stage=s) for s in stages],
        rotation=0,
    )
    ax.set_xlabel("")
    ax.set_ylabel(_("Creation cohort"))
    ax.tick_params(axis="both", length=0)
    ax.xaxis.tick_top()
    if title:
        ax.set_title(title, pad=28)
    return ax


def comparison_plot(
    comparison: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    level: str = "95%",
) -> Axes:
    """Change of each step's rate vs the previous period (percentage points) with intervals at
    ``level``.

    Clear changes (Holm-adjusted p below alpha) are coloured good/bad; the rest grey. A line marks
    no change.
    """
    _require(comparison, ["step", "diff", "diff_ci_low", "diff_ci_high"], "comparison")
    df = comparison.dropna(subset=["diff"]).reset_index(drop=True)
    ax = _ax(ax, height=max(2.2, 0.55 * len(df) + 1.2))
    y = np.arange(len(df))[::-1]
    for yi, (_i, r) in zip(y, df.iterrows(), strict=True):
        clear = bool(r.get("clear", False))
        col = (GOOD if r["diff"] > 0 else BAD) if clear else GREY
        ax.plot(
            [r["diff_ci_low"], r["diff_ci_high"]],
            [yi, yi],
            color=col,
            lw=2.2,
            solid_capstyle="round",
        )
        ax.plot(r["diff"], yi, "o", ms=8, color=col)
        ax.annotate(
            fmt_pp(r["diff"])
            if clear
            else _("{change}  (within chance)").format(change=fmt_pp(r["diff"])),
            (r["diff_ci_high"], yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=TEXT,
        )
    ax.axvline(0, color=TEXT, lw=1)
    labels = [_overall(s).replace("→", " → ") for s in df["step"]]
    ax.set_yticks(y, labels)
    span = (
        float(np.nanmax(np.abs(df[["diff_ci_low", "diff_ci_high"]].to_numpy(dtype=float))))
        if len(df)
        else 0.1
    )
    ax.set_xlim(-span * 1.2 - 0.005, span * 1.9 + 0.005)
    _pp_axis(ax.xaxis)
    ax.set_xlabel(
        _(
            "Change in conversion rate vs previous period (percentage points), {level} interval"
        ).format(level=level)
    )
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    return ax
