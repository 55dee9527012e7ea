"""Planted effects the A/B campaign evaluation must recover: the experiment ``C_AB_MQL_SLA``, its
arms, their true MQL -> SQL rates and delays, the CUPED covariate slope and multi-assignment."""

from __future__ import annotations

import numpy as np
from scipy.special import logit

from salesops_lib.data.demo._effects_benchmark import _OVERLOAD_CONVERSION, _RAMP_CONVERSION

_EXP_ID = "C_AB_MQL_SLA"


_ARMS = ("control", "fast_followup", "sequence_b")


_ARM_SPLIT = (0.3333, 0.3333, 0.3334)


_ARM_RATES = np.array([0.30, 0.36, 0.30])


_ARM_SQL_DELAY = np.array([8.0, 4.0, 8.0])  # median days to SQL (all within the 30-day window)


_EXP_WINDOW_DAYS = 30


# The experiment enrols every lead at its MQL time for 13 months, ending one quarter after the
# middle of the period (24 months from 2024-10-01: 2024-12-01 .. 2025-12-31). At 50,000 leads that
# is ~16,000 units (~5,300 per arm: 95% half-width of the lift ~1.8 pp); at 20,000 ~2,100 per arm.
# It ends before the last quarters, so Q1 2026 (the default funnel cohort) lies outside it.
_EXP_END_MONTH_AFTER_MID = 3


_EXP_MONTHS = 13


_EXP_GAMMA = 1.2  # logit slope on the standardised pre-period engagement score


# the overloaded territory and ramping reps follow up less in every arm too: logit shifts equal to
# their MQL->SQL multipliers applied at the control rate (arm intercepts are solved so that each
# arm's mean over the units is still exactly its true rate)
_EXP_OVERLOAD_LOGIT = float(logit(_OVERLOAD_CONVERSION * _ARM_RATES[0]) - logit(_ARM_RATES[0]))


_EXP_RAMP_LOGIT = float(logit(_RAMP_CONVERSION * _ARM_RATES[0]) - logit(_ARM_RATES[0]))


_MULTI_ASSIGN = 0.003
