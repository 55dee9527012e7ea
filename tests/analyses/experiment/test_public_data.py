"""The A/B evaluation on real public data (Udacity landing-page test), from plain counts.

Skips when ``../shared/datasets`` is absent. The data's known quirks are handled the way an
analyst would: rows whose group and landing page disagree are dropped (3,893), and a user seen
twice is kept once.
"""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from salesops_lib import compare_binary_counts


@pytest.fixture(scope="module")
def udacity_counts(shared_datasets) -> pd.DataFrame:
    df = pd.read_csv(shared_datasets / "udacity_ab" / "ab_data.csv.gz")
    aligned = ((df.group == "control") & (df.landing_page == "old_page")) | (
        (df.group == "treatment") & (df.landing_page == "new_page")
    )
    assert int((~aligned).sum()) == 3_893  # the documented quirk
    clean = df[aligned].drop_duplicates("user_id")
    return (
        clean.groupby("group")["converted"]
        .agg(conversions="sum", n="count")
        .reset_index()
        .rename(columns={"group": "variant"})
    )


def test_udacity_landing_page_test_matches_independent_references(udacity_counts):
    c = udacity_counts.set_index("variant")
    assert int(c.loc["control", "n"]) == 145_274 and int(c.loc["treatment", "n"]) == 145_310
    res = compare_binary_counts(udacity_counts, control="control", metric="Converted")
    eff = res.effects.iloc[0]
    xt, nt = int(c.loc["treatment", "conversions"]), int(c.loc["treatment", "n"])
    xc, nc = int(c.loc["control", "conversions"]), int(c.loc["control", "n"])
    assert eff["abs_diff"] == pytest.approx(xt / nt - xc / nc, abs=1e-12)
    _, p = proportions_ztest([xt, xc], [nt, nc])
    assert eff["p_value"] == pytest.approx(p, rel=1e-9)
    low, high = confint_proportions_2indep(xt, nt, xc, nc, method="newcomb", compare="diff")
    assert (eff["abs_ci_low"], eff["abs_ci_high"]) == pytest.approx((low, high), abs=1e-9)
    # the well-known outcome of this public test: the new page does not convert better
    assert eff["p_value"] == pytest.approx(0.19, abs=0.005)
    assert not eff["significant"]
    assert res.verdict.decision != "ship"
