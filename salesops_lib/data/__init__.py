"""Data layer of the salesops kit: canonical tables, validation and sources.

See ``docs/ARCHITECTURE.md`` and ``DATA_MODEL.md``.
"""

from salesops_lib.data.schema import TABLES, validate_table
from salesops_lib.data.sources import Source, open_source

__all__ = ["TABLES", "Source", "open_source", "validate_table"]
