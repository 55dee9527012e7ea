"""What the data cannot support: the parts of the benchmarking analysis left out, each with a
short reason and the note the report shows in its place (in the reader's language).

Private; used by :func:`salesops_lib.analyses.benchmark.benchmark_reps`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesops_lib.analyses.benchmark._definitions import _TABLE_COLUMNS, PARTS
from salesops_lib.analyses.benchmark._words import part_what
from salesops_lib.i18n import _

__all__: list[str] = []  # private module


def _not_available(part: str, reason: str, note: str) -> dict[str, str]:
    return {"what": part_what(part), "reason": reason, "note": note}


def _what(part: str, table: str) -> tuple[str, bool]:
    """What the part is called in the report, and whether that is plural."""
    if table == "leads":  # one note for both parts that need leads
        return _("territory balance and lead assignment"), True
    return part_what(part), PARTS[part][1]


def _no_table(part: str, table: str) -> dict[str, str]:
    what, plural = _what(part, table)
    note = (
        _(
            "This data has no `{table}` table, so {what} are not shown. Add `{table}` "
            "({columns}; see the data model) to see them."
        )
        if plural
        else _(
            "This data has no `{table}` table, so {what} is not shown. Add `{table}` "
            "({columns}; see the data model) to see it."
        )
    )
    return _not_available(
        part,
        _("no {table} table").format(table=table),
        note.format(table=table, what=what, columns=_TABLE_COLUMNS[table]),
    )


def _none_in_period(part: str, table: str, reason: str, period: str) -> dict[str, str]:
    what, plural = _what(part, table)
    note = (
        _("The `{table}` table has rows, but {reason} ({period}), so {what} are not shown.")
        if plural
        else _("The `{table}` table has rows, but {reason} ({period}), so {what} is not shown.")
    )
    return _not_available(
        part, reason, note.format(table=table, reason=reason, period=period, what=what)
    )


def _no_column(part: str, column: str) -> dict[str, str]:
    what, plural = part_what(part), PARTS[part][1]
    note = (
        _(
            "The `reps` table has no `{column}` column (or it is empty), so {what} are not "
            "shown. Add `{column}` to `reps` to see them."
        )
        if plural
        else _(
            "The `reps` table has no `{column}` column (or it is empty), so {what} is not "
            "shown. Add `{column}` to `reps` to see it."
        )
    )
    return _not_available(
        part,
        _("no {column} in the reps table").format(column=column),
        note.format(column=column, what=what),
    )


def _availability(
    src: Any,
    *,
    roster: pd.DataFrame,
    deal_sums: pd.DataFrame,
    pipe: pd.DataFrame,
    acts: pd.DataFrame,
    leads: pd.DataFrame,
    quotas: pd.DataFrame,
    period: str,
) -> dict[str, dict[str, str]]:
    """The parts of the analysis the data cannot support, each with a short ``reason`` and the
    ``note`` a report shows in place of the part. A missing table and a table with no rows for
    the period are told apart."""
    na: dict[str, dict[str, str]] = {}
    if not src.has_table("quotas"):
        na["attainment"] = _no_table("attainment", "quotas")
    elif quotas.empty:
        na["attainment"] = _none_in_period(
            "attainment", "quotas", _("no quotas cover this period"), period
        )
    if not src.has_table("activities"):
        na["activities"] = _no_table("activities", "activities")
    elif acts.empty or int(acts["n"].sum()) == 0:
        na["activities"] = _none_in_period(
            "activities", "activities", _("no activities were logged in this period"), period
        )
    has_terr = bool((roster["territory"] != "No territory").any())
    if not src.has_table("leads"):
        na["territory_balance"] = _no_table("territory_balance", "leads")
        na["lead_assignment"] = _no_table("lead_assignment", "leads")
    elif leads.empty or int(leads["leads"].sum()) == 0:
        for part in ("territory_balance", "lead_assignment"):
            na[part] = _none_in_period(
                part, "leads", _("no leads were created in this period"), period
            )
    else:
        if not has_terr and leads["lead_territory"].isna().all():
            na["territory_balance"] = _not_available(
                "territory_balance",
                _("no territory in the reps or leads table"),
                _(
                    "Neither `reps` nor `leads` has a `territory`, so territory balance is not "
                    "shown. Add `territory` to `reps` (or to `leads`) to see it."
                ),
            )
        if "owner_id" not in src.table("leads").columns:
            na["lead_assignment"] = _not_available(
                "lead_assignment",
                _("no owner_id in the leads table"),
                _(
                    "The `leads` table has no `owner_id` column, so lead assignment by rep is not "
                    "shown. Add `owner_id` to `leads` to see it."
                ),
            )
    for part, col, default in (
        ("teams", "team", "No team"),
        ("regions", "region", "No region"),
        ("territories", "territory", "No territory"),
    ):
        if not (roster[col] != default).any():
            na[part] = _no_column(part, col)

    def tot(c: str) -> int:
        return int(deal_sums[c].sum()) if c in deal_sums.columns else 0

    won_amt, lost_amt = tot("won_with_amount"), tot("lost_with_amount")
    open_n = int(pipe["open_deals"].sum()) if len(pipe) else 0
    open_amt = int(pipe["open_with_amount"].sum()) if "open_with_amount" in pipe.columns else 0
    if tot("closed") + tot("created_not_won") + open_n > 0 and (
        won_amt + lost_amt + tot("created_not_won_with_amount") + open_amt == 0
    ):
        na["amounts"] = _not_available(
            "amounts",
            _("no deal has an amount"),
            _(
                "No deal in `opportunities` has an amount, so amount-based figures (win rate by "
                "value, average won deal, pipeline generated, open pipeline, velocity) are not "
                "shown. Add `amount` to `opportunities` to see them."
            ),
        )
        return na
    if tot("lost") > 0 and lost_amt == 0:
        na["win_rate_value"] = _not_available(
            "win_rate_value",
            _("lost deals have no amount"),
            _(
                "Lost deals in `opportunities` have no amount (only won deals do), so the win "
                "rate by value is not shown: it needs the amount of the lost deals too."
            ),
        )
    if tot("created_not_won") > 0 and tot("created_not_won_with_amount") == 0:
        na["pipeline_generated"] = _not_available(
            "pipeline_generated",
            _("open and lost deals have no amount"),
            _(
                "Open and lost deals in `opportunities` have no amount, so pipeline generated "
                "(the amount of the deals created) is not shown: it would count won deals only."
            ),
        )
    if open_n > 0 and open_amt == 0:
        na["open_pipeline"] = _not_available(
            "open_pipeline",
            _("open deals have no amount"),
            _("Open deals in `opportunities` have no amount, so open pipeline is not shown."),
        )
    return na
