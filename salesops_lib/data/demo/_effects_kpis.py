"""Planted marketing inputs the KPI scorecard reads: campaigns, their costs, cost per lead by
source and the SDR cost per lead (spend and CAC)."""

from __future__ import annotations

import numpy as np

# (name, type, linked source, start month offset, duration days, cost)
_CAMPAIGNS = (
    ("Webinar: Forecasting Without Spreadsheets", "webinar", "Organic", 1, 45, 18_000.0),
    ("SaaStr Annual booth", "trade show", "Events", 5, 30, 95_000.0),
    ("Q2 Paid Social push", "paid social", "Social", 7, 60, 60_000.0),
    ("Brand search sprint", "paid search", "Paid Search", 9, 45, 80_000.0),
    ("Partner co-marketing: CloudStack", "partner", "Partner", 11, 90, 40_000.0),
    ("Dreamforce dinner series", "event", "Events", 11, 20, 70_000.0),
    ("Customer referral bonus", "referral", "Referral", 14, 120, 25_000.0),
    ("Analyst report syndication", "content", "Organic", 18, 60, 35_000.0),
)


_CAMPAIGN_MEMBER_RATE = 0.55


_CPL = np.array([140.0, 35.0, 45.0, 260.0, 0.0, 70.0, 95.0])  # marketing cost per lead by source


_SDR_COST_PER_LEAD = 110.0
