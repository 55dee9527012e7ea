"""Funnel analysis: where the sales process leaks, how fast, for whom, with honest uncertainty.

Counting runs in the engine (Ibis); only small count tables come back, and the statistics come
from :mod:`salesops_lib.stats`. Every function takes the data first — a
:class:`~salesops_lib.data.sources.Source`, anything :func:`~salesops_lib.data.sources.open_source`
accepts (a DuckDB path, a folder of Parquet/CSV files, a dict of pandas DataFrames, an Ibis
backend) or a single pandas DataFrame (the ``leads`` / ``opportunities`` table) — and options
keyword-only.

>>> res = funnel_analysis("data/demo.duckdb", stages=["created", "MQL", "SQL", "opportunity",
"won"],
...                       window_days=90, breakdowns=["source"])       # doctest: +SKIP
>>> res.steps                                                          # doctest: +SKIP

Definitions
-----------
stage reached
    An entity *reached stage k* when it reached k **or any later stage** (skips count as
    passing; backward moves do not undo a stage). Its reach time is the earliest such time.
    Lead funnel built-in milestones: ``created`` (``leads.created_at``), ``opportunity`` (the
    lead converted: ``leads.converted_at``), ``won`` (its opportunity was won: ``is_won``, at its
    ``close_date``); any other stage is a ``lead_history.status``. Opportunity funnel: stages
    from ``opportunity_history.stage``, plus ``created`` and ``won``.
step rate
    Step k→k+1 converts when stage k+1 is reached within ``window_days`` of reaching k.
    ``entered`` counts entities that reached k at least ``window_days`` before as-of (their
    window has elapsed); those that reached k more recently are *incomplete* and left out of
    the rate (whether or not they already converted, so recent fast converters do not inflate
    it); they are counted in the time-to-convert curves instead. ``rate = converted / entered``
    with a Wilson interval.
cumulative rate
    Product of the step rates up to a stage: the share of funnel entrants expected to reach it,
    with a log-scale delta-method (Greenwood) interval.
cohort
    Entities *created* in the period; breakdown values are those of the entity (attributed at
    funnel entry).
skipped
    Of those counted at stage k, the ones that never had k themselves (they went straight to a
    later stage). They count as converted to k+1 (at day 0 in the time-to-convert curves); the
    steps table shows how many (``skipped``).
campaign overlap
    When the source has ``campaign_members``, ``funnel_analysis`` measures the share of each
    compared cohort that were members of each campaign; an experiment (type ``experiment`` or
    several variants) holding >= 10% of the entities at any stage a step starts from, or another
    campaign holding >= 10% of the entrants, is reported in a banner and tempers the summary.
    ``exclude_campaign_members=[...]`` leaves the members of given campaigns out of every count.
population filters
    ``filters={"region": "EMEA"}`` keeps only entities whose value of a column (resolved like a
    breakdown: the entity table, or ``reps`` via ``owner_id``; ``"(missing)"`` for no value) is
    one of the given values. They apply to every count: the period, the comparison period, the
    time-to-convert curves and the cohort matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from salesops_lib.analyses._docstrings import fill
from salesops_lib.analyses.funnel import _stats as FS
from salesops_lib.analyses.funnel._engine import (
    FunnelEngine,
    _ts,
)
from salesops_lib.analyses.funnel._inputs import (
    _breakdowns,
    _check_grain,
    _check_horizon,
    _check_min_size,
    _cohort_range,
    _empty_period_error,
    _engine_and_period,
    _meta,
    _period,
    _within,
)
from salesops_lib.analyses.funnel._result import (
    CohortMatrix,
    FunnelResult,
    FunnelSteps,
    PeriodComparison,
    SegmentRates,
    TimeToConvert,
    _Meta,
)
from salesops_lib.data.period import Period
from salesops_lib.data.temp import materialised
from salesops_lib.errors import ParamsError, SalesOpsError
from salesops_lib.i18n import _, ngettext
from salesops_lib.stats.survival import logrank_test
from salesops_lib.viz.format import fmt_int, fmt_pct

__all__ = [
    "check_funnel_inputs",
    "cohort_matrix",
    "funnel_analysis",
    "funnel_counts",
    "period_comparison",
    "segment_rates",
    "time_to_convert",
]

FunnelKind = Literal["lead", "opportunity"]
FilterSpec = Mapping[str, str | Sequence[str]]


# =========================================================================== functions


def _count_frame(eng: FunnelEngine, reach: Any, group_cols: Sequence[str]) -> pd.DataFrame:
    df = eng.step_counts(reach, group_cols).execute()
    num = [c for c in df.columns if c not in group_cols]
    df[num] = df[num].fillna(0).astype("int64")
    return df


def _steps_from(df: pd.DataFrame, meta: _Meta) -> FunnelSteps:
    tot = df.drop(columns=[c for c in df.columns if c.startswith("_")]).sum(numeric_only=True)
    return FunnelSteps(
        FS.steps_table(tot, meta.stages, alpha=meta.alpha), meta, int(tot.get("n", 0))
    )


def funnel_counts(
    source: Any,
    *,
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    period: Any = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
    alpha: float = 0.05,
) -> FunnelSteps:
    """Entered, converted, step rate and cumulative rate per step, with 95% Wilson intervals.

    Parameters
    ----------
    source
        A ``Source``, anything ``open_source`` accepts, or a single DataFrame.
    stages
        Ordered stage names (default: the demo's lead or opportunity stages).
    funnel
        ``"lead"`` or ``"opportunity"``.
    window_days
        A step converts when the next stage is reached within this many days (> 0).
    period
        Cohort of entities created in it (see :func:`resolve_period`); default: the last full
        quarter whose window has elapsed.
    as_of
        Cut-off (default: the source's as-of time).
    filters
        Population filters ``{column: value or [values]}``: only entities whose value (resolved
        like a breakdown: the entity table, or ``reps`` via ``owner_id``) is one of the values
        are counted, e.g. ``{"region": "EMEA"}``.
    alpha
        1 − confidence level.

    Returns
    -------
    FunnelSteps

    Raises
    ------
    ParamsError
        ``filters`` with an unknown column or a value absent from the data; ``period_start``
        when no entity (of the filtered population) was created in the period.

    Notes
    -----
    Step rate :math:`\\hat p_k = x_k / n_k` with Wilson's interval (Wilson 1927); cumulative
    :math:`\\prod_{j \\le k} \\hat p_j` with Greenwood's log-scale interval (Greenwood 1926).
    """
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    reach, _ = eng.reach(start=per.ts_start, end=per.ts_end)
    df = _count_frame(eng, reach, [])
    meta = _meta(eng, per, alpha)
    out = _steps_from(df, meta)
    if out.n == 0:
        raise _empty_period_error(eng, per)
    return out


def _segments_from(
    df: pd.DataFrame,
    seg_cols: Sequence[str],
    labels: Sequence[str],
    meta: _Meta,
    min_segment_size: int,
) -> SegmentRates:
    frames = [
        FS.segments_table(
            df,
            meta.stages,
            column=c,
            label=lab,
            alpha=meta.alpha,
            min_segment_size=min_segment_size,
        )
        for c, lab in zip(seg_cols, labels, strict=True)
    ]
    table = pd.concat(frames, ignore_index=True)
    tests = FS.segment_tests(table)
    overall = _steps_from(df, meta).table
    return SegmentRates(table, tests, meta, min_segment_size, overall)


def segment_rates(
    source: Any,
    *,
    by: str | Sequence[str],
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    period: Any = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
    min_segment_size: int = 30,
    alpha: float = 0.05,
) -> SegmentRates:
    """Step rates per segment of ``by`` (columns of the entity table, or of ``reps`` via owner).

    Segments are attributed at funnel entry (the entity's own value). Segments with fewer than
    ``min_segment_size`` entered at a step are flagged ``small`` and not ranked or tested.
    Per step, a Pearson chi-square test of equal rates across the other segments and all
    pairwise differences (Newcombe interval, pooled z-test, Holm adjustment).
    """
    mins = _check_min_size(min_segment_size)
    bys = _breakdowns(by)
    if not bys:
        raise ParamsError("by", "is empty", expected="at least one column name")
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    reach, seg_cols = eng.reach(start=per.ts_start, end=per.ts_end, breakdowns=bys)
    df = _count_frame(eng, reach, seg_cols)
    meta = _meta(eng, per, alpha)
    if df["n"].sum() == 0:
        raise _empty_period_error(eng, per)
    return _segments_from(df, seg_cols, bys, meta, mins)


def _pairs(K: int) -> list[tuple[int, int]]:
    pairs = [(k, k + 1) for k in range(K - 1)]
    if K > 2:
        pairs.append((0, K - 1))
    return pairs


def _time_from(
    eng: FunnelEngine, reach: Any, meta: _Meta, within_days: Sequence[int], group: str | None = None
) -> TimeToConvert:
    pairs = _pairs(len(meta.stages))
    dur = eng.duration_counts(reach, pairs, [group] if group else []).execute()
    curve_days = max([meta.window_days, *within_days])
    table, curves, kms = FS.time_table(
        dur,
        pairs,
        meta.stages,
        alpha=meta.alpha,
        within_days=within_days,
        curve_days=curve_days,
        group_col=group,
    )
    logrank = None
    if group:
        rows = []
        for p, (i, j) in enumerate(pairs):
            sub = dur[dur["_pair"] == p]
            if sub[group].nunique() < 2:
                continue
            stat, pv = logrank_test(
                sub["_days"].to_numpy(dtype=float),
                sub["_event"].astype(bool).to_numpy(),
                sub[group].to_numpy(),
                weights=sub["_count"].to_numpy(dtype=float),
            )
            rows.append(
                {
                    "step": FS.step_label(meta.stages[i], meta.stages[j]),
                    "statistic": stat,
                    "p_value": pv,
                }
            )
        logrank = pd.DataFrame(rows)
        table = table.rename(columns={"segment": "segment"})
    return TimeToConvert(table, curves, kms, meta, logrank)


def time_to_convert(
    source: Any,
    *,
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    period: Any = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
    by: str | None = None,
    within_days: Sequence[int] = (7, 30, 90),
    alpha: float = 0.05,
) -> TimeToConvert:
    """Censoring-aware days between consecutive stages (and first → last stage).

    Every entity of the cohort that reached the *from* stage counts: converters with their
    duration (whole days, rounded up), the rest censored at as-of (rounded down). Kaplan–Meier
    gives the median, 75th and 90th percentile days with Brookmeyer–Crowley intervals ("not
    reached", NaN, when too few converted) and "converted within N days" curves. The median
    and mean over converters only are given too, labelled as such. ``window_days`` sets the
    length of the curves. With ``by``, one row per segment and a log-rank test per step.
    """
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    bys = _breakdowns(by)
    reach, seg_cols = eng.reach(start=per.ts_start, end=per.ts_end, breakdowns=bys[:1])
    meta = _meta(eng, per, alpha)
    out = _time_from(eng, reach, meta, _within(within_days), seg_cols[0] if seg_cols else None)
    if out.table.empty or out.table["n"].sum() == 0:
        raise _empty_period_error(eng, per)
    return out


def _cohorts_from(
    eng: FunnelEngine, reach: Any, meta: _Meta, grain: str, horizon_days: int | None = None
) -> CohortMatrix:
    horizon = _check_horizon(horizon_days, meta.window_days)
    df = eng.cohort_counts(reach, grain, horizon).execute()
    table = FS.cohorts_table(df, meta.stages, horizon_days=horizon, grain=grain, alpha=meta.alpha)
    return CohortMatrix(table, meta, grain, horizon)


def cohort_matrix(
    source: Any,
    *,
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    grain: Literal["month", "week"] = "month",
    periods: int = 12,
    horizon_days: int | None = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
    alpha: float = 0.05,
) -> CohortMatrix:
    """Conversion matrix of the last ``periods`` creation cohorts (months or ISO weeks).

    Cell (cohort, stage k) = share of the cohort's entrants that reached stage k (or later)
    within ``horizon_days`` (default ``window_days``) of entering the funnel, with a Wilson
    interval. A cell is *complete* only when every entrant of the cohort has had that long;
    incomplete cells are marked, not shown as low.
    """
    g, n = _check_grain(grain, periods)
    eng, _ = _engine_and_period(
        source,
        None,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    lo, hi = _cohort_range(eng.spec.as_of, g, n)
    reach, _ = eng.reach(start=lo, end=hi)
    meta = _meta(eng, None, alpha)
    out = _cohorts_from(eng, reach, meta, g, horizon_days)
    if out.table.empty:
        raise ParamsError(
            "cohort_periods",
            f"no {meta.noun}{' with ' + meta.filter_label if meta.filters else ''} were created "
            f"in the last {n} {g}s before as_of {eng.spec.as_of:%Y-%m-%d}",
            expected="a range that contains data",
        )
    return out


def period_comparison(
    source: Any,
    *,
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    period: Any = None,
    previous: Any = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
    alpha: float = 0.05,
) -> PeriodComparison:
    """Each step's rate in ``period`` vs ``previous`` (default: the period just before).

    Difference with Newcombe's hybrid score interval, pooled two-proportion z-test, Holm
    adjustment over the steps; plus the overall first→last conversion (difference of the
    cumulative rates with a delta-method interval).
    """
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    prev = per.previous() if previous is None else _period(previous, eng.spec.as_of)
    meta = _meta(eng, per, alpha)
    lo, hi = min(per.ts_start, prev.ts_start), max(per.ts_end, prev.ts_end)
    reach, _ = eng.reach(
        start=lo,
        end=hi,
        labels=[("cur", per.ts_start, per.ts_end), ("prev", prev.ts_start, prev.ts_end)],
    )
    df = _count_frame(eng, reach, ["_period"])
    cur, prv = _split_periods(df, meta, prev)
    if cur.n == 0:
        raise _empty_period_error(eng, per)
    if prv.n == 0:
        raise _empty_period_error(eng, prev)
    return PeriodComparison(FS.comparison_table(cur.table, prv.table, alpha=alpha), meta, prev)


def _split_periods(df: pd.DataFrame, meta: _Meta, prev: Period) -> tuple[FunnelSteps, FunnelSteps]:
    cur = _steps_from(df[df["_period"] == "cur"], meta)
    pmeta = meta.with_period(prev)
    prv = _steps_from(df[df["_period"] == "prev"], pmeta)
    return cur, prv


def check_funnel_inputs(
    source: Any,
    *,
    stages: Sequence[str] | None = None,
    funnel: FunnelKind = "lead",
    window_days: int = 90,
    breakdowns: str | Sequence[str] = (),
    period: Any = None,
    as_of: Any = None,
    filters: FilterSpec | None = None,
    exclude_campaign_members: Sequence[str] = (),
) -> None:
    """Check the options of :func:`funnel_analysis` against the data, without the analysis.

    The same checks, in the same order and with the same errors, as :func:`funnel_analysis`
    runs before it counts anything (the engine's stage, filter and exclusion checks, breakdown
    columns resolved like the analysis resolves them), plus a count of the period's entities.
    One distinct-values query per check and one count: about a second on the demo warehouse.
    Used by the report runner (``FunnelParams.check_data``) before a kernel starts.

    Raises
    ------
    ParamsError
        ``stages`` (a stage absent from the data), ``filters`` (unknown column or value),
        ``exclude_campaign_members``, ``breakdowns`` (unknown column), ``period_start`` (no
        entities created in the period).
    """
    bys = _breakdowns(breakdowns)
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
        check_breakdowns=bys,
    )
    reach, _ = eng.reach(start=per.ts_start, end=per.ts_end)
    if int(reach.count().execute()) == 0:
        raise _empty_period_error(eng, per)


@fill
def funnel_analysis(
    source: Any,
    *,
    as_of: Any = None,
    funnel: FunnelKind = "lead",
    stages: Sequence[str] | None = None,
    window_days: int = 90,
    breakdowns: Sequence[str] = (),
    filters: FilterSpec | None = None,
    period_start: Any = None,
    period_end: Any = None,
    compare_to: Literal["previous_period", "none"] = "previous_period",
    cohort_grain: Literal["month", "week"] = "month",
    cohort_periods: int = 12,
    cohort_horizon_days: int | None = None,
    min_segment_size: int = 30,
    within_days: Sequence[int] = (7, 30, 90),
    exclude_campaign_members: Sequence[str] = (),
    alpha: float = 0.05,
    unit_label: str | None = None,
) -> FunnelResult:
    """The whole funnel analysis in one call: steps, segments, time to convert, cohorts, change.

    Parameters are those of :class:`~salesops_lib.analyses.funnel.params.FunnelParams` (the
    single source of their names, defaults and docs), with the data first.

    Parameters
    ----------
    {source}
        A single DataFrame is read as the ``leads`` (or ``opportunities``) table.
    {as_of}
    funnel, stages, window_days
        ``"lead"`` or ``"opportunity"``; the ordered stages (``None``: the canonical lead stages
        ``created, MQL, SQL, opportunity, won`` or the typical opportunity stages); a step
        converts when the next stage is reached within ``window_days`` (default 90: a quarter,
        long enough for most B2B steps; a report sets its own).
    breakdowns
        Columns to break the funnel down by (see :func:`segment_rates`).
    {filters}
    period_start, period_end
        The cohort: entities created in ``[period_start, period_end]``; both ``None``: the last
        full quarter whose conversion window has elapsed by ``as_of``.
    compare_to
        ``"previous_period"`` (the period of equal length just before) or ``"none"``.
    cohort_grain, cohort_periods, cohort_horizon_days
        Cohort matrix by creation ``"month"`` or ``"week"``, over the last ``cohort_periods``;
        a cell counts stages reached within ``cohort_horizon_days`` (default ``window_days``).
    min_segment_size
        Segments with fewer entered at a step are flagged, not ranked.
    within_days
        Days for the "converted within N days" figures.
    exclude_campaign_members
        Campaign ids (``campaign_members.campaign_id``) whose members are left out of every
        count, e.g. ``["C_AB_MQL_SLA"]`` to compare periods without an experiment's leads.
    {alpha}

    Returns
    -------
    FunnelResult
        Also holds ``campaigns``: for every campaign with members in the compared cohorts, the
        share of each period's entities (per stage a step starts from) that were members, and
        whether that is material (see the report's banner and methods).

    Raises
    ------
    ParamsError
        A stage absent from the data (``stages``), an empty period (``period_start``), a
        breakdown column that does not exist (``breakdowns``), a filter column that does not
        exist or a filter value that does not occur (``filters``), ``window_days <= 0``.
    """
    period = None if period_start is None and period_end is None else (period_start, period_end)
    if compare_to not in ("previous_period", "none"):
        raise ParamsError(
            "compare_to", f"got {compare_to!r}", expected="'previous_period' or 'none'"
        )
    mins = _check_min_size(min_segment_size)
    grain, nco = _check_grain(cohort_grain, cohort_periods)
    _check_horizon(cohort_horizon_days, 1)
    wd = _within(within_days)
    bys = _breakdowns(breakdowns)
    eng, per = _engine_and_period(
        source,
        period,
        stages=stages,
        funnel=funnel,
        window_days=window_days,
        as_of=as_of,
        filters=filters,
        exclude=exclude_campaign_members,
    )
    prev = per.previous() if compare_to == "previous_period" else None
    meta = replace(_meta(eng, per, alpha), unit_label=unit_label)

    # one query for steps (current and previous), every breakdown and the cohorts
    labels = [("cur", per.ts_start, per.ts_end)]
    lo, hi = per.ts_start, per.ts_end
    if prev is not None:
        labels.append(("prev", prev.ts_start, prev.ts_end))
        lo = min(lo, prev.ts_start)
    clo, chi = _cohort_range(eng.spec.as_of, grain, nco)
    # the per-entity reach times feed several queries: computed once in the engine, for the
    # compared periods and the cohorts together when their ranges meet (the entities of the
    # compared periods have a `_period`; the cohorts' are picked by creation); an old period
    # far from the cohorts gets its own table rather than one spanning the years between
    shared = clo <= hi and lo <= chi
    start, end = (min(lo, clo), max(hi, chi)) if shared else (lo, hi)
    reach, seg_cols = eng.reach(start=start, end=end, breakdowns=bys, labels=labels)
    with materialised(reach) as reach:
        if shared:
            cohort_reach = reach.filter((reach._created >= _ts(clo)) & (reach._created < _ts(chi)))
        else:
            cohort_reach, _ = eng.reach(start=clo, end=chi)
        return _funnel_from_reach(
            eng, reach.filter(reach._period.notnull()), seg_cols, cohort_reach, per=per,
            prev=prev, meta=meta, bys=bys, mins=mins, wd=wd, grain=grain, nco=nco,
            cohort_horizon_days=cohort_horizon_days, alpha=alpha,
        )  # fmt: skip


def _funnel_from_reach(
    eng: FunnelEngine,
    reach: Any,
    seg_cols: list[str],
    cohort_reach: Any,
    *,
    per: Any,
    prev: Any,
    meta: Any,
    bys: Sequence[str],
    mins: int,
    wd: Sequence[int],
    grain: Any,
    nco: int,
    cohort_horizon_days: int | None,
    alpha: float,
) -> FunnelResult:
    """:func:`funnel_analysis` from the (materialised) reach tables of the current and previous
    periods and of the cohorts' range."""
    df = _count_frame(eng, reach, ["_period", *seg_cols])
    cur_df = df[df["_period"] == "cur"]
    steps = _steps_from(cur_df, meta)
    if steps.n == 0:
        raise _empty_period_error(eng, per)
    segments = _segments_from(cur_df, seg_cols, bys, meta, mins) if bys else None
    comparison = prev_steps = None
    if prev is not None:
        pmeta = meta.with_period(prev)
        prev_steps = _steps_from(df[df["_period"] == "prev"], pmeta)
        if prev_steps.n > 0:
            comparison = PeriodComparison(
                FS.comparison_table(steps.table, prev_steps.table, alpha=alpha), meta, prev
            )
    notes: list[str] = []
    periods = [("cur", per)] + ([("prev", prev)] if prev is not None else [])
    campaigns = _campaign_overlap(eng, reach, df, periods, notes)
    excluded = {
        dict(periods)[k].label: v
        for k, v in eng.excluded_counts([(lab, p.ts_start, p.ts_end) for lab, p in periods]).items()
    }
    cur_reach = reach.filter(reach._period == "cur")
    ttc = _time_from(eng, cur_reach, meta, wd)
    cohorts = _cohorts_from(eng, cohort_reach, meta, grain, cohort_horizon_days)
    cohorts.periods = nco
    res = FunnelResult(
        steps=steps,
        segments=segments,
        time_to_convert=ttc,
        cohorts=cohorts,
        comparison=comparison,
        meta=meta,
        previous_steps=prev_steps,
        previous=prev,
        source=eng.src,
    )
    res.row_counts = _row_counts(eng)
    res.campaigns = campaigns
    res.excluded = excluded
    res.notes = notes + _exclusion_notes(res) + _notes(res)
    return res


def _exclusion_notes(res: FunnelResult) -> list[str]:
    """Say how many were left out by ``exclude_campaign_members`` and why that can bias steps."""
    m = res.meta
    if not m.exclude_campaigns or not any(res.excluded.values()):
        return []
    kept = {m.period.label: res.steps.n}
    if res.previous is not None and res.previous_steps is not None:
        kept[res.previous.label] = res.previous_steps.n
    parts = [
        _("{n} of {total} {noun} created in {period} ({share})").format(
            n=fmt_int(x),
            total=fmt_int(x + kept.get(lab, 0)),
            noun=m.noun,
            period=lab,
            share=fmt_pct(x / (x + kept.get(lab, 0)) if x + kept.get(lab, 0) else float("nan"), 0),
        )
        for lab, x in res.excluded.items()
    ]
    return [
        _(
            "Members of {campaigns} are left out: {parts}. When membership was decided after "
            "{noun} entered the funnel (an experiment assigned at MQL, say), those left are "
            "selected by how far they got, and the steps before that point are biased; read those "
            "steps with everyone included."
        ).format(
            campaigns=_(" and ").join(m.exclude_campaigns), parts=", ".join(parts), noun=m.noun
        )
    ]


_OVERLAP_COLUMNS = [
    "campaign_id",
    "name",
    "type",
    "start",
    "end",
    "experiment",
    "period",
    "which",
    "stage_index",
    "stage",
    "reached",
    "members",
    "share",
    "material",
]


def _campaign_overlap(
    eng: FunnelEngine,
    reach: Any,
    counts: pd.DataFrame,
    periods: Sequence[tuple[str, Period]],
    notes: list[str],
) -> pd.DataFrame:
    """Share of each cohort (per period and stage a step starts from) that were campaign members.

    A campaign is an *experiment* when its ``campaigns.type`` is ``experiment`` or its members
    have more than one ``variant``. It overlaps *materially* when, in either period, its members
    are at least :data:`MATERIAL_SHARE` of the entities at a stage a step starts from
    (experiments: any such stage, since they treat entities at a stage; other campaigns: the
    funnel's entrants, since they change who enters).
    """
    empty = pd.DataFrame(columns=_OVERLAP_COLUMNS)
    K = eng.K
    try:
        if not eng.has_members():
            return empty
        ov = eng.campaign_overlap(reach, ["_period"]).execute()
        if ov.empty:
            return empty
        info = eng.campaign_info(sorted(map(str, ov["campaign_id"].unique())))
    except SalesOpsError as err:  # the campaign tables are optional: say so, go on
        notes.append(
            _("Campaign membership could not be checked against the cohorts: {error}").format(
                error=err
            )
        )
        return empty
    tot = counts.groupby("_period")[[f"reached_{k}" for k in range(K)]].sum()
    ov = ov.set_index(["_period", "campaign_id"])
    rows = []
    for cid in info["campaign_id"]:
        for lab, p in periods:
            for k in range(K - 1):
                n = int(tot.loc[lab, f"reached_{k}"]) if lab in tot.index else 0
                x = int(ov.loc[(lab, cid), f"members_{k}"]) if (lab, cid) in ov.index else 0
                rows.append(
                    {
                        "campaign_id": cid,
                        "period": p.label,
                        "which": "current" if lab == "cur" else "previous",
                        "stage_index": k,
                        "stage": eng.spec.stages[k],
                        "reached": n,
                        "members": x,
                        "share": x / n if n else np.nan,
                    }
                )
    df = pd.DataFrame(rows).merge(info, on="campaign_id", how="left")
    typ = df["type"].astype("string").str.lower().fillna("")
    df["experiment"] = (typ == "experiment") | (
        pd.to_numeric(df["variants"], errors="coerce").fillna(1) > 1
    )
    counts_for = df["experiment"] | (df["stage_index"] == 0)
    hit = counts_for & (df["share"].fillna(0) >= FS.MATERIAL_SHARE)
    df["material"] = df["campaign_id"].map(hit.groupby(df["campaign_id"]).any())
    for c in ("start", "end"):
        first = "first_assigned" if c == "start" else "last_assigned"
        df[c] = pd.to_datetime(df[c].where(df[c].notna(), df[first]), errors="coerce")
    # deterministic order whatever order the engine returned the campaigns in
    df = df.sort_values("campaign_id", kind="stable")
    return df[_OVERLAP_COLUMNS].reset_index(drop=True)


def _row_counts(eng: FunnelEngine) -> dict[str, int]:
    out = {}
    try:
        desc = eng.src.describe()
        rows = dict(zip(desc["table"], desc["rows"], strict=True))
        for name in (eng.entity_name, eng.history_name, "opportunities"):
            if name in rows:
                out[name] = int(rows[name])
    except Exception:  # describe is informative only
        pass
    return out


def _notes(res: FunnelResult) -> list[str]:
    notes = []
    t = res.steps.table
    for _i, r in t.iterrows():
        if r["reached"] > 0 and r["incomplete"] / r["reached"] > 0.2:
            notes.append(
                _(
                    "{share} of {noun} at {step} ({n}) reached {stage} less than {days} before "
                    "the data's cut-off; they are too recent to judge and left out of that step's "
                    "rate."
                ).format(
                    share=fmt_pct(r["incomplete"] / r["reached"], 0),
                    noun=res.meta.noun,
                    step=r["step"],
                    n=fmt_int(r["incomplete"]),
                    stage=r["stage"],
                    days=f"{fmt_int(res.meta.window_days)} "
                    + ngettext("day", "days", res.meta.window_days),
                )
            )
        late, conv = int(r.get("late", 0)), int(r["converted"])
        if late and late >= conv:  # the window hides most conversions: say so
            within = (
                _("none within it")
                if not conv
                else (
                    _("more than the {n} within it")
                    if late > conv
                    else _("as many as the {n} within it")
                ).format(n=fmt_int(conv))
            )
            notes.append(
                _(
                    "{step}: {late} of {entered} reached {stage} only after the {days}-day window "
                    "({within}); they are not counted in that step's rate (a longer `window_days` "
                    "counts them)."
                ).format(
                    step=r["step"],
                    late=fmt_int(late),
                    entered=fmt_int(r["entered"]),
                    stage=r["to_stage"],
                    days=res.meta.window_days,
                    within=within,
                )
            )
    if res.comparison is None and res.previous is not None:
        notes.append(
            _("No {population} were created in {prev}; no comparison is shown.").format(
                population=res.meta.population, prev=res.previous
            )
        )
    return notes
