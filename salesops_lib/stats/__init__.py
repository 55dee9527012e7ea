"""Statistics layer of the salesops kit: pure functions on counts and summaries.

See ``docs/ARCHITECTURE.md``. Nothing here imports ibis; pandas only shapes tidy results.
"""

from salesops_lib.stats.balance import BalanceResult, SRMResult, balance_check, sample_ratio_test
from salesops_lib.stats.bayes_binary import (
    BayesBinaryResult,
    bayes_beta_binomial,
    bayes_beta_binomial_exact,
)
from salesops_lib.stats.clusters import ClusterComparison, cluster_compare_proportions
from salesops_lib.stats.counts import (
    CountsComparison,
    PoissonRateRatio,
    compare_counts,
    poisson_rate_ratio,
)
from salesops_lib.stats.cuped import (
    CupedResult,
    CupedStats,
    cuped_adjust,
    cuped_compare,
    cuped_compare_from_stats,
)
from salesops_lib.stats.experiments import (
    BinaryComparison,
    NonInferiority,
    compare_arms,
    compare_arms_means,
    compare_proportions,
    compare_time_to_event,
    interval_alpha,
    non_inferiority,
)
from salesops_lib.stats.means import (
    BootstrapResult,
    MannWhitneyResult,
    WelchResult,
    bootstrap_diff_ci,
    mann_whitney,
    welch_test,
    welch_test_from_stats,
    winsorize_pooled,
)
from salesops_lib.stats.power import (
    MDEResult,
    SampleSize,
    mde_means,
    mde_proportions,
    power_means,
    power_proportions,
    sample_size_means,
    sample_size_proportions,
)
from salesops_lib.stats.proportions import (
    ChiSquareResult,
    adjust_pvalues,
    chi_square_homogeneity,
    jeffreys_interval,
    newcombe_diff_interval,
    pairwise_proportions,
    proportion_table,
    two_proportion_ztest,
    wilson_interval,
)
from salesops_lib.stats.sequential import (
    MSPRTResult,
    group_sequential_bounds,
    msprt_binary,
    msprt_pvalues,
    msprt_tau,
    obrien_fleming_bounds,
)
from salesops_lib.stats.shrinkage import (
    fit_beta_binomial,
    funnel_plot_limits,
    rank_intervals,
    shrink_rates,
)
from salesops_lib.stats.survival import KaplanMeier, kaplan_meier, logrank_test

__all__ = [
    "BalanceResult",
    "BayesBinaryResult",
    "BinaryComparison",
    "BootstrapResult",
    "ChiSquareResult",
    "ClusterComparison",
    "CountsComparison",
    "CupedResult",
    "CupedStats",
    "KaplanMeier",
    "MDEResult",
    "MSPRTResult",
    "MannWhitneyResult",
    "NonInferiority",
    "PoissonRateRatio",
    "SRMResult",
    "SampleSize",
    "WelchResult",
    "adjust_pvalues",
    "balance_check",
    "bayes_beta_binomial",
    "bayes_beta_binomial_exact",
    "bootstrap_diff_ci",
    "chi_square_homogeneity",
    "cluster_compare_proportions",
    "compare_arms",
    "compare_arms_means",
    "compare_counts",
    "compare_proportions",
    "compare_time_to_event",
    "cuped_adjust",
    "cuped_compare",
    "cuped_compare_from_stats",
    "fit_beta_binomial",
    "funnel_plot_limits",
    "group_sequential_bounds",
    "interval_alpha",
    "jeffreys_interval",
    "kaplan_meier",
    "logrank_test",
    "mann_whitney",
    "mde_means",
    "mde_proportions",
    "msprt_binary",
    "msprt_pvalues",
    "msprt_tau",
    "newcombe_diff_interval",
    "non_inferiority",
    "obrien_fleming_bounds",
    "pairwise_proportions",
    "poisson_rate_ratio",
    "power_means",
    "power_proportions",
    "proportion_table",
    "rank_intervals",
    "sample_ratio_test",
    "sample_size_means",
    "sample_size_proportions",
    "shrink_rates",
    "two_proportion_ztest",
    "welch_test",
    "welch_test_from_stats",
    "wilson_interval",
    "winsorize_pooled",
]
