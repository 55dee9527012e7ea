"""The base model every report's parameters derive from: :class:`AnalysisParams`.

Kept under its report name for the params-file loader; the model itself lives with the analyses
(``salesops_lib.analyses._base``) so that each analysis package owns its params model.
"""

from __future__ import annotations

from salesops_lib.analyses._base import AnalysisParams, to_naive_utc

__all__ = ["ReportParams", "to_naive_utc"]

ReportParams = AnalysisParams
