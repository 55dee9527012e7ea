"""Planted inputs the pipeline forecast must learn: how long deals stay in each stage (which,
with the close date a deal is given at creation, makes about four in ten deals close later than
first expected: the truth file's ``close_date_slip``), the CRM forecast categories, and the
season and growth of deal creation (the forecast's season factor and creation rate).

The forecast's own truth is the data itself: the demo runs to the end of Q3 2026, so a forecast
made at the end of Q2 (``params/pipeline_forecast.yaml``) and its backtest are scored against
what was booked."""

from __future__ import annotations

import numpy as np

_STAGE_DWELL_MEDIAN = np.array([5.0, 7.0, 13.0, 6.0])  # days in each stage (SMB; x cycle factor)


_STAGE_DWELL_SIGMA = 0.55


_FORECAST = ("Pipeline", "Best Case", "Commit", "Closed", "Omitted")


_MONTH_MULT = {
    1: 0.95, 2: 1.00, 3: 1.10, 4: 1.00, 5: 1.00, 6: 0.90,
    7: 0.80, 8: 0.75, 9: 1.00, 10: 1.15, 11: 1.20, 12: 1.10,
}  # fmt: skip


_TREND_PER_YEAR = 0.20
