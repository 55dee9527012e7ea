"""A rep sits in one list (issue 9): never both praised and flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesops_lib.analyses.benchmark._compare import one_list_per_rep

COLS = ["rep_id", "name", "team", "metric", "value", "benchmark", "difference", "certainty",
        "direction", "reason"]  # fmt: skip


def _rows(*rows):
    return pd.DataFrame(
        [
            dict(zip(COLS, (r, r, "T", m, 0.5, 0.4, 0.1, np.nan, d, why), strict=True))
            for r, m, d, why in rows
        ],
        columns=COLS,
    )


def test_praised_and_flagged_rep_moves_to_watch_as_mixed_and_watch_joins_its_list():
    rec = _rows(
        ("R1", "quota_attainment", None, "Attained 130%."),
        ("R2", "win_rate", "clearly above", "Wins."),
    )
    coach = _rows(
        ("R1", "win_rate", "clearly below", "Loses."),
        ("R3", "quota_attainment", None, "Attained 50%."),
    )
    watch = _rows(
        ("R3", "win_rate", "probably below", "Probably below."),
        ("R4", "win_rate", "probably above", "Up."),
    )
    rec2, coach2, watch2 = one_list_per_rep(rec, coach, watch)
    assert list(rec2["rep_id"]) == ["R2"]
    assert list(coach2["rep_id"]) == ["R3"] and "Also: Probably below." in coach2.loc[0, "reason"]
    assert sorted(watch2["rep_id"]) == ["R1", "R1", "R4"]
    mixed = watch2[watch2["rep_id"] == "R1"]
    assert set(mixed["direction"]) == {"mixed signals"}
    assert all(r.startswith("Mixed signals: ") for r in mixed["reason"])
    ids = [set(rec2["rep_id"]), set(coach2["rep_id"]), set(watch2["rep_id"])]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
