"""Engine-side counting for the funnel analysis (private; see :mod:`salesops_lib.analyses.funnel`).

Everything here builds Ibis expressions; only small count tables come back to Python.

The per-entity *reach table* has one row per lead (or opportunity) created in a time range, with

* ``_id``, ``_created``: the entity's id and creation time;
* ``_r{k}``: the first time the entity reached stage ``k`` itself (NULL if never, or after as-of);
* ``_t{k}``: the first time it reached stage ``k`` *or any later stage*
  (``_t{k} = min(_r{k}, _r{k+1}, ...)``), so skips count as passing and ``_t{k} <= _t{k+1}``;
* ``_s{k}`` (``k < K - 1``): True when the entity reached stage ``k`` only by the "or later"
  rule (it never had stage ``k`` itself: a *skip*; ``_t{k+1} = _t{k}``, so it converts at day 0);
* one column per breakdown (values cast to string, NULL shown as ``"(missing)"``).

Population filters (``EngineSpec.filters``) are applied to the entity table before anything is
counted, with the same column resolution and string values as breakdowns (so ``"(missing)"``
selects entities without a value): every reach table of the engine holds only the filtered
population. Members of the campaigns in ``EngineSpec.exclude_campaigns`` (``campaign_members``
rows assigned by as-of) are removed the same way.

Campaign overlap (:meth:`FunnelEngine.campaign_overlap`): the reach table is joined with the
members of every campaign (distinct ids), counting members that reached each stage, so the
report can say when an experiment or a campaign covers a large share of a compared cohort.

Counting rules for step ``k -> k+1`` with window ``w`` days, at as-of time ``T``:

* reached: ``_t{k}`` is not NULL;
* mature (its window has elapsed): ``_t{k} + w <= T``;
* converted: ``_t{k+1}`` is not NULL and ``_t{k+1} <= _t{k} + w``;
* entered (the rate's denominator): reached and mature; converted is counted among these;
* skipped: reached, but only through a later stage (``_s{k}``), counted among the reached;
* late: entered, and reached ``k+1`` only after the window (``_t{k+1} > _t{k} + w``, by ``T``):
  not counted as converted, reported so that a window shorter than the sales cycle shows.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from salesops_lib.errors import ParamsError, SourceError

#: Stages used when none are given (the lead funnel of the canonical model, and the opportunity
#: stages of a typical Salesforce sales process).
DEFAULT_LEAD_STAGES: tuple[str, ...] = ("created", "MQL", "SQL", "opportunity", "won")
DEFAULT_OPPORTUNITY_STAGES: tuple[str, ...] = (
    "Prospecting",
    "Qualification",
    "Proposal",
    "Negotiation",
    "won",
)

__all__: list[str] = []  # private module

MISSING = "(missing)"
LEAD_BUILTINS = ("created", "opportunity", "won")
OPPORTUNITY_BUILTINS = ("created", "won")
BREAKDOWN_ALIASES = {"owner": "owner_id", "rep": "owner_id", "rep_id": "owner_id"}
REP_COLUMNS = ("team", "manager", "role")
MAX_VALUES_SHOWN = 50

#: Normalised population filters: ``((column, (value, ...)), ...)`` in the order given.
Filters = tuple[tuple[str, tuple[str, ...]], ...]


def _ts(value: pd.Timestamp) -> ir.TimestampScalar:
    return ibis.literal(pd.Timestamp(value).to_pydatetime(), type="timestamp")


def _columns(table: ir.Table) -> set[str]:
    return set(table.columns)


def _closest(value: str, options: Sequence[str], cutoff: float = 0.6) -> list[str]:
    """The options most similar to ``value`` (case-insensitive; every tie), if similar enough."""
    scores = [(difflib.SequenceMatcher(None, value.lower(), o.lower()).ratio(), o) for o in options]
    best = max((s for s, _ in scores), default=0.0)
    return [o for s, o in scores if s == best] if best >= cutoff else []


@dataclass
class EngineSpec:
    """What the engine needs to know: resolved stages, window, as-of time and population filters."""

    stages: tuple[str, ...]
    funnel: str
    window_days: int
    as_of: pd.Timestamp
    filters: Filters = ()
    #: campaign ids whose members are left out of every count
    exclude_campaigns: tuple[str, ...] = ()


class FunnelEngine:
    """Build the reach table and the count queries for one source and one funnel definition.

    Parameters
    ----------
    src
        A :class:`salesops_lib.data.sources.Source` (anything with ``.table(name)``,
        ``.has_table(name)`` and ``.con``).
    spec
        Stages, funnel kind, window and as-of time (already checked for type and range).
    """

    def __init__(self, src: Any, spec: EngineSpec) -> None:
        self.src = src
        self.spec = spec
        self.K = len(spec.stages)
        if spec.funnel == "lead":
            self.entity_name, self.id_col = "leads", "lead_id"
            self.history_name, self.history_col = "lead_history", "status"
            self.builtins = LEAD_BUILTINS
        else:
            self.entity_name, self.id_col = "opportunities", "opportunity_id"
            self.history_name, self.history_col = "opportunity_history", "stage"
            self.builtins = OPPORTUNITY_BUILTINS
        self.entity = self._table(self.entity_name, needed_for="the entities of the funnel")
        self.history_stages = [s for s in spec.stages if s not in self.builtins]
        self.history = (
            self._table(self.history_name, needed_for=f"stages {', '.join(self.history_stages)}")
            if self.history_stages
            else None
        )
        self._checked = False
        #: filter columns resolved on ``reps`` (via the entity's owner), set by
        # :meth:`check_filters`
        self.filters_on_reps: tuple[str, ...] = ()

    # ------------------------------------------------------------------ checks
    def _table(self, name: str, *, needed_for: str) -> ir.Table:
        has = getattr(self.src, "has_table", None)
        if has is not None and not has(name):
            raise SourceError(
                f"The data source has no `{name}` table, which the {self.spec.funnel} funnel "
                f"needs for {needed_for}.",
                fix=f"Add a `{name}` table (see DATA_MODEL.md) or choose other stages/funnel.",
            )
        return self.src.table(name)

    def check_stages(self) -> None:
        """Raise :class:`ParamsError` naming ``stages`` when a stage is absent from the data."""
        if self._checked:
            return
        key = (self.spec.funnel, self.spec.stages)
        cache = getattr(self.src, "_funnel_stage_checks", None)
        if cache is not None and key in cache:
            self._checked = True
            return
        if self.history is not None:
            col = self.history[self.history_col]
            found = (
                self.history.filter(col.isin(self.history_stages))
                .select(col.name("s"))
                .distinct()
                .execute()["s"]
            )
            missing = [s for s in self.history_stages if s not in set(found)]
            if missing:
                present = (
                    self.history.select(col.name("s")).distinct().limit(20).execute()["s"].tolist()
                )
                raise ParamsError(
                    "stages",
                    f"{', '.join(repr(m) for m in missing)} never occur"
                    f"{'s' if len(missing) == 1 else ''} in "
                    f"`{self.history_name}.{self.history_col}`",
                    expected=(
                        f"built-in milestones {', '.join(self.builtins)} or values present in the "
                        "data "
                        f"({', '.join(repr(p) for p in sorted(map(str, present)))})"
                    ),
                    fix="Correct the spelling or remove the stage from `stages`.",
                )
        cols = _columns(self.entity)
        if self.spec.funnel == "lead":
            if "opportunity" in self.spec.stages and not (
                {"converted_at", "opportunity_id"} & cols
            ):
                raise ParamsError(
                    "stages",
                    "stage 'opportunity' needs `leads.converted_at` or `leads.opportunity_id`, "
                    "and the leads table has neither",
                    fix="Add one of these columns or remove 'opportunity' from `stages`.",
                )
            if "won" in self.spec.stages:
                self._won_by_lead()  # raises if impossible
        self._checked = True
        try:  # remember on the source (read-only snapshot) so repeated calls skip the query
            if cache is None:
                cache = set()
                self.src._funnel_stage_checks = cache
            cache.add(key)
        except AttributeError:  # a source object that takes no attributes: just re-check
            pass

    # ------------------------------------------------------------------ milestones
    def _won_times(self) -> ir.Table:
        """opportunity_id, won time (close_date, not before created_at) of opportunities won by
        as-of."""
        opps = self._table("opportunities", needed_for="the milestone 'won'")
        cols = _columns(opps)
        for c in ("is_won", "created_at"):
            if c not in cols:
                raise SourceError(
                    f"The `opportunities` table lacks column `{c}`, needed for the stage 'won'.",
                    fix="Add the column or remove 'won' from `stages`.",
                )
        created = opps.created_at
        if "close_date" in cols:
            closed = opps.close_date.cast("timestamp")
            won_at = ibis.cases((closed.isnull() | (closed < created), created), else_=closed)
        else:
            won_at = created
        cond = opps.is_won.fill_null(False)
        if "is_closed" in cols:
            cond = cond & opps.is_closed.fill_null(False)
        won = opps.filter(cond).select(
            opportunity_id=opps.opportunity_id,
            lead_id=opps.lead_id if "lead_id" in cols else ibis.null("string"),
            won_at=won_at,
        )
        return won.filter(won.won_at <= _ts(self.spec.as_of))

    def _won_by_lead(self) -> ir.Table:
        won = self._won_times()
        lead_cols = _columns(self.entity)
        if "opportunity_id" in lead_cols:
            leads = self.entity.select(lid=self.entity.lead_id, oid=self.entity.opportunity_id)
            j = leads.join(won, leads.oid == won.opportunity_id)
            return j.group_by(_lid=j.lid).aggregate(_won=j.won_at.min())
        opp_cols = _columns(self._table("opportunities", needed_for="the milestone 'won'"))
        if "lead_id" in opp_cols:
            return won.group_by(_lid=won.lead_id).aggregate(_won=won.won_at.min())
        raise ParamsError(
            "stages",
            "stage 'won' of the lead funnel needs a link from leads to opportunities "
            "(`leads.opportunity_id` or `opportunities.lead_id`), and neither exists",
            fix="Add one of these columns or remove 'won' from `stages`.",
        )

    # ------------------------------------------------------------------ breakdowns
    def breakdown_expr(
        self, name: str, base: ir.Table, *, param: str = "breakdowns"
    ) -> tuple[ir.Table, str]:
        """Resolve a breakdown column on the entity table (or on ``reps`` via ``owner_id``).

        ``param`` is the parameter named in the error when the column does not exist.
        """
        col = BREAKDOWN_ALIASES.get(name, name)
        cols = _columns(base)
        if col in cols:
            return base, col
        has = getattr(self.src, "has_table", lambda _n: False)
        if "owner_id" in cols and has("reps"):
            reps = self.src.table("reps")
            if col in _columns(reps):
                r = reps.select(_rep=reps.rep_id, **{f"_rep_{col}": reps[col]})
                j = base.left_join(r, base.owner_id == r._rep).drop("_rep")
                return j, f"_rep_{col}"
        available = sorted(c for c in cols if not c.startswith("_"))
        if "owner_id" in cols and has("reps"):
            available += [
                f"{c} (reps)" for c in sorted(_columns(self.src.table("reps"))) if c != "rep_id"
            ]
        raise ParamsError(
            param,
            f"column {name!r} does not exist in `{self.entity_name}`"
            + (" or `reps`" if "owner_id" in cols and has("reps") else ""),
            expected=f"one of {', '.join(available)}",
            fix=f"Correct the column name or remove it from `{param}`.",
        )

    # ------------------------------------------------------------------ population filters
    def _filter_value(self, name: str, base: ir.Table) -> tuple[ir.Table, ir.StringValue]:
        """The filter column of ``name`` as a string (NULL -> ``"(missing)"``), joined if needed."""
        j, col = self.breakdown_expr(name, base, param="filters")
        return j, j[col].cast("string").fill_null(MISSING)

    def apply_filters(self, base: ir.Table, *, exclude: bool = True) -> ir.Table:
        """Keep the entities whose value of every filter column is one of its values (and, with
        ``exclude``, that are not members of the excluded campaigns).

        Columns added by the ``reps`` join are dropped again, so the result has ``base``'s columns.
        """
        for name, values in self.spec.filters:
            j, val = self._filter_value(name, base)
            j = j.filter(val.isin(list(values)))
            added = [c for c in j.columns if c not in base.columns]
            base = j.drop(*added) if added else j
        if exclude and self.spec.exclude_campaigns:
            m = self.members(self.spec.exclude_campaigns)
            base = base.anti_join(m, base[self.id_col] == m._mid)
        return base

    # ------------------------------------------------------------------ campaigns
    def has_members(self) -> bool:
        """Whether the source has a ``campaign_members`` table with ``lead_id`` usable by this
        funnel."""
        has = getattr(self.src, "has_table", None)
        if has is None or not has("campaign_members"):
            return False
        cols = _columns(self.src.table("campaign_members"))
        if not {"campaign_id", "lead_id"} <= cols:
            return False
        if self.spec.funnel == "opportunity":
            return has("opportunities") and "lead_id" in _columns(self.entity)
        return True

    def members(self, campaign_ids: Sequence[str] | None = None) -> ir.Table:
        """Distinct ``(campaign_id, _mid)``: the funnel's entity ids of campaign members assigned
        by as-of (opportunity funnel: opportunities of member leads, via
        ``opportunities.lead_id``)."""
        cm = self.src.table("campaign_members")
        if "assigned_at" in _columns(cm):
            cm = cm.filter(cm.assigned_at.isnull() | (cm.assigned_at <= _ts(self.spec.as_of)))
        if campaign_ids is not None:
            cm = cm.filter(cm.campaign_id.isin(list(campaign_ids)))
        cm = cm.filter(cm.lead_id.notnull())
        m = cm.select(campaign_id=cm.campaign_id.cast("string"), _lead=cm.lead_id.cast("string"))
        if self.spec.funnel == "opportunity":
            o = self.entity.select(_oid=self.entity.opportunity_id, _olead=self.entity.lead_id)
            j = m.join(o, m._lead == o._olead)
            return j.select(campaign_id=j.campaign_id, _mid=j._oid).distinct()
        return m.select(campaign_id=m.campaign_id, _mid=m._lead).distinct()

    def check_exclusions(self) -> None:
        """Raise :class:`ParamsError` naming ``exclude_campaign_members`` when the data has no
        campaign members or a campaign id never occurs in ``campaign_members``."""
        ids = self.spec.exclude_campaigns
        if not ids:
            return
        if not self.has_members():
            need = "`campaign_members` (campaign_id, lead_id)" + (
                " and `opportunities.lead_id`" if self.spec.funnel == "opportunity" else ""
            )
            raise ParamsError(
                "exclude_campaign_members",
                f"lists {', '.join(map(repr, ids))}, but the data has no {need} to find their "
                "members",
                expected="campaign ids of `campaign_members`, or an empty list",
                fix="Remove `exclude_campaign_members` or add the `campaign_members` table.",
            )
        cm = self.src.table("campaign_members")
        present = sorted(
            map(
                str, cm.select(_c=cm.campaign_id.cast("string")).distinct().execute()["_c"].dropna()
            )
        )
        missing = [c for c in ids if c not in set(present)]
        if missing:
            close = [c for v in missing for c in _closest(v, present)]
            raise ParamsError(
                "exclude_campaign_members",
                f"{', '.join(map(repr, missing))} not found in `campaign_members.campaign_id`; "
                f"campaigns with members: {', '.join(present[:MAX_VALUES_SHOWN])}",
                expected="campaign ids that have members",
                fix=(
                    f"Did you mean {' or '.join(repr(c) for c in dict.fromkeys(close))}? "
                    if close
                    else ""
                )
                + "Correct the id or remove it from `exclude_campaign_members`.",
            )

    def campaign_overlap(self, reach: ir.Table, group_cols: Sequence[str] = ()) -> ir.Table:
        """Per group and campaign: members that reached each stage (``members_{k}``)."""
        m = self.members()
        j = reach.join(m, reach._id == m._mid)
        aggs = {f"members_{k}": j._id.count(where=j[f"_t{k}"].notnull()) for k in range(self.K)}
        return j.group_by([*group_cols, "campaign_id"]).aggregate(**aggs)

    def campaign_info(self, campaign_ids: Sequence[str]) -> pd.DataFrame:
        """``campaign_id, name, type, start, end, variants, first_assigned, last_assigned``
        for the given campaigns (``campaigns`` columns are NaN/None when that table is absent)."""
        cm = self.src.table("campaign_members")
        cm = cm.filter(cm.campaign_id.isin(list(campaign_ids)))
        cols = _columns(cm)
        aggs: dict[str, ir.Value] = {
            "variants": cm.variant.nunique() if "variant" in cols else ibis.literal(1)
        }
        if "assigned_at" in cols:
            aggs["first_assigned"] = cm.assigned_at.min()
            aggs["last_assigned"] = cm.assigned_at.max()
        info = cm.group_by(campaign_id=cm.campaign_id.cast("string")).aggregate(**aggs).execute()
        has = getattr(self.src, "has_table", lambda _n: False)
        if has("campaigns"):
            c = self.src.table("campaigns")
            ccols = _columns(c)
            sel = {"campaign_id": c.campaign_id.cast("string")}
            for name, col in (
                ("name", "name"),
                ("type", "type"),
                ("start", "start_date"),
                ("end", "end_date"),
            ):
                if col in ccols:
                    sel[name] = c[col]
            camp = c.filter(c.campaign_id.isin(list(campaign_ids))).select(**sel).execute()
            info = info.merge(camp, on="campaign_id", how="left")
        for name in ("name", "type", "start", "end", "first_assigned", "last_assigned"):
            if name not in info.columns:
                info[name] = None
        return info

    def excluded_counts(
        self, labels: Sequence[tuple[str, pd.Timestamp, pd.Timestamp]]
    ) -> dict[str, int]:
        """Entities created in each labelled range (passing the filters) that the campaign
        exclusion removed."""
        if not self.spec.exclude_campaigns or not labels:
            return {}
        e = self.entity
        lo = min(a for _, a, _ in labels)
        hi = max(b for _, _, b in labels)
        e = e.filter(
            e.created_at >= _ts(lo), e.created_at < _ts(hi), e.created_at <= _ts(self.spec.as_of)
        )
        e = self.apply_filters(e, exclude=False)
        m = self.members(self.spec.exclude_campaigns).select("_mid").distinct()
        e = e.semi_join(m, e[self.id_col] == m._mid)
        aggs = {
            lab: e[self.id_col].count(where=(e.created_at >= _ts(a)) & (e.created_at < _ts(b)))
            for lab, a, b in labels
        }
        row = e.aggregate(**aggs).execute().iloc[0]
        return {lab: int(row[lab]) for lab, _, _ in labels}

    def check_filters(self) -> None:
        """Raise :class:`ParamsError` naming ``filters`` for an unknown column or a value that no
        entity (created up to as-of) has; list the values that do occur (at most 50)."""
        if not self.spec.filters:
            return
        e = self.entity
        e = e.filter(e.created_at <= _ts(self.spec.as_of))
        on_reps = []
        for name, values in self.spec.filters:
            j, val = self._filter_value(name, e)
            if BREAKDOWN_ALIASES.get(name, name) not in e.columns:
                on_reps.append(name)
            found = set(j.filter(val.isin(list(values))).select(_v=val).distinct().execute()["_v"])
            missing = [v for v in values if v not in found]
            if not missing:
                continue
            n_distinct = int(j.select(_v=val).distinct().count().execute())
            present = sorted(
                j.select(_v=val).distinct().order_by("_v").limit(MAX_VALUES_SHOWN).execute()["_v"]
            )
            shown = ", ".join(present)
            if n_distinct > len(present):
                shown += f" (first {len(present)} of {n_distinct:,})"
            close = [c for v in missing for c in _closest(v, present)]
            raise ParamsError(
                "filters",
                f"{name} {', '.join(repr(m) for m in missing)} not found among the "
                f"{self.entity_name}; values: {shown}",
                expected=f"values of `{name}` that occur in the data",
                fix=(
                    f"Did you mean {' or '.join(repr(c) for c in dict.fromkeys(close))}? "
                    if close
                    else ""
                )
                + f"Correct the value under `filters: {name}` or remove it.",
            )
        self.filters_on_reps = tuple(on_reps)

    # ------------------------------------------------------------------ reach table
    def reach(
        self,
        *,
        start: pd.Timestamp,
        end: pd.Timestamp,
        breakdowns: Sequence[str] = (),
        labels: Sequence[tuple[str, pd.Timestamp, pd.Timestamp]] = (),
    ) -> tuple[ir.Table, list[str]]:
        """Reach table for entities created in ``[start, end)`` (and not after as-of) that pass
        the population filters (``spec.filters``).

        ``labels``: optional ``(label, start, end)`` ranges; adds a ``_period`` column.
        Returns the table and the names of its breakdown columns (same order as ``breakdowns``).
        """
        spec = self.spec
        as_of = _ts(spec.as_of)
        e = self.entity
        e = e.filter(e.created_at >= _ts(start), e.created_at < _ts(end), e.created_at <= as_of)
        e = self.apply_filters(e)
        seg_cols: list[str] = []
        for i, b in enumerate(breakdowns):
            e, col = self.breakdown_expr(b, e)
            name = f"_b{i}"
            e = e.mutate(**{name: e[col].cast("string").fill_null(MISSING)})
            seg_cols.append(name)
        sel: dict[str, Any] = {"_id": e[self.id_col], "_created": e.created_at}
        if (
            self.spec.funnel == "lead"
            and "won" in spec.stages
            and "opportunity_id" in _columns(self.entity)
        ):
            sel["_oid"] = e.opportunity_id
        for name in seg_cols:
            sel[name] = e[name]
        if labels:
            branches = [
                ((e.created_at >= _ts(lo)) & (e.created_at < _ts(hi)), ibis.literal(lab))
                for lab, lo, hi in labels
            ]
            sel["_period"] = ibis.cases(*branches, else_=ibis.null("string"))
        if self.spec.funnel == "lead" and "opportunity" in spec.stages:
            cols = _columns(e)
            if "converted_at" in cols:
                conv = e.converted_at
            else:  # opportunity created time via leads.opportunity_id
                opps = self.src.table("opportunities")
                o = opps.select(_ooid=opps.opportunity_id, _ocreated=opps.created_at)
                e = e.left_join(o, e.opportunity_id == o._ooid)
                conv = e._ocreated
            sel["_conv"] = ibis.cases((conv <= as_of, conv), else_=ibis.null("timestamp"))
        base = e.select(**sel)

        # first time per history stage: one group-by, pivoted with filtered aggregates
        if self.history is not None:
            h = self.history
            hcol = h[self.history_col]
            h = h.filter(hcol.isin(self.history_stages), h.changed_at <= as_of)
            hcol = h[self.history_col]
            firsts = h.group_by(_hid=h[self.id_col]).aggregate(
                **{
                    f"_h{i}": h.changed_at.min(where=hcol == s)
                    for i, s in enumerate(self.history_stages)
                }
            )
            base = base.left_join(firsts, base._id == firsts._hid).drop("_hid")
        if "won" in spec.stages:
            if self.spec.funnel == "lead" and "_oid" in base.columns:
                # one opportunity per lead: join the won opportunities directly (no group-by)
                w = self._won_times()
                won = w.select(_lid=w.opportunity_id, _won=w.won_at)
                base = base.left_join(won, base._oid == won._lid).drop("_lid")
            elif self.spec.funnel == "lead":
                won = self._won_by_lead()
                base = base.left_join(won, base._id == won._lid).drop("_lid")
            else:
                w = self._won_times()
                won = w.select(_lid=w.opportunity_id, _won=w.won_at)
                base = base.left_join(won, base._id == won._lid).drop("_lid")

        raw: dict[str, ir.Value] = {}
        hist_idx = {s: i for i, s in enumerate(self.history_stages)}
        for k, s in enumerate(spec.stages):
            if s == "created":
                raw[f"_r{k}"] = base._created
            elif s == "opportunity" and self.spec.funnel == "lead":
                raw[f"_r{k}"] = base._conv
            elif s == "won":
                raw[f"_r{k}"] = base._won
            else:
                raw[f"_r{k}"] = base[f"_h{hist_idx[s]}"]
        base = base.mutate(**raw)
        # t_k = min(r_k, ..., r_{K-1}), NULL-aware and portable (no reliance on LEAST skipping
        # NULLs): NULL -> a far-future sentinel, LEAST, sentinel -> NULL. Linear in K per column.
        far = ibis.literal(pd.Timestamp("9999-12-31").to_pydatetime(), type="timestamp")
        t: dict[str, ir.Value] = {}
        for k in range(self.K):
            if k == self.K - 1:
                t[f"_t{k}"] = base[f"_r{k}"]
                continue
            vals = [base[f"_r{j}"].fill_null(far) for j in range(k, self.K)]
            t[f"_t{k}"] = ibis.least(*vals).nullif(far)
        keep = ["_id", "_created", *seg_cols] + (["_period"] if labels else [])
        skips = {
            f"_s{k}": base[f"_r{k}"].isnull() & t[f"_t{k}"].notnull() for k in range(self.K - 1)
        }
        out = base.select(*keep, **{f"_t{k}": t[f"_t{k}"] for k in range(self.K)}, **skips)
        return out, seg_cols

    # ------------------------------------------------------------------ queries
    def step_counts(self, reach: ir.Table, group_cols: Sequence[str]) -> ir.Table:
        """One aggregation: reached / entered (mature) / converted / late per step and group."""
        w = ibis.interval(days=self.spec.window_days)
        as_of = _ts(self.spec.as_of)
        aggs: dict[str, ir.Value] = {"n": reach.count()}
        for k in range(self.K - 1):
            tk, tn = reach[f"_t{k}"], reach[f"_t{k + 1}"]
            mature = tk + w <= as_of  # NULL (not counted) when stage k was not reached
            aggs[f"reached_{k}"] = reach.count(where=tk.notnull())
            aggs[f"skipped_{k}"] = reach.count(where=reach[f"_s{k}"])
            aggs[f"entered_{k}"] = reach.count(where=mature)
            aggs[f"converted_{k}"] = reach.count(where=mature & (tn <= tk + w))
            aggs[f"late_{k}"] = reach.count(where=mature & (tn > tk + w))
        last = reach[f"_t{self.K - 1}"]
        aggs[f"reached_{self.K - 1}"] = reach.count(where=last.notnull())
        if group_cols:
            return reach.group_by(list(group_cols)).aggregate(**aggs)
        return reach.aggregate(**aggs)

    def duration_counts(
        self, reach: ir.Table, pairs: Sequence[tuple[int, int]], group_cols: Sequence[str] = ()
    ) -> ir.Table:
        """Counts per (pair, group, whole-day duration, event) for Kaplan–Meier.

        Events: days from ``t_i`` to ``t_j`` rounded *up* (so "within N days" is exact);
        censored: days from ``t_i`` to as-of rounded *down*.
        """
        as_of = _ts(self.spec.as_of)
        parts = []
        for p, (i, j) in enumerate(pairs):
            ti, tj = reach[f"_t{i}"], reach[f"_t{j}"]
            r = reach.filter(ti.notnull())
            ti, tj = r[f"_t{i}"], r[f"_t{j}"]
            ev_days = ((tj.epoch_seconds() - ti.epoch_seconds()) / 86400.0).ceil()
            cen_days = ((as_of.epoch_seconds() - ti.epoch_seconds()) / 86400.0).floor()
            parts.append(
                r.select(
                    *[r[g] for g in group_cols],
                    _pair=ibis.literal(p),
                    _event=tj.notnull(),
                    _days=ibis.cases((tj.notnull(), ev_days), else_=cen_days).cast("int64"),
                )
            )
        u = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
        return u.group_by(["_pair", *group_cols, "_days", "_event"]).aggregate(
            _count=u._pair.count()
        )

    def cohort_counts(self, reach: ir.Table, grain: str, horizon_days: int) -> ir.Table:
        """Per creation cohort: entrants, and per stage k>=1 reached within ``horizon_days`` of
        entry."""
        as_of = _ts(self.spec.as_of)
        unit = "M" if grain == "month" else "W"
        t0 = reach._t0
        r = reach.filter(t0.notnull())
        t0 = r._t0
        aggs: dict[str, ir.Value] = {"n": r._id.count()}
        horizon = ibis.interval(days=horizon_days)
        for k in range(1, self.K):
            tk = r[f"_t{k}"]
            aggs[f"reached_{k}"] = r._id.count(where=tk.notnull() & (tk <= t0 + horizon))
            aggs[f"mature_{k}"] = r._id.count(where=t0 + horizon <= as_of)
        return r.group_by(_cohort=r._created.truncate(unit)).aggregate(**aggs)
