"""How the kit writes DuckDB files, so that older DuckDB versions can read them."""

from __future__ import annotations

__all__ = ["DUCKDB_WRITE_CONFIG"]

#: Settings for every DuckDB file the kit writes (demo warehouse, imports): the v1.1.0 storage
#: format, which every DuckDB from 1.1 (the kit's minimum) to 2.x reads. DuckDB 2.0 writes
#: format 69 by default, which conda-forge's DuckDB 1.5 refuses ("can only read 64-68"):
#: measured with DuckDB 2.0.1 writing and 1.5.6 reading.
DUCKDB_WRITE_CONFIG = {"storage_compatibility_version": "v1.1.0"}
