"""Words of the pipeline forecast: headline, summary, cards, banners, tables, sections, methods
and the JSON fields. Reads the numbers of ``_result``; computes none beyond formatting."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.viz import format as F
from salesops_lib.viz.html import Banner, Blocks, Card, Cards, Definitions, Summary, Table

if TYPE_CHECKING:
    from salesops_lib.analyses.forecast._result import ForecastResult

__all__ = [
    "backtest_title",
    "banners",
    "cards",
    "fan_title",
    "headline",
    "methods",
    "money",
    "results_fields",
    "sections",
    "summary",
    "tables",
]

METHOD_LABELS = {
    "kit": "this forecast (P50)",
    "crm_weighted": "CRM weighted pipeline",
    "run_rate": "run rate (last 90 days)",
}
_AGE = ("under 30 days", "30–89 days", "90–179 days", "180 days or more")
_DUE = ("overdue", "due within 30 days", "due in 30–89 days", "due in 90+ days or no date")


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def money(res: ForecastResult, v: float) -> str:
    return F.fmt_money(v, res.currency)


def _pct(x: float) -> str:
    return F.fmt_pct(x, 0)


def headline(res: ForecastResult) -> str:
    text = (
        f"{res.period.label} bookings forecast {money(res, res.p50)} (80% range "
        f"{money(res, res.p10)}–{money(res, res.p90)})"
    )
    if not res.has_target:
        return text
    return f"{text}; {_pct(res.prob_reach_target)} chance of reaching the {money(res, res.target)} target"


def _better_text(res: ForecastResult) -> str | None:
    """How the kit's P50 compares with the other two on the backtest (MAPE), honestly."""
    c = res.backtest.comparison().set_index("method")
    if not res.backtest.n or _nan(c.loc["kit", "mape"]):
        return None
    kit = c.loc["kit", "mape"]
    others = c.drop(index="kit").dropna(subset=["mape"])
    if others.empty:
        return None
    best_other = others["mape"].idxmin()
    o = others.loc[best_other, "mape"]
    d = o - kit
    verdict = (
        f"{F.fmt_pp(d, 1, sign=False)} more accurate than"
        if d > 0
        else f"{F.fmt_pp(-d, 1, sign=False)} less accurate than"
    )
    return (
        f"Over the {res.backtest.n} past windows the forecast's P50 missed by "
        f"{F.fmt_pct(kit, 0)} on average (mean absolute percentage error), {verdict} the best "
        f"alternative, the {METHOD_LABELS[best_other]} ({F.fmt_pct(o, 0)})."
    )


def summary(res: ForecastResult) -> Summary:
    f = res.forecast
    out = [
        f"Bookings closing in {res.period.label} ({res.period.start} to {res.period.end}) are "
        f"forecast at {money(res, res.p50)}, with an 80% chance of falling between "
        f"{money(res, res.p10)} and {money(res, res.p90)} ({F.fmt_int(res.params['n_sims'])} "
        f"simulations of the {F.fmt_int(len(f.deals))} open deals and the deals still to come).",
    ]
    if res.has_target:
        out.append(
            f"The chance of reaching the target of {money(res, res.target)} "
            f"({'the quotas of the period' if res.target_source == 'quotas' else 'set as a parameter'}) "
            f"is {_pct(res.prob_reach_target)}."
        )
    else:
        out.append(
            f"There is no target to compare with ({res.target_source}); pass `target` (the "
            "bookings goal of the period) to add the chance of reaching it."
        )
    parts = [f"{money(res, f.expected_open)} expected from the open deals"]
    if f.already_won:
        parts.insert(0, f"{money(res, f.already_won)} already won ({f.already_won_n} deals)")
    parts.append(
        f"{money(res, f.expected_new)} from about {F.fmt_num(f.new_mean, 1)} deals not yet created"
    )
    out.append("On average: " + ", ".join(parts) + ".")
    if _nan(f.weighted_pipeline):
        crm = (
            "There is no CRM weighted pipeline to compare with: none of the open deals' stages ("
            + ", ".join(sorted(map(str, f.deals["stage"].dropna().unique()))[:6])
            + ") has a probability in `stage_probabilities`"
        )
    else:
        crm = f"The CRM's weighted pipeline says {money(res, f.weighted_pipeline)}"
    if not _nan(f.commit):
        crm += (
            f"; its commit roll-up {money(res, f.commit)} and best case {money(res, f.best_case)}"
        )
    out.append(crm + ".")
    m = res.backtest.metrics()
    if res.backtest.n:
        out.append(
            f"Checked on {res.backtest.n} past windows: the 80% range held the actual bookings "
            f"{F.fmt_pct(m['coverage_80'], 0)} of the time ({round(m['coverage_80'] * res.backtest.n)}"
            f" of {res.backtest.n})."
        )
        b = _better_text(res)
        if b:
            out.append(b)
    return Summary(out)


def banners(res: ForecastResult) -> list[Banner]:
    out = []
    if res.backtest.n < 8:
        out.append(
            Banner(
                f"Only {res.backtest.n} past windows could be backtested (fewer than 8): the "
                "calibration claim is weak.",
                level="warning",
            )
        )
    coarse = res.forecast.deals["level"].gt(0).mean() if len(res.forecast.deals) else 0.0
    if coarse > 0.5:
        out.append(
            Banner(
                f"{F.fmt_pct(coarse, 0)} of the open deals have too little history in their own "
                "stage × age × due-date cell; their chances come from a coarser cell.",
                level="info",
            )
        )
    if _nan(res.forecast.commit):
        last = res.params.get("last_history")
        why = (
            "no open deal has a forecast category (opportunities.forecast_category)"
            if res.params.get("categories_current", True) or last is None
            else f"the forecast is made as of {pd.Timestamp(res.as_of):%d %b %Y}, before the "
            f"data's last change ({pd.Timestamp(last):%d %b %Y}), and forecast categories have "
            "no history: today's values would leak the outcome"
        )
        out.append(Banner(f"The commit / best case roll-up is not shown: {why}.", level="info"))
    return out


def cards(res: ForecastResult) -> Cards:
    f, m = res.forecast, res.backtest.metrics()
    n_sims = F.fmt_int(res.params["n_sims"])
    out = [
        Card(
            f"Bookings forecast, {res.period.label}",
            money(res, res.p50),
            f"80% range {money(res, res.p10)}–{money(res, res.p90)}; {n_sims} simulations",
        ),
    ]
    if res.has_target:
        out.append(
            Card(
                "Chance of reaching target",
                _pct(res.prob_reach_target),
                f"target {money(res, res.target)} ({res.target_source})",
            )
        )
    # a card only for what the data has: no stage probabilities, categories or past windows,
    # no card (the summary says why)
    if not _nan(f.weighted_pipeline):
        out.append(
            Card(
                "CRM weighted pipeline",
                money(res, f.weighted_pipeline),
                f"{int(f.deals['in_period'].sum())} deals expected to close in the period × "
                "stage probability",
            )
        )
    if not _nan(f.commit):
        out.append(
            Card(
                "Commit / best case",
                f"{money(res, f.commit)} / {money(res, f.best_case)}",
                "CRM forecast categories (current values)",
            )
        )
    if res.backtest.n:
        out.append(
            Card(
                "Backtest: 80% range held",
                F.fmt_pct(m["coverage_80"], 0),
                f"n = {res.backtest.n} past windows; mean CRPS {money(res, m['crps'])}",
            )
        )
    return Cards(out)


def fan_title(res: ForecastResult) -> str:
    if not res.has_target:
        return (
            f"{res.period.label}: {money(res, res.p50)} most likely, 80% between "
            f"{money(res, res.p10)} and {money(res, res.p90)}"
        )
    return (
        f"{res.period.label}: {money(res, res.p50)} most likely, "
        f"{_pct(res.prob_reach_target)} chance to reach {money(res, res.target)}"
    )


def backtest_title(res: ForecastResult) -> str:
    m = res.backtest.metrics()
    if not res.backtest.n:
        return "No past window could be backtested"
    k = round(m["coverage_80"] * res.backtest.n)
    return f"The 80% range held the actual in {k} of {res.backtest.n} past windows"


def _deals_table(res: ForecastResult) -> Table:
    d = res.forecast.top(int(res.params.get("top_deals", 10)))
    df = pd.DataFrame(
        {
            "deal": d["oid"],
            "stage": d["stage"],
            "amount": [money(res, v) for v in d["amount"]],
            "expected close": [str(v) if not pd.isna(v) else F.MISSING for v in d["exp_close"]],
            "age": [F.fmt_days(v) for v in d["age"]],
            "chance to win in period": [_pct(p) for p in d["p"]],
            "history behind it": [f"n = {F.fmt_int(n)}" for n in d["cell_n"]],
            "CRM category": d["forecast_category"].fillna(F.MISSING),
        }
    )
    return Table(df, caption="The deals that matter most (largest swing: amount × √(p(1−p)))")


def _stage_probabilities_text(res: ForecastResult) -> str:
    """The probabilities of the stages the open deals are in (not the defaults' other names)."""
    probs = dict(res.params["stage_probabilities"])
    stages = sorted(map(str, res.forecast.deals["stage"].dropna().unique()))
    known = [f"{s} {_pct(probs[s])}" for s in stages if s in probs]
    unknown = [s for s in stages if s not in probs]
    if not known:
        return (
            "none of the open deals' stages has one, so it is not computed; set "
            "`stage_probabilities` to add it"
            if stages
            else "no open deals"
        )
    return ", ".join(known) + (
        f"; stages without one count 0: {', '.join(unknown[:6])}" if unknown else ""
    )


def _backtest_table(res: ForecastResult) -> Table | None:
    f = res.backtest.frame
    if f.empty:
        return None
    df = pd.DataFrame(
        {
            "window": [f"{s} to {e}" for s, e in zip(f["start"], f["end"], strict=True)],
            "80% range": [
                f"{money(res, a)}–{money(res, b)}"
                for a, b in zip(f["forecast_p10"], f["forecast_p90"], strict=True)
            ],
            "P50": [money(res, v) for v in f["forecast_p50"]],
            "actual": [
                f"{money(res, v)} ({n} deals)"
                for v, n in zip(f["actual"], f["actual_n"], strict=True)
            ],
            "inside": [
                "yes" if lo <= y <= hi else "no"
                for lo, y, hi in zip(f["forecast_p10"], f["actual"], f["forecast_p90"], strict=True)
            ],
            "CRM weighted": [money(res, v) for v in f["weighted_pipeline"]],
            "run rate": [money(res, v) for v in f["run_rate"]],
        }
    )
    return Table(df, caption="Each past window, forecast the day before it started")


def _comparison_table(res: ForecastResult) -> Table:
    c = res.backtest.comparison()
    df = pd.DataFrame(
        {
            "forecast": [METHOD_LABELS[m] for m in c["method"]],
            "bias (mean error)": [F.fmt_pct(v, 0) if not _nan(v) else F.MISSING for v in c["bias"]],
            "MAPE (mean absolute error)": [
                F.fmt_pct(v, 0) if not _nan(v) else F.MISSING for v in c["mape"]
            ],
            "past windows": c["n"],
        }
    )
    return Table(df, caption="Accuracy on the same past windows (lower MAPE is better)")


def _cells_table(res: ForecastResult) -> Table:
    c = res.forecast.model.frame(level=2)
    df = pd.DataFrame(
        {
            "stage": c["stage"],
            f"chance to win within {res.forecast.horizon} days": [_pct(p) for p in c["p"]],
            "deal-snapshots behind it": [F.fmt_int(n) for n in c["n"]],
        }
    ).sort_values(f"chance to win within {res.forecast.horizon} days")
    return Table(df, caption="Learned from history: chance of an open deal closing won, by stage")


def tables(res: ForecastResult) -> Blocks:
    blocks = [_deals_table(res), _cells_table(res), _comparison_table(res), _backtest_table(res)]
    return Blocks([b for b in blocks if b is not None])


def sections(res: ForecastResult) -> list[Section]:
    bt = res.backtest
    return [
        Section(
            "forecast",
            f"Bookings in {res.period.label}: the range of outcomes",
            intro=(
                "Each bar counts simulated outcomes of the period; the shaded band holds 80% "
                "of them (P10 to P90), the blue line is the middle (P50)."
                + (
                    " The CRM's own figures are drawn beside for comparison."
                    if not (_nan(res.forecast.weighted_pipeline) and _nan(res.forecast.commit))
                    else ""
                )
            ),
            plots=["fan"],
        ),
        Section(
            "deals",
            "The deals that matter most, with their chance to win in the period",
            intro=(
                "Grey is what a deal brings if won, blue what it is expected to bring (amount × "
                "chance). The chance is learned from how deals at the same stage, age and "
                "expected-close position closed in the past year; n is the number of past "
                "deal-snapshots behind it."
            ),
            plots=["deals"],
            blocks=[_deals_table(res), _cells_table(res)],
            absent=None if len(res.forecast.deals) else "No deal is open at the forecast time.",
        ),
        Section(
            "backtest",
            backtest_title(res),
            intro=(
                f"The same method run as if on the day before each of {bt.n} past windows of the "
                "period's length (pipeline, stages, amounts and close dates as they were then), "
                "against what was actually booked. Windows start each month, so quarter "
                "windows overlap."
            ),
            plots=["backtest", "calibration"],
            blocks=[b for b in (_comparison_table(res), _backtest_table(res)) if b is not None],
            absent=None if bt.n else "No past window has enough history before it.",
        ),
    ]


def methods(res: ForecastResult) -> Definitions:
    f = res.forecast
    rows = [
        {
            "term": "Chance that an open deal closes won in the period",
            "definition": (
                "Learned from the past year: the pipeline is rebuilt as it stood every "
                f"{7} days ({f.snapshots} snapshots, {F.fmt_int(f.training_rows)} "
                "deal-snapshots) from opportunity_history (stage, amount, expected close date "
                "as they were). For each cell of stage × age (" + ", ".join(_AGE) + ") × "
                "expected-close position (" + ", ".join(_DUE) + "), the chance of being won "
                f"within {f.horizon} days, competing with being lost and allowing for deals "
                f"still open (Aalen–Johansen). A cell with fewer than {res.params['min_cell']} "
                "deal-snapshots borrows from stage × expected-close, then stage, then all. "
                "The expected-close position carries the close-date slip: deals due soon that "
                "usually slip get the chance they had in the past."
            ),
            "formula": "F(h) = Σ over days t ≤ h of Ŝ(t−1) · won_t / at_risk_t",
        },
        {
            "term": "Amount at signature",
            "definition": (
                "Open amounts are scaled by how much won deals' amounts moved between the "
                f"snapshot and the signature in the past year (× {F.fmt_num(f.model.amount_ratio, 3)})."
            ),
            "formula": "Σ final won amount / Σ amount at snapshot",
        },
        {
            "term": "Deals not yet created",
            "definition": (
                f"Created at the rate of the last 90 days times the season ({F.fmt_num(f.new_rate, 2)} "
                f"a day, season factor {F.fmt_num(f.season, 2)}: creations in the period a year "
                "earlier over the 90 days before the forecast time a year earlier), each "
                "won in the time left with the chance learned from deals created in the past "
                "year (cycle time, Aalen–Johansen); their size is drawn from deals won in the "
                "past year within that many days of creation."
            ),
            "formula": "N ~ Poisson(λ Σ_k F_new(D − k))",
        },
        {
            "term": "Monte Carlo",
            "definition": (
                f"{F.fmt_int(res.params['n_sims'])} draws with seed {res.params['seed']} "
                "(numpy Generator): each open deal won or not with its chance, plus the new "
                "deals; P10 / P50 / P90 are quantiles of the draws, the chance of reaching "
                "the target the share of draws at or above it. Deals are independent given "
                "their chances, and every draw is scaled by a shock common to all deals "
                "(lognormal, mean 1), whose size is estimated from how far past pipelines "
                "landed from their expected bookings beyond what chance alone explains "
                f"(here {F.fmt_pct(math.sqrt(f.shock_var), 0)} standard deviation, from "
                f"{f.shock_n} overlapping weekly snapshots)."
            ),
            "formula": "τ² = mean(log(O_s/E_s)² − Var_indep,s/E_s²)",
        },
        {
            "term": "CRM weighted pipeline, commit, best case",
            "definition": (
                "Weighted: amount × the CRM's stage probability ("
                + _stage_probabilities_text(res)
                + ") over open deals expected to close in the period, plus what is already "
                "won. Commit: won + open deals in category Commit; best case: commit + Best "
                "Case. Forecast categories have no history: they are the current values."
            ),
        },
        {
            "term": "Backtest",
            "definition": (
                "Bias: mean of (forecast − actual) / actual; MAPE: mean of |forecast − actual| "
                "/ actual; coverage: share of windows whose actual falls in the 80% range; "
                "CRPS: the continuous ranked probability score of the simulated distribution "
                "(money; lower is better). Run rate: bookings of the 90 days before the "
                "window, scaled to its length."
            ),
            "formula": "CRPS = E|X − y| − ½ E|X − X′| (Gneiting & Raftery 2007)",
        },
        {
            "term": "Money",
            "definition": f"All amounts in {res.currency}, one currency per dataset.",
        },
    ]
    return Definitions(rows, title="Definitions and formulas")


def results_fields(res: ForecastResult) -> dict[str, Any]:
    f, m = res.forecast, res.backtest.metrics()
    top = f.top(int(res.params.get("top_deals", 10)))
    bt = res.backtest.frame
    return {
        "currency": res.currency,
        "p10": res.p10,
        "p50": res.p50,
        "p90": res.p90,
        "mean": float(f.sample.mean()),
        "prob_reach_target": res.prob_reach_target,
        "target": res.target,
        "target_source": res.target_source,
        "weighted_pipeline": f.weighted_pipeline,
        "commit": f.commit,
        "best_case": f.best_case,
        "already_won": f.already_won,
        "expected_open": f.expected_open,
        "expected_new": f.expected_new,
        "n_sims": res.params["n_sims"],
        "seed": res.params["seed"],
        "deals": [
            {
                "opportunity_id": r.oid,
                "stage": r.stage,
                "amount": r.amount,
                "expected_close": None if pd.isna(r.exp_close) else str(r.exp_close),
                "win_probability": r.p,
                "n": int(r.cell_n),
            }
            for r in top.itertuples()
        ],
        "backtest": [
            {
                "period": r.period,
                "start": str(r.start),
                "end": str(r.end),
                "as_of": pd.Timestamp(r.as_of).isoformat(),
                "forecast_p10": r.forecast_p10,
                "forecast_p50": r.forecast_p50,
                "forecast_p90": r.forecast_p90,
                "actual": r.actual,
                "weighted_pipeline": r.weighted_pipeline,
                "run_rate": r.run_rate,
                "crps": r.crps,
            }
            for r in bt.itertuples()
        ],
        "backtest_periods": res.backtest.n,
        "coverage_80": m["coverage_80"],
        "bias": m["bias"],
        "mape": m["mape"],
        "crps": m["crps"],
        "comparison": res.backtest.comparison().to_dict("records"),
    }
