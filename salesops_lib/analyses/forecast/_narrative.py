"""Words of the pipeline forecast: headline, summary, cards, banners, tables, sections, methods
and the JSON fields. Reads the numbers of ``_result``; computes none beyond formatting."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesops_lib.analyses._base import Section
from salesops_lib.analyses._period_text import period_date, period_label
from salesops_lib.i18n import _
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


def _day(d: Any) -> str:
    """A date as before in English (ISO or ``30 Jun 2026``), ``30 giu 2026`` otherwise."""
    return period_date(d)


def headline(res: ForecastResult) -> str:
    fields = {
        "period": period_label(res.period),
        "p50": money(res, res.p50),
        "p10": money(res, res.p10),
        "p90": money(res, res.p90),
    }
    if not res.has_target:
        return _("{period} bookings forecast {p50} (80% range {p10}–{p90})").format(**fields)
    return _(
        "{period} bookings forecast {p50} (80% range {p10}–{p90}); {chance} chance of reaching "
        "the {target} target"
    ).format(**fields, chance=_pct(res.prob_reach_target), target=money(res, res.target))


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
    if d > 0:
        msg = _(
            "Over the {n} past windows the forecast's P50 missed by {mape} on average (mean "
            "absolute percentage error), {diff} more accurate than the best alternative, the "
            "{other} ({other_mape})."
        )
    else:
        msg = _(
            "Over the {n} past windows the forecast's P50 missed by {mape} on average (mean "
            "absolute percentage error), {diff} less accurate than the best alternative, the "
            "{other} ({other_mape})."
        )
    return msg.format(
        n=res.backtest.n,
        mape=F.fmt_pct(kit, 0),
        diff=F.fmt_pp(abs(d), 1, sign=False),
        other=_(METHOD_LABELS[best_other]),
        other_mape=F.fmt_pct(o, 0),
    )


def summary(res: ForecastResult) -> Summary:
    f = res.forecast
    out = [
        _(
            "Bookings closing in {period} ({start} to {end}) are forecast at {p50}, with an 80% "
            "chance of falling between {p10} and {p90} ({sims} simulations of the {deals} open "
            "deals and the deals still to come)."
        ).format(
            period=period_label(res.period),
            start=_day(res.period.start),
            end=_day(res.period.end),
            p50=money(res, res.p50),
            p10=money(res, res.p10),
            p90=money(res, res.p90),
            sims=F.fmt_int(res.params["n_sims"]),
            deals=F.fmt_int(len(f.deals)),
        ),
    ]
    if res.has_target:
        if res.target_source == "quotas":
            msg = _(
                "The chance of reaching the target of {target} (the quotas of the period) is "
                "{chance}."
            )
        else:
            msg = _(
                "The chance of reaching the target of {target} (set as a parameter) is {chance}."
            )
        out.append(msg.format(target=money(res, res.target), chance=_pct(res.prob_reach_target)))
    else:
        out.append(
            _(
                "There is no target to compare with ({why}); pass `target` (the bookings goal "
                "of the period) to add the chance of reaching it."
            ).format(why=_(res.target_source))
        )
    fields = {
        "won": money(res, f.already_won),
        "won_n": F.fmt_int(f.already_won_n),
        "open": money(res, f.expected_open),
        "new": money(res, f.expected_new),
        # "about 101 deals", not "about 100.8": an expected count, said roughly
        "new_n": F.fmt_num(f.new_mean, 0 if f.new_mean >= 10 else 1),
    }
    if f.already_won:
        msg = _(
            "On average: {won} already won ({won_n} deals), {open} expected from the open deals, "
            "{new} from about {new_n} deals not yet created."
        )
    else:
        msg = _(
            "On average: {open} expected from the open deals, {new} from about {new_n} deals "
            "not yet created."
        )
    out.append(msg.format(**fields))
    cf = {
        "stages": ", ".join(sorted(map(str, f.deals["stage"].dropna().unique()))[:6]),
        "weighted": money(res, f.weighted_pipeline),
        "commit": money(res, f.commit),
        "best": money(res, f.best_case),
    }
    if _nan(f.weighted_pipeline):
        if _nan(f.commit):
            msg = _(
                "There is no CRM weighted pipeline to compare with: none of the open deals' "
                "stages ({stages}) has a probability in `stage_probabilities`."
            )
        else:
            msg = _(
                "There is no CRM weighted pipeline to compare with: none of the open deals' "
                "stages ({stages}) has a probability in `stage_probabilities`; its commit "
                "roll-up {commit} and best case {best}."
            )
    elif _nan(f.commit):
        msg = _("The CRM's weighted pipeline says {weighted}.")
    else:
        msg = _(
            "The CRM's weighted pipeline says {weighted}; its commit roll-up {commit} and best "
            "case {best}."
        )
    out.append(msg.format(**cf))
    m = res.backtest.metrics()
    if res.backtest.n:
        out.append(
            _(
                "Checked on {n} past windows: the 80% range held the actual bookings {share} of "
                "the time ({k} of {n})."
            ).format(
                n=res.backtest.n,
                share=F.fmt_pct(m["coverage_80"], 0),
                k=round(m["coverage_80"] * res.backtest.n),
            )
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
                _(
                    "Only {n} past windows could be backtested (fewer than 8): the calibration "
                    "claim is weak."
                ).format(n=res.backtest.n),
                level="warning",
            )
        )
    coarse = res.forecast.deals["level"].gt(0).mean() if len(res.forecast.deals) else 0.0
    if coarse > 0.5:
        out.append(
            Banner(
                _(
                    "{share} of the open deals have too little history in their own stage × age "
                    "× due-date cell; their chances come from a coarser cell."
                ).format(share=F.fmt_pct(coarse, 0)),
                level="info",
            )
        )
    if _nan(res.forecast.commit):
        last = res.params.get("last_history")
        if res.params.get("categories_current", True) or last is None:
            msg = _(
                "The commit / best case roll-up is not shown: no open deal has a forecast "
                "category (opportunities.forecast_category)."
            )
        else:
            msg = _(
                "The commit / best case roll-up is not shown: the forecast is made as of {as_of}, "
                "before the data's last change ({last}), and forecast categories have no "
                "history: today's values would leak the outcome."
            )
        out.append(
            Banner(
                msg.format(
                    as_of=F.fmt_date(res.as_of),
                    last=F.fmt_date(last) if last is not None else "",
                ),
                level="info",
            )
        )
    return out


def cards(res: ForecastResult) -> Cards:
    f, m = res.forecast, res.backtest.metrics()
    n_sims = F.fmt_int(res.params["n_sims"])
    out = [
        Card(
            _("Bookings forecast, {period}").format(period=period_label(res.period)),
            money(res, res.p50),
            _("80% range {p10}–{p90}; {sims} simulations").format(
                p10=money(res, res.p10), p90=money(res, res.p90), sims=n_sims
            ),
        ),
    ]
    if res.has_target:
        out.append(
            Card(
                _("Chance of reaching target"),
                _pct(res.prob_reach_target),
                _("target {target} ({source})").format(
                    target=money(res, res.target), source=_(res.target_source)
                ),
            )
        )
    # a card only for what the data has: no stage probabilities, categories or past windows,
    # no card (the summary says why)
    if not _nan(f.weighted_pipeline):
        n = int(f.deals["in_period"].sum())
        out.append(
            Card(
                _("CRM weighted pipeline"),
                money(res, f.weighted_pipeline),
                _("{n} deals expected to close in the period × stage probability").format(n=n),
            )
        )
    if not _nan(f.commit):
        out.append(
            Card(
                _("Commit / best case"),
                f"{money(res, f.commit)} / {money(res, f.best_case)}",
                _("CRM forecast categories (current values)"),
            )
        )
    if res.backtest.n:
        out.append(
            Card(
                _("Backtest: 80% range held"),
                F.fmt_pct(m["coverage_80"], 0),
                _("n = {n} past windows; mean CRPS {crps}").format(
                    n=res.backtest.n, crps=money(res, m["crps"])
                ),
            )
        )
    return Cards(out)


def fan_title(res: ForecastResult) -> str:
    fields = {
        "period": period_label(res.period),
        "p50": money(res, res.p50),
        "p10": money(res, res.p10),
        "p90": money(res, res.p90),
    }
    if not res.has_target:
        return _("{period}: {p50} most likely, 80% between {p10} and {p90}").format(**fields)
    return _("{period}: {p50} most likely, {chance} chance to reach {target}").format(
        **fields, chance=_pct(res.prob_reach_target), target=money(res, res.target)
    )


def backtest_title(res: ForecastResult) -> str:
    m = res.backtest.metrics()
    if not res.backtest.n:
        return _("No past window could be backtested")
    k = round(m["coverage_80"] * res.backtest.n)
    return _("The 80% range held the actual in {k} of {n} past windows").format(
        k=k, n=res.backtest.n
    )


def _deals_table(res: ForecastResult) -> Table:
    d = res.forecast.top(int(res.params.get("top_deals", 10)))
    df = pd.DataFrame(
        {
            _("deal"): d["oid"],
            _("stage"): d["stage"],
            _("amount"): [money(res, v) for v in d["amount"]],
            _("expected close"): [_day(v) if not pd.isna(v) else F.MISSING for v in d["exp_close"]],
            _("age"): [F.fmt_days(v) for v in d["age"]],
            _("chance to win in period"): [_pct(p) for p in d["p"]],
            _("history behind it"): [f"n = {F.fmt_int(n)}" for n in d["cell_n"]],
            _("CRM category"): d["forecast_category"].fillna(F.MISSING),
        }
    )
    return Table(df, caption=_("The deals that matter most (largest swing: amount × √(p(1−p)))"))


def _stage_probabilities_text(res: ForecastResult) -> str:
    """The probabilities of the stages the open deals are in (not the defaults' other names)."""
    probs = dict(res.params["stage_probabilities"])
    stages = sorted(map(str, res.forecast.deals["stage"].dropna().unique()))
    known = [f"{s} {_pct(probs[s])}" for s in stages if s in probs]
    unknown = [s for s in stages if s not in probs]
    if not known:
        return (
            _(
                "none of the open deals' stages has one, so it is not computed; set "
                "`stage_probabilities` to add it"
            )
            if stages
            else _("no open deals")
        )
    return ", ".join(known) + (
        _("; stages without one count 0: {stages}").format(stages=", ".join(unknown[:6]))
        if unknown
        else ""
    )


def _backtest_table(res: ForecastResult) -> Table | None:
    f = res.backtest.frame
    if f.empty:
        return None
    window = _("{start} to {end}")
    df = pd.DataFrame(
        {
            _("window"): [
                window.format(start=_day(s), end=_day(e))
                for s, e in zip(f["start"], f["end"], strict=True)
            ],
            _("80% range"): [
                f"{money(res, a)}–{money(res, b)}"
                for a, b in zip(f["forecast_p10"], f["forecast_p90"], strict=True)
            ],
            "P50": [money(res, v) for v in f["forecast_p50"]],
            _("actual"): [
                _("{amount} ({n} deals)").format(amount=money(res, v), n=n)
                for v, n in zip(f["actual"], f["actual_n"], strict=True)
            ],
            _("inside"): [
                _("yes") if lo <= y <= hi else _("no")
                for lo, y, hi in zip(f["forecast_p10"], f["actual"], f["forecast_p90"], strict=True)
            ],
            _("CRM weighted"): [money(res, v) for v in f["weighted_pipeline"]],
            _("run rate"): [money(res, v) for v in f["run_rate"]],
        }
    )
    return Table(df, caption=_("Each past window, forecast the day before it started"))


def _comparison_table(res: ForecastResult) -> Table:
    c = res.backtest.comparison()
    df = pd.DataFrame(
        {
            _("forecast"): [_(METHOD_LABELS[m]) for m in c["method"]],
            _("bias (mean error)"): [
                F.fmt_pct(v, 0) if not _nan(v) else F.MISSING for v in c["bias"]
            ],
            _("MAPE (mean absolute error)"): [
                F.fmt_pct(v, 0) if not _nan(v) else F.MISSING for v in c["mape"]
            ],
            _("past windows"): c["n"],
        }
    )
    return Table(df, caption=_("Accuracy on the same past windows (lower MAPE is better)"))


def _cells_table(res: ForecastResult) -> Table:
    c = res.forecast.model.frame(level=2)
    chance = _("chance to win within {days} days").format(days=res.forecast.horizon)
    df = pd.DataFrame(
        {
            _("stage"): c["stage"],
            chance: [_pct(p) for p in c["p"]],
            _("deal-snapshots behind it"): [F.fmt_int(n) for n in c["n"]],
        }
    ).sort_values(chance)
    return Table(
        df, caption=_("Learned from history: chance of an open deal closing won, by stage")
    )


def tables(res: ForecastResult) -> Blocks:
    blocks = [_deals_table(res), _cells_table(res), _comparison_table(res), _backtest_table(res)]
    return Blocks([b for b in blocks if b is not None])


def sections(res: ForecastResult) -> list[Section]:
    bt = res.backtest
    crm_drawn = not (_nan(res.forecast.weighted_pipeline) and _nan(res.forecast.commit))
    return [
        Section(
            "forecast",
            _("Bookings in {period}: the range of outcomes").format(
                period=period_label(res.period)
            ),
            intro=(
                _(
                    "Each bar counts simulated outcomes of the period; the shaded band holds "
                    "80% of them (P10 to P90), the blue line is the middle (P50). The CRM's own "
                    "figures are drawn beside for comparison."
                )
                if crm_drawn
                else _(
                    "Each bar counts simulated outcomes of the period; the shaded band holds "
                    "80% of them (P10 to P90), the blue line is the middle (P50)."
                )
            ),
            plots=["fan"],
        ),
        Section(
            "deals",
            _("The deals that matter most, with their chance to win in the period"),
            intro=_(
                "Grey is what a deal brings if won, blue what it is expected to bring (amount × "
                "chance). The chance is learned from how deals at the same stage, age and "
                "expected-close position closed in the past year; n is the number of past "
                "deal-snapshots behind it."
            ),
            plots=["deals"],
            blocks=[_deals_table(res), _cells_table(res)],
            absent=None if len(res.forecast.deals) else _("No deal is open at the forecast time."),
        ),
        Section(
            "backtest",
            backtest_title(res),
            intro=_(
                "The same method run as if on the day before each of {n} past windows of the "
                "period's length (pipeline, stages, amounts and close dates as they were then), "
                "against what was actually booked. Windows start each month, so quarter "
                "windows overlap."
            ).format(n=bt.n),
            plots=["backtest", "calibration"],
            blocks=[b for b in (_comparison_table(res), _backtest_table(res)) if b is not None],
            absent=None if bt.n else _("No past window has enough history before it."),
        ),
    ]


def methods(res: ForecastResult) -> Definitions:
    f = res.forecast
    rows = [
        {
            "term": _("Chance that an open deal closes won in the period"),
            "definition": _(
                "Learned from the past year: the pipeline is rebuilt as it stood every {every} "
                "days ({snapshots} snapshots, {rows} deal-snapshots) from opportunity_history "
                "(stage, amount, expected close date as they were). For each cell of stage × "
                "age ({ages}) × expected-close position ({dues}), the chance of being won "
                "within {horizon} days, competing with being lost and allowing for deals still "
                "open (Aalen–Johansen). A cell with fewer than {min_cell} deal-snapshots "
                "borrows from stage × expected-close, then stage, then all. The expected-close "
                "position carries the close-date slip: deals due soon that usually slip get "
                "the chance they had in the past."
            ).format(
                every=7,
                snapshots=f.snapshots,
                rows=F.fmt_int(f.training_rows),
                ages=", ".join(_(a) for a in _AGE),
                dues=", ".join(_(d) for d in _DUE),
                horizon=f.horizon,
                min_cell=res.params["min_cell"],
            ),
            "formula": _("F(h) = Σ over days t ≤ h of Ŝ(t−1) · won_t / at_risk_t"),
        },
        {
            "term": _("Amount at signature"),
            "definition": _(
                "Open amounts are scaled by how much won deals' amounts moved between the "
                "snapshot and the signature in the past year (× {ratio})."
            ).format(ratio=F.fmt_num(f.model.amount_ratio, 3)),
            "formula": _("Σ final won amount / Σ amount at snapshot"),
        },
        {
            "term": _("Deals not yet created"),
            "definition": _(
                "Created at the rate of the last 90 days times the season ({rate} a day, season "
                "factor {season}: creations in the period a year earlier over the 90 days "
                "before the forecast time a year earlier), each won in the time left with the "
                "chance learned from deals created in the past year (cycle time, "
                "Aalen–Johansen); their size is drawn from deals won in the past year within "
                "that many days of creation."
            ).format(rate=F.fmt_num(f.new_rate, 2), season=F.fmt_num(f.season, 2)),
            "formula": "N ~ Poisson(λ Σ_k F_new(D − k))",
        },
        {
            "term": _("Monte Carlo"),
            "definition": _(
                "{sims} draws with seed {seed} (numpy Generator): each open deal won or not "
                "with its chance, plus the new deals; P10 / P50 / P90 are quantiles of the "
                "draws, the chance of reaching the target the share of draws at or above it. "
                "Deals are independent given their chances, and every draw is scaled by a "
                "shock common to all deals (lognormal, mean 1), whose size is estimated from "
                "how far past pipelines landed from their expected bookings beyond what chance "
                "alone explains (here {sd} standard deviation, from {shock_n} overlapping "
                "weekly snapshots)."
            ).format(
                sims=F.fmt_int(res.params["n_sims"]),
                seed=res.params["seed"],
                sd=F.fmt_pct(math.sqrt(f.shock_var), 0),
                shock_n=f.shock_n,
            ),
            "formula": _("τ² = mean(log(O_s/E_s)² − Var_indep,s/E_s²)"),
        },
        {
            "term": _("CRM weighted pipeline, commit, best case"),
            "definition": _(
                "Weighted: amount × the CRM's stage probability ({probabilities}) over open "
                "deals expected to close in the period, plus what is already won. Commit: won "
                "+ open deals in category Commit; best case: commit + Best Case. Forecast "
                "categories have no history: they are the current values."
            ).format(probabilities=_stage_probabilities_text(res)),
        },
        {
            "term": _("Backtest"),
            "definition": _(
                "Bias: mean of (forecast − actual) / actual; MAPE: mean of |forecast − actual| "
                "/ actual; coverage: share of windows whose actual falls in the 80% range; "
                "CRPS: the continuous ranked probability score of the simulated distribution "
                "(money; lower is better). Run rate: bookings of the 90 days before the "
                "window, scaled to its length."
            ),
            "formula": "CRPS = E|X − y| − ½ E|X − X′| (Gneiting & Raftery 2007)",
        },
        {
            "term": _("Money"),
            "definition": _("All amounts in {currency}, one currency per dataset.").format(
                currency=res.currency
            ),
        },
    ]
    return Definitions(rows, title=_("Definitions and formulas"))


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
