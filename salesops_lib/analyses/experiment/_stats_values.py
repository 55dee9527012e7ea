"""Experiment statistics of count and value metrics and CUPED, from the engine's per-arm
summaries (:class:`~salesops_lib.analyses.experiment._engine.ValueSummaries`): capping at a
percentile of the non-zero values, Welch, the Poisson rate ratio, Mann–Whitney from rank sums,
CUPED from moments and the bootstrap from per-bucket sums. No unit-level data is needed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from salesops_lib.analyses.experiment._engine import ValueSummaries, _finite
from salesops_lib.analyses.experiment._spec import MetricSpec
from salesops_lib.stats.counts import poisson_rate_ratio
from salesops_lib.stats.cuped import CupedStats, cuped_compare_from_stats
from salesops_lib.stats.experiments import compare_arms_means
from salesops_lib.stats.summaries import bucket_bootstrap_diff_ci, mann_whitney_from_ranks


def _cuped_stats(row: Mapping[str, Any]) -> CupedStats | None:
    """:class:`CupedStats` of one arm from the engine's moments (None with fewer than 2 units)."""
    n = int(row["n"])
    vals = [row[k] for k in ("mean_y", "mean_x", "var_y", "var_x", "cov_xy")]
    if n < 2 or not all(_finite(v) for v in vals):
        return None
    return CupedStats(n, *(float(v) for v in vals))


def _binary_cuped(eff: pd.DataFrame, moments: pd.DataFrame, *, control: str) -> pd.DataFrame:
    """Add CUPED (regression on ``pre_period_value``) estimates of a binary metric (0/1 outcomes)
    from the engine's per-arm moments of the units with a pre-period value."""

    st = {str(r["variant"]): _cuped_stats(r) for r in moments.to_dict("records")}
    sc = st.get(control)
    eff = eff.copy()
    for i, r in eff.iterrows():
        stt = st.get(str(r["variant"]))
        if stt is None or sc is None:
            continue
        cu = cuped_compare_from_stats(stt, sc, alpha=1.0 - float(r["ci_level"]))
        for k, v in (
            ("cuped_diff", cu.diff),
            ("cuped_ci_low", cu.ci_low),
            ("cuped_ci_high", cu.ci_high),
            ("cuped_p_value", cu.p_value),
            ("variance_reduction", cu.variance_reduction),
        ):
            eff.loc[i, k] = v
    return eff


def cap_nonzero(
    values: Mapping[str, np.ndarray], *, upper_pct: float
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    r"""Cap per-unit values at a percentile of the *non-zero* values of all arms pooled.

    Value metrics of leads are zero-inflated: most units have no revenue. A percentile of all
    units then falls inside the ordinary range of the deals (with 7% of units above zero, the
    99th percentile of all units is about the 86th percentile of the deals) and capping there
    removes a large share of the total. The cap is therefore taken among the units with a value:

    .. math::

        c = Q_{q}\left(\{y_i : y_i \neq 0\}\right), \qquad \tilde y_i = \min(y_i, c),

    the same cap in every arm (the comparison stays fair for the *capped* metric).

    Parameters
    ----------
    values
        Arm -> per-unit values.
    upper_pct
        Percentile ``q`` (e.g. 99) of the pooled non-zero values (``numpy.percentile``, linear).

    Returns
    -------
    (capped, info)
        The capped values per arm and a dict: ``cap``, ``pct``, ``n_units``, ``n_nonzero``,
        ``n_capped`` (units above the cap), ``total`` and ``total_capped`` (sum before / after),
        ``share_removed`` (1 − total_capped / total), ``n_capped_by_arm``.

    References
    ----------
    Deng, A., Xu, Y., Kohavi, R. and Walker, T. (2013). Improving the sensitivity of online
    controlled experiments by utilizing pre-experiment data. *WSDM '13* (capping, section 3.3);
    Kohavi, R., Tang, D. and Xu, Y. (2020). *Trustworthy Online Controlled Experiments*, ch. 22
    (capping heavy-tailed metrics).
    """
    arrays = {a: np.asarray(v, dtype=float) for a, v in values.items()}
    pooled = np.concatenate(list(arrays.values())) if arrays else np.array([])
    nonzero = pooled[pooled != 0]
    info: dict[str, Any] = {
        "pct": float(upper_pct),
        "n_units": int(pooled.size),
        "n_nonzero": int(nonzero.size),
    }
    if nonzero.size == 0:
        info.update(
            cap=np.nan,
            n_capped=0,
            total=0.0,
            total_capped=0.0,
            share_removed=0.0,
            n_capped_by_arm={a: 0 for a in arrays},
        )
        return dict(arrays), info
    cap = float(np.percentile(nonzero, upper_pct))
    capped = {a: np.minimum(v, cap) for a, v in arrays.items()}
    total = float(pooled.sum())
    total_c = float(sum(v.sum() for v in capped.values()))
    info.update(
        cap=cap,
        n_capped=int(np.sum(pooled > cap)),
        total=total,
        total_capped=total_c,
        share_removed=(1.0 - total_c / total) if total > 0 else 0.0,
        n_capped_by_arm={a: int(np.sum(v > cap)) for a, v in arrays.items()},
    )
    return capped, info


def _capping_info(summ: ValueSummaries, pct: float) -> dict[str, Any]:
    """The facts :func:`cap_nonzero` reports, from the engine's per-arm sums."""
    a = summ.arms
    total = float(a["sum_raw"].sum())
    total_c = float(a["sum"].sum())
    return {
        "pct": float(pct),
        "n_units": int(a["n"].sum()),
        "n_nonzero": int(summ.n_nonzero),
        "cap": float(summ.cap) if summ.cap is not None else np.nan,
        "n_capped": int(a["n_capped"].sum()),
        "total": total,
        "total_capped": total_c,
        "share_removed": (1.0 - total_c / total) if total > 0 else 0.0,
        "n_capped_by_arm": {
            str(v): int(c) for v, c in zip(a["variant"], a["n_capped"], strict=True)
        },
    }


def _value_effects(
    summ: ValueSummaries,
    spec: MetricSpec,
    *,
    control: str,
    arms_order: Sequence[str],
    alpha: float,
    adjust: str,
    n_boot: int,
    seed: int,
    cluster_values: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Per-arm table and effects of a count or value metric from the engine's summaries.

    With ``spec.winsorize_pct`` the values were capped in the engine at that percentile of the
    non-zero values, arms pooled (as :func:`cap_nonzero` does on arrays); the per-arm table then
    holds the capped ``mean`` and the ``mean_uncapped``, and the effects the uncapped Welch
    comparison next to the capped one. With cluster randomisation the cluster means are
    compared and no value is capped.

    Every number comes from per-arm summaries (:class:`ValueSummaries`): Welch and the Poisson
    rate ratio from n / mean / sd / sum, CUPED from the moments
    (:func:`~salesops_lib.stats.means.cuped_compare_from_stats`), Mann–Whitney from rank sums
    (:func:`~salesops_lib.stats.summaries.mann_whitney_from_ranks`), the bootstrap interval from
    per-bucket sums (:func:`~salesops_lib.stats.summaries.bucket_bootstrap_diff_ci`).
    """

    a_df = summ.arms.set_index("variant").reindex(list(arms_order))
    n = {a: int(a_df.loc[a, "n"]) if _finite(a_df.loc[a, "n"]) else 0 for a in arms_order}

    def _sd(v: Any, k: int) -> float:
        return float(np.sqrt(max(float(v), 0.0))) if k > 1 and _finite(v) else np.nan

    cap_info: dict[str, Any] | None = None
    if spec.winsorize_pct is not None and cluster_values is None:
        cap_info = _capping_info(summ, spec.winsorize_pct)
    capped = cap_info is not None and _finite(cap_info["cap"])
    stats_c = {
        a: (float(a_df.loc[a, "mean"]), _sd(a_df.loc[a, "var"], n[a]), n[a]) for a in arms_order
    }
    stats_raw = {
        a: (float(a_df.loc[a, "mean_raw"]), _sd(a_df.loc[a, "var_raw"], n[a]), n[a])
        for a in arms_order
    }
    arms = pd.DataFrame(
        {
            "metric": spec.name,
            "variant": list(arms_order),
            "n": [n[a] for a in arms_order],
            "mean": [stats_c[a][0] if n[a] else np.nan for a in arms_order],
            "sd": [stats_c[a][1] for a in arms_order],
            "median": [float(a_df.loc[a, "median"]) if n[a] else np.nan for a in arms_order],
            "share_nonzero": [
                float(a_df.loc[a, "n_pos"]) / n[a] if n[a] else np.nan for a in arms_order
            ],
        }
    )
    if capped:
        arms["mean_uncapped"] = [stats_raw[a][0] if n[a] else np.nan for a in arms_order]
        arms["cap"] = cap_info["cap"]
        arms["n_capped"] = [cap_info["n_capped_by_arm"].get(a, 0) for a in arms_order]
    others = [a for a in arms_order if a != control]
    if cluster_values is not None:
        means = {
            a: cluster_values.loc[cluster_values["variant"] == a, "mean"].to_numpy(dtype=float)
            for a in arms_order
        }
        cmp = compare_arms_means(means, control=control, alpha=alpha, p_adjust=adjust).set_index(
            "arm"
        )
        method = f"Welch t-test on cluster means ({len(cluster_values):,} clusters)" + (
            "; no capping (the cluster means are compared)"
            if spec.winsorize_pct is not None
            else ""
        )
    else:
        cmp = compare_arms_means(stats_c, control=control, alpha=alpha, p_adjust=adjust)
        cmp = cmp.set_index("arm")
        method = "Welch t-test" + (
            f"; values capped at the {spec.winsorize_pct:g}th percentile of the non-zero values "
            f"({cap_info['cap']:,.2f})"
            if capped
            else ""
        )
    cmp_raw = (
        compare_arms_means(stats_raw, control=control, alpha=alpha, p_adjust=adjust).set_index(
            "arm"
        )
        if capped
        else None
    )
    cuped: dict[str, CupedStats | None] = {}
    if summ.cuped is not None:
        cm = summ.cuped.set_index("variant")
        # as on the units: CUPED only when every mature unit has a pre-period value
        if all(a in cm.index and int(cm.loc[a, "n"]) == n[a] for a in arms_order) and sum(
            n.values()
        ):
            cuped = {a: _cuped_stats(cm.loc[a]) for a in arms_order}
    buckets = summ.buckets
    out = []
    extra: dict[str, Any] = {"capping": cap_info if capped else None}
    for a in others:
        row = cmp.loc[a]
        a_ci = 1.0 - float(row["ci_level"])
        rec: dict[str, Any] = {
            "variant": a,
            "control_value": float(row["control_mean"]),
            "variant_value": float(row["mean"]),
            "abs_diff": float(row["diff"]),
            "abs_ci_low": float(row["ci_low"]),
            "abs_ci_high": float(row["ci_high"]),
            "rel_lift": float(row["rel_lift"]),
            "rel_ci_low": np.nan,
            "rel_ci_high": np.nan,
            "p_value": float(row["p_value"]),
            "p_value_adjusted": float(row["p_adjusted"]),
            "ci_level": float(row["ci_level"]),
            "prob_beat_control": np.nan,
            "expected_loss": np.nan,
            "method": method,
            "small_sample": bool(min(n[a], n[control]) < 30),
        }
        if capped:
            rr = cmp_raw.loc[a]
            rec.update(
                cap=cap_info["cap"],
                uncapped_control_value=float(rr["control_mean"]),
                uncapped_variant_value=float(rr["mean"]),
                uncapped_diff=float(rr["diff"]),
                uncapped_ci_low=float(rr["ci_low"]),
                uncapped_ci_high=float(rr["ci_high"]),
                uncapped_p_value_adjusted=float(rr["p_adjusted"]),
            )
        if spec.kind == "count" and cluster_values is None:
            pr = poisson_rate_ratio(
                float(a_df.loc[a, "sum"]), n[a], float(a_df.loc[control, "sum"]), n[control],
                alpha=a_ci,
            )  # fmt: skip
            rec["rel_ci_low"], rec["rel_ci_high"] = pr.ci_low - 1.0, pr.ci_high - 1.0
            rec["rate_ratio_p_value"] = pr.p_value
        if n[a] >= 2 and n[control] >= 2:
            bt, bc = (buckets[buckets["variant"] == v] for v in (a, control))
            b = bucket_bootstrap_diff_ci(
                bt["n"], bt["s"], bc["n"], bc["s"], n_boot=n_boot, seed=seed, alpha=a_ci
            )
            rec["boot_ci_low"], rec["boot_ci_high"] = b.ci_low, b.ci_high
            rec["mann_whitney_p"] = mann_whitney_from_ranks(*summ.ranks[a]).p_value
            if cuped.get(a) is not None and cuped.get(control) is not None:
                cu = cuped_compare_from_stats(cuped[a], cuped[control], alpha=a_ci)
                rec.update(
                    cuped_diff=cu.diff,
                    cuped_ci_low=cu.ci_low,
                    cuped_ci_high=cu.ci_high,
                    cuped_p_value=cu.p_value,
                    variance_reduction=cu.variance_reduction,
                )
        out.append(rec)
    return arms, pd.DataFrame(out), extra
