"""Name pools for reps, managers and accounts."""

from __future__ import annotations

_FIRST = (
    "Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall",
    "Logan", "Morgan", "Noa", "Parker", "Quinn", "Riley", "Sasha", "Taylor", "Rowan", "Skyler",
    "Alex", "Jamie", "Priya", "Kenji", "Lucia", "Omar", "Chen", "Fatima", "Lars", "Aisha", "Mateo",
)  # fmt: skip


_LAST = (
    "Nguyen", "Schmidt", "Okafor", "Rossi", "Tanaka", "Larsen", "Silva", "Kowalski", "Haddad",
    "Murphy", "Dubois", "Patel", "Garcia", "Johansson", "Kim", "Walker", "Moreau", "Yilmaz",
    "Novak", "Fischer", "Costa", "Ivanova", "Brennan", "Sato", "Mendes",
)  # fmt: skip


_INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
    "Media", "Logistics", "Energy", "Professional Services",
)  # fmt: skip


_NAME_A = (
    "Blue", "North", "Bright", "Silver", "Pioneer", "Summit", "Harbor", "Granite", "Evergreen",
    "Atlas", "Vertex", "Crescent", "Cedar", "Orbit", "Nimbus", "Keystone", "Lumen", "Redwood",
)  # fmt: skip


_NAME_B = (
    "Analytics", "Systems", "Health", "Logistics", "Foods", "Energy", "Labs", "Capital",
    "Networks", "Retail", "Robotics", "Media", "Partners", "Works", "Dynamics", "Solutions",
)  # fmt: skip


_NAME_C = ("Inc", "Ltd", "GmbH", "LLC", "Group", "Co", "SA", "Pty")
