"""Planted inputs the KPI scorecard reads: campaigns, their costs, cost per lead by source and
the SDR cost per lead (spend and CAC), and the lead response time (first contact)."""

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
#: Sales spend per active rep and month (compensation with log-sd 0.03 noise, tools), and the
#: log-sd of the monthly marketing spend around leads × cost per lead.
_COMP_PER_REP_MONTH = 12_500.0
_TOOLS_PER_REP_MONTH = 350.0
_MARKETING_NOISE = 0.1


#: Lead response time: a share of leads is contacted (a call by the lead's owner) after a
#: log-normal delay (median 3 hours, log-sd 1.5: p90 20.5 hours), moved from a weekend to the
#: Monday; the rest never are. No other activity is linked to a lead before its first contact.
_CONTACT_SHARE = 0.9
_CONTACT_MEDIAN_H = 3.0
_CONTACT_LOG_SD = 1.5
