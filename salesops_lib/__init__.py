"""salesops kit: sales-operations analytics and leadership reports.

The public API is this module's ``__all__`` (pinned by ``tests/test_public_api.py``).
"""

from salesops_lib._version import __version__
from salesops_lib.errors import (
    DataValidationError,
    ParamsError,
    ReportExecutionError,
    SalesOpsError,
    SourceError,
)

__all__ = [
    "DataValidationError",
    "ParamsError",
    "ReportExecutionError",
    "SalesOpsError",
    "SourceError",
    "__version__",
]
