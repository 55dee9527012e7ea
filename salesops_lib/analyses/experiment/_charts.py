"""Charts of an A/B (or A/B/n) experiment: forest plot, per-arm rates, time-to-event curves, split.

Every function takes a tidy frame first, options keyword-only, draws on ``ax`` (a new themed
figure when ``None``) and returns the Axes. The ``title`` should state the finding ("Fast
follow-up lifts SQL conversion by 5.9 pp"); the result object in
:mod:`salesops_lib.analyses.experiment` writes such titles from the numbers.

Colour: the accent marks the arm the headline is about (significant and better, or the arm
passed as ``highlight``), ``BAD`` a significant harm, grey everything else. Small arms (fewer than
``small_n`` units) are drawn with hollow markers and a note.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, current_language
from salesops_lib.viz.format import fmt_money
from salesops_lib.viz.theme import ACCENT, BAD, GREY, LIGHT_GREY, TEXT, new_figure

__all__ = ["arm_rates_plot", "forest_plot", "km_plot", "split_plot", "unit_formatter"]

Unit = Literal["pp", "pct", "money", "days", "num"]


def _loc(text: str) -> str:
    """An English-formatted number in the current language: ``1,234.5`` → ``1.234,5``."""
    if current_language() == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _pp_unit() -> str:
    return "pp" if current_language() == "en" else "p.p."


def _day_unit() -> str:
    return "d" if current_language() == "en" else "g"


def _require(df: pd.DataFrame, cols: Sequence[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ParamsError(name, f"got {type(df).__name__}", expected="a pandas DataFrame")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParamsError(
            name,
            f"has no column(s) {missing} (columns: {list(df.columns)})",
            expected=f"a tidy frame with {list(cols)}",
        )


def unit_formatter(unit: str, currency: str = "USD") -> FuncFormatter:
    """Axis tick formatter: ``pp`` (+3 pp), ``pct`` (23%), ``money`` ($1.2M), ``days``, ``num``."""

    def num(x: float, sign: bool = False) -> str:
        # whole numbers when the tick is whole, one decimal otherwise (27.5% must not read "28%")
        body = f"{x:+.0f}" if sign else f"{x:.0f}"
        if abs(x - round(x)) > 1e-6:
            body = f"{x:+.1f}" if sign else f"{x:.1f}"
        return _loc(body.replace("-", "\u2212"))

    def f(v: float, _pos: Any = None) -> str:
        if unit == "pp":
            return f"{num(100 * v, True)} {_pp_unit()}" if v else "0"
        if unit == "pct":
            return f"{num(100 * v)}%"
        if unit == "relpct":
            return f"{num(100 * v, True)}%" if v else "0%"
        if unit == "money":
            return fmt_money(v, currency)
        if unit == "days":
            return f"{v:+.0f} {_day_unit()}" if v else "0"
        return _loc(f"{v:,.2g}")

    return FuncFormatter(f)


def _label_formatter(unit: str, currency: str = "USD") -> Any:
    """Formatter for value labels next to points: one decimal more than the ticks."""

    def f(v: float) -> str:
        if unit == "pp":
            return _loc(f"{100 * v:+.1f}".replace("-", "\u2212")) + f" {_pp_unit()}"
        if unit == "relpct":
            text = f"{100 * v:+.1f}%"
        elif unit == "money":
            return ("+" if v > 0 else "−" if v < 0 else "") + fmt_money(abs(v), currency)
        elif unit == "days":
            return _loc(f"{v:+.1f}".replace("-", "\u2212")) + f" {_day_unit()}"
        else:
            text = f"{v:+,.2f}"
        return _loc(text.replace("-", "\u2212"))

    return f


def _wrap(title: str, ax: Axes) -> str:
    """Wrap a headline to the figure's width (a long title would widen the saved PNG)."""

    width_in = ax.figure.get_figwidth()
    return "\n".join(textwrap.wrap(title, width=max(30, int(width_in * 8.5))))


def _ax(ax: Axes | None, height: float) -> Axes:
    if ax is None:
        _fig, ax = new_figure(height=height)
    return ax


def forest_plot(
    effects: pd.DataFrame,
    *,
    estimate: str = "abs_diff",
    low: str = "abs_ci_low",
    high: str = "abs_ci_high",
    label: str | Sequence[str] = ("metric", "variant"),
    unit: str = "pp",
    highlight: Sequence[str] | str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    currency: str = "USD",
    ax: Axes | None = None,
) -> Axes:
    """Forest plot: each effect (arm vs control, per metric) as a dot with its interval.

    Parameters
    ----------
    effects
        Tidy frame, one row per comparison, with columns ``estimate``, ``low``, ``high``, the
        ``label`` column(s) and optionally ``significant`` (bool) and ``better`` (bool: the effect
        goes in the good direction). Rows are drawn in the given order, top to bottom.
    estimate, low, high
        Column names of the effect and its interval (e.g. ``rel_lift``, ``rel_ci_low``, ...).
    label
        Column(s) joined with " · " to label each row.
    unit
        Tick format of the effect axis: ``pp`` (percentage points), ``relpct`` (relative %),
        ``money``, ``days`` or ``num``.
    highlight
        Labels (or the ``variant`` values) to draw in the accent colour; default: rows that are
        significant and better.
    title, xlabel, ax
        Headline (state the finding), axis label (default from ``unit``), axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
    """
    labels = [label] if isinstance(label, str) else list(label)
    _require(effects, [estimate, low, high, *labels], "effects")
    df = effects.reset_index(drop=True)
    if df.empty:
        raise ParamsError("effects", "is empty", expected="at least one comparison")
    use_labels = [c for c in labels if df[c].nunique() > 1] or labels[-1:]
    text = df[use_labels].astype(str).agg(" · ".join, axis=1)
    ax = _ax(ax, height=max(1.6, 0.55 * len(df) + 1.2))
    sig = (
        df["significant"].astype(bool) if "significant" in df else pd.Series(False, index=df.index)
    )
    better = df["better"].astype(bool) if "better" in df else pd.Series(True, index=df.index)
    if highlight is None:
        hl = sig & better
    else:
        hs = {highlight} if isinstance(highlight, str) else set(highlight)
        hl = text.isin(hs) | (df["variant"].astype(str).isin(hs) if "variant" in df else False)
    y = np.arange(len(df))[::-1]
    for yi, (_i, row), is_hl, is_sig, is_better in zip(
        y, df.iterrows(), hl, sig, better, strict=True
    ):
        est, lo, hi = float(row[estimate]), float(row[low]), float(row[high])
        color = ACCENT if is_hl else (BAD if is_sig and not is_better else GREY)
        if np.isfinite(lo) and np.isfinite(hi):
            ax.plot([lo, hi], [yi, yi], color=color, lw=2.4, solid_capstyle="round", zorder=2)
        if np.isfinite(est):
            ax.plot(est, yi, "o", color=color, ms=8, zorder=3)
            fmt = _label_formatter(unit, currency)
            ci = (
                " (" + _("{low} to {high}").format(low=fmt(lo), high=fmt(hi)) + ")"
                if np.isfinite(lo) and np.isfinite(hi)
                else ""
            )
            ax.annotate(
                f"{fmt(est)}{ci}",
                (est, yi),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=10,
                color=TEXT if is_hl else GREY,
            )
    ax.axvline(0, color=TEXT, lw=1, zorder=1)
    ax.set_yticks(y, text.tolist())
    ax.set_ylim(y.min() - 0.7, y.max() + 0.9)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(unit_formatter(unit, currency))
    lo_all = np.nanmin(np.r_[df[low].astype(float), df[estimate].astype(float), 0.0])
    hi_all = np.nanmax(np.r_[df[high].astype(float), df[estimate].astype(float), 0.0])
    pad = 0.12 * (hi_all - lo_all or 1.0)
    ax.set_xlim(lo_all - pad, hi_all + pad)
    default_x = {
        "pp": _("Difference vs control (percentage points)"),
        "relpct": _("Relative change vs control"),
        "money": _("Difference vs control (per unit)"),
        "days": _("Difference vs control (days)"),
    }.get(unit) or _("Difference vs control")
    ax.set_xlabel(xlabel or default_x)
    if title:
        ax.set_title(_wrap(title, ax))
    return ax


def arm_rates_plot(
    arms: pd.DataFrame,
    *,
    rate: str = "rate",
    low: str = "ci_low",
    high: str = "ci_high",
    control: str | None = None,
    highlight: Sequence[str] | str | None = None,
    small_n: int = 30,
    title: str | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Dot-and-whisker chart of a rate per arm, sorted by rate, with the control as reference.

    Parameters
    ----------
    arms
        One row per arm with ``variant``, ``n`` and the ``rate``/``low``/``high`` columns.
    control
        The control arm: drawn in dark grey with a dashed reference line at its rate.
    highlight
        Arm(s) in the accent colour (e.g. the winning arm).
    small_n
        Arms with fewer units get hollow markers and a note.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(arms, ["variant", "n", rate, low, high], "arms")
    df = arms.sort_values(rate, ascending=True, kind="stable").reset_index(drop=True)
    hs = (
        set()
        if highlight is None
        else ({highlight} if isinstance(highlight, str) else set(highlight))
    )
    ax = _ax(ax, height=max(1.8, 0.6 * len(df) + 1.2))
    y = np.arange(len(df))
    small_any = False
    for yi, row in df.iterrows():
        v = str(row["variant"])
        color = ACCENT if v in hs else (TEXT if v == control else GREY)
        small = int(row["n"]) < small_n
        small_any |= small
        ax.plot([row[low], row[high]], [yi, yi], color=color, lw=2.4, solid_capstyle="round")
        ax.plot(
            row[rate],
            yi,
            "o",
            ms=9,
            color=color,
            markerfacecolor="white" if small else color,
            mew=2,
        )
        ax.annotate(
            _loc(f"{100 * row[rate]:.1f}%  (n = {int(row['n']):,})"),
            (row[high], yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
            color=TEXT,
        )
    if control is not None and control in set(df["variant"].astype(str)):
        c_rate = float(df.loc[df["variant"].astype(str) == control, rate].iloc[0])
        ax.axvline(c_rate, color=LIGHT_GREY, ls="--", lw=1.2, zorder=0)
    ax.set_yticks(y, df["variant"].astype(str).tolist())
    ax.grid(axis="y", visible=False)
    hi = float(np.nanmax(df[high].astype(float)))
    lo = float(np.nanmin(df[low].astype(float)))
    span = max(hi - lo, 0.02)
    left = 0.0 if lo < 0.6 * span else lo - 0.6 * span  # zoom in when the rates are far from 0
    ax.set_xlim(left, min(1.0, hi + 1.1 * span) if hi + 1.1 * span <= 1 else hi + 1.1 * span)
    ax.xaxis.set_major_formatter(unit_formatter("pct"))
    ax.set_xlabel(xlabel if xlabel is not None else _("Conversion rate"))
    ax.set_ylim(-0.7, len(df) - 0.3)
    if small_any:
        ax.text(
            0,
            -0.25,
            _("Hollow markers: fewer than {n} units.").format(n=small_n),
            transform=ax.transAxes,
            fontsize=10,
            color=GREY,
        )
    if title:
        ax.set_title(_wrap(title, ax))
    return ax


def km_plot(
    curves: pd.DataFrame,
    *,
    control: str | None = None,
    highlight: Sequence[str] | str | None = None,
    cumulative: bool = True,
    event_label: str = "event",
    max_days: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Kaplan–Meier curves per arm as step lines, labelled at their ends.

    Parameters
    ----------
    curves
        Tidy frame with ``variant``, ``time`` (days), ``survival``, ``ci_low``, ``ci_high`` (the
        concatenated ``KaplanMeier.table`` of each arm with a ``variant`` column).
    cumulative
        Plot the share that reached the event, ``1 − S(t)`` (default; reads as "share of leads
        that reached SQL by day t"), instead of ``S(t)``.
    event_label
        Name of the event for the axis label ("SQL").
    max_days
        Cut the time axis here (e.g. the metric's window).

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(curves, ["variant", "time", "survival", "ci_low", "ci_high"], "curves")
    hs = (
        set()
        if highlight is None
        else ({highlight} if isinstance(highlight, str) else set(highlight))
    )
    ax = _ax(ax, height=4.2)
    arms = list(dict.fromkeys(curves["variant"].astype(str)))
    ends = []
    for arm in arms:
        d = curves[curves["variant"].astype(str) == arm].sort_values("time")
        t = np.r_[0.0, d["time"].to_numpy(dtype=float)]
        s = np.r_[1.0, d["survival"].to_numpy(dtype=float)]
        lo = np.r_[1.0, d["ci_low"].to_numpy(dtype=float)]
        hi = np.r_[1.0, d["ci_high"].to_numpy(dtype=float)]
        if max_days is not None:
            keep = t <= max_days
            t, s, lo, hi = t[keep], s[keep], lo[keep], hi[keep]
        if cumulative:
            s, lo, hi = 1 - s, 1 - hi, 1 - lo
        color = ACCENT if arm in hs else (TEXT if arm == control else GREY)
        ax.step(t, s, where="post", color=color, lw=2.2 if arm in hs or arm == control else 1.6)
        ax.fill_between(t, lo, hi, step="post", color=color, alpha=0.12, lw=0)
        ends.append((t[-1], s[-1], arm, color))
    # direct labels at the line ends, nudged apart
    ends.sort(key=lambda e: e[1])
    last_y = -np.inf
    span = max(1e-9, max(e[1] for e in ends) - min(0.0, min(e[1] for e in ends)))
    for x, yv, arm, color in ends:
        y_lab = max(yv, last_y + 0.06 * max(span, 0.2))
        ax.annotate(
            f"{arm} {100 * yv:.0f}%" if cumulative else arm,
            (x, yv),
            xytext=(x, y_lab),
            textcoords="data",
            fontsize=10,
            color=color,
            va="center",
            ha="left",
        )
        last_y = y_lab
    ax.set_xlim(0, (max_days or float(curves["time"].max())) * 1.18)
    ax.set_ylim(0, None)
    ax.yaxis.set_major_formatter(unit_formatter("pct"))
    ax.set_xlabel(_("Days since assignment"))
    ax.set_ylabel(
        (_("Share reached {event}") if cumulative else _("Share without {event}")).format(
            event=event_label
        )
    )
    if title:
        ax.set_title(_wrap(title, ax))
    return ax


def split_plot(
    split: pd.DataFrame,
    *,
    title: str | None = None,
    failed: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Data-quality panel: actual share of units per arm (bars from zero) against the plan (ticks).

    Parameters
    ----------
    split
        One row per arm with ``variant``, ``n``, ``planned_share`` and ``actual_share``.
    failed
        The sample-ratio check failed: bars in the ``BAD`` colour.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(split, ["variant", "n", "planned_share", "actual_share"], "split")
    df = split.reset_index(drop=True)
    ax = _ax(ax, height=max(1.8, 0.55 * len(df) + 1.1))
    y = np.arange(len(df))[::-1]
    color = BAD if failed else GREY
    ax.barh(y, df["actual_share"], color=color, height=0.55, alpha=0.85)
    for yi, (_i, row) in zip(y, df.iterrows(), strict=True):
        ax.plot([row["planned_share"]] * 2, [yi - 0.38, yi + 0.38], color=TEXT, lw=2.2)
        ax.annotate(
            _("{actual} ({n}) vs plan {planned}").format(
                actual=_loc(f"{100 * row['actual_share']:.1f}%"),
                n=_loc(f"{int(row['n']):,}"),
                planned=_loc(f"{100 * row['planned_share']:.1f}%"),
            ),
            (max(row["actual_share"], row["planned_share"]), yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
        )
    ax.set_yticks(y, df["variant"].astype(str).tolist())
    ax.grid(axis="y", visible=False)
    top = float(max(df["actual_share"].max(), df["planned_share"].max()))
    ax.set_xlim(0, min(1.0, top * 1.9))
    ax.xaxis.set_major_formatter(unit_formatter("pct"))
    ax.set_xlabel(_("Share of units (black tick: planned share)"))
    if title:
        ax.set_title(_wrap(title, ax))
    return ax
