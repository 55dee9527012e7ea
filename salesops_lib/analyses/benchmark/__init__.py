"""Benchmarking reps, teams, regions and territories fairly, with intervals.

Leaderboards that rank raw numbers put a rep with 3 wins out of 3 deals on top and make a rep in
a weak territory look lazy. This analysis compares reps *fairly* and says *how sure* it is:

- every rate comes with an interval (Wilson for win rates, a ratio-estimator interval for the
  value win rate, exact Poisson for activity rates, Brookmeyer–Crowley for the censoring-aware
  median sales cycle);
- win rates are shrunk towards the company rate with an empirical-Bayes beta-binomial prior
  (:func:`salesops_lib.stats.shrinkage.shrink_rates`), so a rep with few deals is not ranked at an
  extreme;
- a funnel plot (rate against number of deals with 95% and 99.8% control limits) separates
  outliers (outside 99.8%) from possible ones and from noise, and each rep's rank comes with an
  interval;
- with ~25 reps compared at once, "clearly above/below" needs a multiplicity-aware bar
  (Bonferroni: 1 − (1 − certainty) / reps); reps between ``certainty`` and that bar are only
  "probably" above/below (a watch list);
- a rep is credited only with deals closed (created) and activities logged while employed;
  deals closed after their owner left are reported, not credited;
- internal benchmarks (median rep, top quartile) and external ones (``params/benchmarks``, each
  with its own definition and source, shown next to ours);
- quota attainment as a distribution (share of reps at ≥80/100/120%), ramp-adjusted for new hires;
- territory balance (leads, accounts and open pipeline per rep; coefficient of variation, Gini);
- recognition and coaching lists with the reason, the distance from the benchmark and the
  certainty.

All per-rep aggregation runs in the engine (Ibis group-bys over opportunities, activities, quotas
and leads); only the small per-rep table comes back to pandas.

References
----------
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    *Statistics in Medicine* 24, 1185-1202.
Efron, B. & Morris, C. (1975). Data analysis using Stein's estimator and its generalizations.
    *JASA* 70, 311-319.
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53, 457-481.
"""

from salesops_lib.analyses.benchmark._analysis import benchmark_reps
from salesops_lib.analyses.benchmark._compare import (
    benchmark_table,
    recognition_lists,
    territory_balance,
)
from salesops_lib.analyses.benchmark._definitions import (
    BENCHMARK_KEYS,
    FUNNEL_STATUS,
    METRICS,
    PARTS,
    UNKNOWN_REP,
    MetricDef,
    load_benchmarks,
)
from salesops_lib.analyses.benchmark._result import BenchmarkResult
from salesops_lib.analyses.benchmark._stats import (
    attainment_distribution,
    group_figures,
)
from salesops_lib.analyses.benchmark.params import BenchmarkParams

__all__ = [
    "BENCHMARK_KEYS",
    "FUNNEL_STATUS",
    "METRICS",
    "PARTS",
    "UNKNOWN_REP",
    "BenchmarkParams",
    "BenchmarkResult",
    "MetricDef",
    "attainment_distribution",
    "benchmark_reps",
    "benchmark_table",
    "group_figures",
    "load_benchmarks",
    "recognition_lists",
    "territory_balance",
]
