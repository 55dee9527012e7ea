"""Planted effects the funnel analysis must recover: lead sources and their step rates,
segments and deal sizes, the opportunity stage path and its bottleneck."""

from __future__ import annotations

import numpy as np

_SOURCES = ("Paid Search", "Organic", "Referral", "Events", "Outbound", "Partner", "Social")


_SOURCE_SHARE = np.array([0.25, 0.18, 0.12, 0.10, 0.15, 0.08, 0.12])


# per source: created->MQL, MQL->SQL, SQL->opportunity, opportunity->won (base, before rep skill).
# MQL->SQL outside the experiment averages ~0.28 over MQLs, close to the experiment's 0.32, so the
# experiment (half of all MQLs) does not make the funnel's MQL->SQL drift much over time; win rates
# (~0.36 overall) stay clearly above it, so MQL->SQL is the lead funnel's bottleneck everywhere.
_SOURCE_RATES = np.array(
    [
        [0.55, 0.18, 0.55, 0.28],  # Paid Search (worst)
        [0.65, 0.28, 0.60, 0.35],  # Organic
        [0.85, 0.38, 0.70, 0.45],  # Referral (best)
        [0.75, 0.25, 0.60, 0.33],  # Events
        [0.55, 0.30, 0.65, 0.32],  # Outbound
        [0.70, 0.33, 0.65, 0.40],  # Partner
        [0.50, 0.25, 0.60, 0.31],  # Social
    ]
)


# share of a source's SQLs that skip MQL (sales-ready on arrival)
_SKIP_MQL = np.array([0.05, 0.08, 0.25, 0.10, 0.35, 0.20, 0.05])


_LEAD_STEPS = ("created->MQL", "MQL->SQL", "SQL->opportunity", "opportunity->won")


_LEAD_STATUSES = ("MQL", "SQL", "Disqualified", "Nurture")


_LEAD_CURRENT = ("New", "MQL", "SQL", "Disqualified", "Nurture", "Converted")


_SEGMENTS = ("SMB", "Mid-Market", "Enterprise")


_SEGMENT_SHARE = np.array([0.60, 0.30, 0.10])


_AMOUNT_MEDIAN = np.array([9_000.0, 38_000.0, 140_000.0])


_AMOUNT_SIGMA = np.array([0.55, 0.65, 0.80])


_CYCLE_FACTOR = np.array([1.0, 1.7, 3.0])


_PRODUCTS = ("Starter", "Professional", "Enterprise Suite")


_PRODUCT_BY_SEGMENT = np.array([[0.60, 0.40, 0.0], [0.0, 0.70, 0.30], [0.0, 0.20, 0.80]])


_PRODUCT_FACTOR = np.array([0.8, 1.0, 1.35])


_OPP_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation")


_OPP_ALL_STAGES = (*_OPP_STAGES, "Closed Won", "Closed Lost")


_OPP_STEP_DESIGN = np.array([0.88, 0.80, 0.62, 0.82])  # Proposal->Negotiation is the bottleneck


_OPP_STEPS = (
    "Prospecting->Qualification",
    "Qualification->Proposal",
    "Proposal->Negotiation",
    "Negotiation->won",
)


_WEEKDAY_MULT = np.array([1.0, 1.05, 1.05, 1.0, 0.9, 0.3, 0.25])
