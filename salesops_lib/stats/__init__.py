"""Statistics layer of the salesops kit: pure functions on counts and summaries.

See ``docs/ARCHITECTURE.md``. Nothing here imports ibis; pandas only shapes tidy results.
"""

from salesops_lib.stats.proportions import (
    ChiSquareResult,
    adjust_pvalues,
    chi_square_homogeneity,
    newcombe_diff_interval,
    pairwise_proportions,
    proportion_table,
    two_proportion_ztest,
    wilson_interval,
)
from salesops_lib.stats.shrinkage import (
    fit_beta_binomial,
    funnel_plot_limits,
    rank_intervals,
    shrink_rates,
)
from salesops_lib.stats.survival import KaplanMeier, kaplan_meier, logrank_test

__all__ = [
    "ChiSquareResult",
    "KaplanMeier",
    "adjust_pvalues",
    "chi_square_homogeneity",
    "fit_beta_binomial",
    "funnel_plot_limits",
    "kaplan_meier",
    "logrank_test",
    "newcombe_diff_interval",
    "pairwise_proportions",
    "proportion_table",
    "rank_intervals",
    "shrink_rates",
    "two_proportion_ztest",
    "wilson_interval",
]
