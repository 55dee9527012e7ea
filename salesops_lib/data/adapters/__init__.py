"""Adapters: map a CRM export onto the canonical tables (``DATA_MODEL.md``).

Each adapter reads an export from a folder given by the caller and returns an
:class:`~salesops_lib.data.adapters.maven_crm.AdapterResult`: canonical DataFrames, notes about
what was changed or dropped, a data-quality summary and a suggested as-of time. Nothing
downstream knows about the CRM. Formats: ``maven-crm``, ``salesforce`` (object CSVs with API
field names), ``hubspot`` (deals/contacts/owners/engagements) and ``mapping`` (any CSV/Parquet
folder with a YAML mapping) and ``ab-log`` (a one-table A/B test log); see ``docs/adapters.md``.
"""

from salesops_lib.data.adapters.ab_log import load_ab_log
from salesops_lib.data.adapters.hubspot import load_hubspot
from salesops_lib.data.adapters.mapping import load_mapping
from salesops_lib.data.adapters.maven_crm import AdapterResult, load_maven_crm
from salesops_lib.data.adapters.salesforce import load_salesforce

__all__ = [
    "AdapterResult",
    "load_ab_log",
    "load_hubspot",
    "load_mapping",
    "load_maven_crm",
    "load_salesforce",
]
