"""The currency of a source's money: one helper for every analysis that prints amounts.

Amounts in different currencies cannot be added, so a table whose ``currency`` column holds
more than one value is an error (convert first, e.g. ``load_salesforce(..., currency_rates=)``).
The data's own currency wins over a ``currency`` parameter, which is the fallback for data that
does not say (no ``currency`` column).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis.expr.types as ir

from salesops_lib.errors import DataValidationError

__all__ = ["MONEY_TABLES", "currencies", "data_currency"]

#: Tables whose ``amount`` is money, in the order they are checked.
MONEY_TABLES = ("opportunities", "quotas", "spend")


def currencies(table: ir.Table, limit: int = 6) -> list[str]:
    """Distinct non-empty values of ``table.currency`` (upper case, at most ``limit``), sorted."""
    if "currency" not in table.columns:
        return []
    c = table.currency.cast("string").strip().upper()
    d = table.select(cur=c).filter(lambda t: t.cur.notnull() & (t.cur != "")).distinct()
    return sorted(d.limit(limit).to_pandas()["cur"].astype(str).tolist())


def data_currency(src: Any, *, default: str = "USD", tables: Sequence[str] = MONEY_TABLES) -> str:
    """The one currency of the money ``tables`` the source has, else ``default``.

    Raises
    ------
    DataValidationError
        A table holds several currencies, or two tables hold different ones.
    """
    found: dict[str, list[str]] = {}
    for name in tables:
        if src.has_table(name):
            found[name] = currencies(src.table(name))
    for name, cur in found.items():
        if len(cur) > 1:
            raise DataValidationError(
                table=name,
                column="currency",
                rule="money must be in one currency (amounts in different currencies cannot be "
                "added)",
                n_failing=None,
                examples=cur,
                fix=f"convert `{name}.amount` to one currency before the analysis (the "
                "adapters take exchange rates, e.g. `currency_rates=`)",
            )
    all_cur = sorted({c for cur in found.values() for c in cur})
    if len(all_cur) > 1:
        raise DataValidationError(
            table=", ".join(n for n, c in found.items() if c),
            column="currency",
            rule="the money tables use different currencies",
            examples=all_cur,
            fix="convert every amount to one currency before the analysis",
        )
    return all_cur[0] if all_cur else str(default).upper()
