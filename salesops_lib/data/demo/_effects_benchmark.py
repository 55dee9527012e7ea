"""Planted effects the benchmarking analysis must recover: teams, territories and regions, the
overloaded territory, ramping reps (rep skill is drawn in :mod:`._people`)."""

from __future__ import annotations

import numpy as np

_TEAMS: dict[str, tuple[str, ...]] = {
    "Team North": ("NA-East", "NA-Central"),
    "Team West": ("NA-West", "APAC-North"),
    "Team East": ("EMEA-North", "EMEA-Central"),
    "Team South": ("EMEA-South", "APAC-South"),
}


_MANAGERS = {
    "Team North": "Dana Whitfield",
    "Team West": "Marcus Lee",
    "Team East": "Ingrid Novak",
    "Team South": "Tomás Ferreira",
}


_TERRITORIES = tuple(t for ts in _TEAMS.values() for t in ts)


_TERR_TEAM = tuple(team for team, ts in _TEAMS.items() for _ in ts)


_REGIONS = ("NA", "EMEA", "APAC")


_TERR_REGION = np.array([_REGIONS.index(t.split("-")[0]) for t in _TERRITORIES])


_OVERLOADED = "EMEA-South"


_OVERLOAD_WEIGHT = 2.5


_OVERLOAD_CONVERSION = 0.70  # MQL->SQL multiplier: less follow-up per lead


_RAMP_DAYS = 90


_RAMP_CONVERSION = 0.85  # MQL->SQL multiplier for leads owned by a ramping rep


_RAMP_WIN = 0.80  # win-probability multiplier for deals created in a rep's ramp


_REGION_HOUR = np.array([13, 7, 0])  # start of the 10-hour working day in UTC by region
