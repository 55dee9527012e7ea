"""Adapters: map a CRM export onto the canonical tables (``DATA_MODEL.md``).

Each adapter reads an export from a folder given by the caller and returns an
:class:`~salesops_lib.data.adapters.maven_crm.AdapterResult`: canonical DataFrames, notes about
what was changed or dropped, and a suggested as-of time. Nothing downstream knows about the CRM.
"""

from salesops_lib.data.adapters.maven_crm import AdapterResult, load_maven_crm

__all__ = ["AdapterResult", "load_maven_crm"]
