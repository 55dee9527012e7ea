"""The canonical tables of the salesops kit, and their validation.

``TABLES`` describes every table of the canonical data model (``shared/DATA_MODEL.md``): each
column's canonical kind (``id``, ``text``, ``timestamp``, ``date``, ``boolean``, ``float``,
``int``), whether it is required, the id column(s) and the row-level rules.

:func:`validate_table` checks an Ibis table against its spec *in the engine* (only counts and at
most five example ids come back) and returns it coerced to canonical types, so downstream code can
rely on them: ids are strings, timestamps are naive UTC, dates are dates, flags are booleans,
money is ``float64``. Every problem found in a table is collected into one
:class:`~salesops_lib.errors.DataValidationError` (the first problem is the headline, the others
are listed under it).

Presence, type and nullability of the canonical columns are checked with pandera's Ibis backend
(:meth:`TableSpec.to_pandera`); uniqueness and the cross-column rules are plain Ibis expressions
(pandera's ``Field(unique=True)`` is not enforced by that backend, see DEPENDENCY_NOTES).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from salesops_lib.errors import DataValidationError, ParamsError

__all__ = [
    "ACTIVITY_TYPES",
    "TABLES",
    "ColumnSpec",
    "TableSpec",
    "coerce_table",
    "validate_table",
]

Kind = Literal["id", "text", "timestamp", "date", "boolean", "float", "int"]

#: Canonical activity types (``activities.type``); input is matched case-insensitively.
ACTIVITY_TYPES: tuple[str, ...] = ("call", "email", "meeting", "other")

_KIND_DTYPE: dict[str, dt.DataType] = {
    "id": dt.string,
    "text": dt.string,
    "timestamp": dt.Timestamp(),
    "date": dt.date,
    "boolean": dt.boolean,
    "float": dt.float64,
    "int": dt.int64,
}

_KIND_WORDS: dict[str, str] = {
    "id": "an identifier (string)",
    "text": "text",
    "timestamp": "a timestamp (e.g. 2024-05-01 13:45:00, optionally with a UTC offset)",
    "date": "a date (YYYY-MM-DD)",
    "boolean": "a boolean (true/false, 1/0, yes/no)",
    "float": "a number",
    "int": "a whole number",
}

_TRUE_WORDS = ("true", "t", "yes", "y", "1")
_FALSE_WORDS = ("false", "f", "no", "n", "0")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a canonical table.

    Parameters
    ----------
    name
        Column name (snake_case).
    kind
        Canonical kind: ``"id"``/``"text"`` (string), ``"timestamp"`` (naive UTC),
        ``"date"``, ``"boolean"``, ``"float"`` (float64 money or number), ``"int"`` (int64).
    required
        Whether the column must be present and non-null.
    description
        What the column holds, in words.
    """

    name: str
    kind: Kind
    required: bool = False
    description: str = ""

    @property
    def dtype(self) -> dt.DataType:
        """The canonical Ibis data type of the column."""
        return _KIND_DTYPE[self.kind]


@dataclass(frozen=True)
class OrderRule:
    """``later >= earlier`` for every row (optionally only where boolean column ``only_if``)."""

    later: str
    earlier: str
    only_if: str | None = None
    fix: str = ""


@dataclass(frozen=True)
class TableSpec:
    """The spec of one canonical table.

    Parameters
    ----------
    name
        Table name, e.g. ``"opportunities"``.
    one_row_per
        What one row stands for.
    columns
        The canonical columns (required and optional).
    unique
        Id column that must be unique (``None`` for event/history tables).
    key
        Columns that name a row in error messages (the first present ones are used).
    required_any
        Groups of columns of which at least one must be present (e.g. the unit of a
        campaign member: ``lead_id`` or ``account_id`` or ``rep_id``).
    nonnegative
        Money/number columns that must be >= 0.
    order_rules
        Chronological rules between two columns.
    enums
        Columns restricted to a set of lower-case values (matched case-insensitively).
    implications
        Pairs ``(a, b)`` of boolean columns: ``a`` true requires ``b`` true.
    needed_by
        Which analyses read the table (used in "missing table" messages).
    """

    name: str
    one_row_per: str
    columns: tuple[ColumnSpec, ...]
    unique: str | None = None
    key: tuple[str, ...] = ()
    required_any: tuple[tuple[str, ...], ...] = ()
    nonnegative: tuple[str, ...] = ()
    order_rules: tuple[OrderRule, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    implications: tuple[tuple[str, str], ...] = ()
    needed_by: str = ""

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name`` (``KeyError`` if it is not canonical)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        """Names of all canonical columns, in model order."""
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    @property
    def timestamp_columns(self) -> list[str]:
        """Names of the timestamp columns (events; used for the data's as-of time)."""
        return [c.name for c in self.columns if c.kind == "timestamp"]

    @property
    def date_columns(self) -> list[str]:
        """Names of the date columns."""
        return [c.name for c in self.columns if c.kind == "date"]

    def to_pandera(self, *, present: list[str] | None = None) -> Any:
        """Build a ``pandera.ibis.DataFrameSchema`` for the *coerced* table.

        Required columns must be present, of canonical type and non-null; optional columns,
        when present, must be of canonical type. Extra columns are allowed.

        Parameters
        ----------
        present
            Columns present in the table; optional columns not in it are left out of the
            schema (default: all canonical columns).

        Returns
        -------
        pandera.ibis.DataFrameSchema
        """
        import pandera.ibis as pa  # noqa: PLC0415  pandera (+ pyspark, typeguard) is 0.5 s of every report kernel's imports; only a validation needs it, and kernels mostly reuse the runner's

        cols = {}
        for col in self.columns:
            if not col.required and present is not None and col.name not in present:
                continue
            cols[col.name] = pa.Column(col.dtype, nullable=not col.required, required=col.required)
        return pa.DataFrameSchema(cols, name=self.name, strict=False)


def _c(name: str, kind: Kind, required: bool = False, description: str = "") -> ColumnSpec:
    return ColumnSpec(name, kind, required, description)


_GEO = (_c("segment", "text"), _c("region", "text"), _c("territory", "text"))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        TableSpec(
            name="leads",
            one_row_per="lead (prospect)",
            columns=(
                _c("lead_id", "id", True),
                _c("created_at", "timestamp", True),
                _c("owner_id", "id"),
                _c("source", "text", description="lead source / channel"),
                *_GEO,
                _c("status", "text", description="current status"),
                _c("converted_at", "timestamp"),
                _c("opportunity_id", "id", description="when converted"),
                _c("account_id", "id"),
            ),
            unique="lead_id",
            key=("lead_id",),
            order_rules=(
                OrderRule(
                    "converted_at",
                    "created_at",
                    fix="check the time zones of both columns, or clear converted_at "
                    "for leads that were not converted after they were created",
                ),
            ),
            needed_by="the lead funnel and conversion analyses",
        ),
        TableSpec(
            name="lead_history",
            one_row_per="status change of a lead",
            columns=(
                _c("lead_id", "id", True),
                _c("status", "text", True, "e.g. MQL, SQL, Disqualified"),
                _c("changed_at", "timestamp", True),
            ),
            key=("lead_id",),
            needed_by="the lead funnel (stage-by-stage conversion)",
        ),
        TableSpec(
            name="opportunities",
            one_row_per="deal",
            columns=(
                _c("opportunity_id", "id", True),
                _c("created_at", "timestamp", True),
                _c("owner_id", "id", True),
                _c("stage", "text", True, "current stage"),
                _c("is_closed", "boolean", True),
                _c("is_won", "boolean", True),
                _c("amount", "float"),
                _c("close_date", "date", description="actual when closed, expected when open"),
                _c("account_id", "id"),
                _c("lead_id", "id"),
                _c("product", "text"),
                *_GEO,
                _c("source", "text"),
                _c("campaign_id", "id"),
                _c("forecast_category", "text"),
                _c("currency", "text"),
            ),
            unique="opportunity_id",
            key=("opportunity_id",),
            nonnegative=("amount",),
            order_rules=(
                OrderRule(
                    "close_date",
                    "created_at",
                    only_if="is_closed",
                    fix="a closed deal cannot close before it was created: check the "
                    "export's date columns and time zones",
                ),
            ),
            implications=(("is_won", "is_closed"),),
            needed_by="the opportunity funnel, win-rate, cycle-time and benchmarking analyses",
        ),
        TableSpec(
            name="opportunity_history",
            one_row_per="change of stage / amount / close date",
            columns=(
                _c("opportunity_id", "id", True),
                _c("changed_at", "timestamp", True),
                _c("stage", "text", True),
                _c("amount", "float"),
                _c("close_date", "date"),
            ),
            key=("opportunity_id",),
            needed_by="the opportunity funnel (stage-by-stage conversion and velocity)",
        ),
        TableSpec(
            name="activities",
            one_row_per="call, email, meeting or task",
            columns=(
                _c("activity_id", "id", True),
                _c("owner_id", "id", True),
                _c("type", "text", True, "call / email / meeting / other"),
                _c("occurred_at", "timestamp", True),
                _c("lead_id", "id"),
                _c("opportunity_id", "id"),
                _c("account_id", "id"),
                _c("duration_s", "float"),
                _c("outcome", "text"),
            ),
            unique="activity_id",
            key=("activity_id",),
            enums={"type": ACTIVITY_TYPES},
            needed_by="the activity and rep benchmarking analyses",
        ),
        TableSpec(
            name="reps",
            one_row_per="seller",
            columns=(
                _c("rep_id", "id", True),
                _c("name", "text"),
                _c("team", "text"),
                _c("manager", "text"),
                _c("region", "text"),
                _c("territory", "text"),
                _c("role", "text"),
                _c("hired_at", "timestamp"),
                _c("left_at", "timestamp"),
            ),
            unique="rep_id",
            key=("rep_id",),
            needed_by="rep benchmarking",
        ),
        TableSpec(
            name="quotas",
            one_row_per="quota of a rep for a period",
            columns=(
                _c("rep_id", "id", True),
                _c("period_start", "date", True),
                _c("period_end", "date", True),
                _c("amount", "float", True),
                _c("currency", "text"),
            ),
            key=("rep_id", "period_start"),
            nonnegative=("amount",),
            order_rules=(
                OrderRule("period_end", "period_start", fix="swap the two dates where reversed"),
            ),
            needed_by="quota attainment in rep benchmarking",
        ),
        TableSpec(
            name="accounts",
            one_row_per="customer / prospect company",
            columns=(
                _c("account_id", "id", True),
                _c("name", "text"),
                _c("industry", "text"),
                _c("employees", "int"),
                _c("revenue", "float"),
                _c("region", "text"),
                _c("territory", "text"),
            ),
            unique="account_id",
            key=("account_id",),
            needed_by="account-level breakdowns and cluster experiments",
        ),
        TableSpec(
            name="campaigns",
            one_row_per="campaign or experiment",
            columns=(
                _c("campaign_id", "id", True),
                _c("name", "text"),
                _c("type", "text"),
                _c("start_date", "date"),
                _c("end_date", "date"),
                _c("cost", "float"),
                _c("currency", "text"),
            ),
            unique="campaign_id",
            key=("campaign_id",),
            nonnegative=("cost",),
            order_rules=(
                OrderRule("end_date", "start_date", fix="swap the two dates where reversed"),
            ),
            needed_by="campaign experiments and marketing ROI",
        ),
        TableSpec(
            name="campaign_members",
            one_row_per="unit assigned to a campaign arm",
            columns=(
                _c("campaign_id", "id", True),
                _c("lead_id", "id", description="the unit (or account_id / rep_id)"),
                _c("account_id", "id"),
                _c("rep_id", "id"),
                _c("variant", "text", True),
                _c("assigned_at", "timestamp"),
                _c("pre_period_value", "float", description="covariate for variance reduction"),
                _c("responded_at", "timestamp"),
            ),
            key=("campaign_id", "lead_id", "account_id", "rep_id"),
            required_any=(("lead_id", "account_id", "rep_id"),),
            needed_by="campaign experiments (A/B tests)",
        ),
        TableSpec(
            name="spend",
            one_row_per="sales or marketing spend line",
            columns=(
                _c("period_start", "date", True),
                _c("period_end", "date", True),
                _c("amount", "float", True),
                _c("category", "text", description="sales / marketing"),
                _c("channel", "text"),
                _c("currency", "text"),
            ),
            key=("period_start", "category", "channel"),
            nonnegative=("amount",),
            order_rules=(
                OrderRule("period_end", "period_start", fix="swap the two dates where reversed"),
            ),
            needed_by="efficiency KPIs (CAC, magic number)",
        ),
    ]
}


# --------------------------------------------------------------------------- coercion


@dataclass
class _Coerced:
    """Coercion of one column: the canonical expression and the rows that could not be read."""

    expr: ir.Value | None
    invalid: ir.BooleanValue | None = None  # raw non-null but unreadable
    type_problem: str | None = None  # the raw type cannot become the canonical type at all


def _strip(raw: ir.Value) -> ir.StringValue:
    return raw.cast("string").strip()


def _coerce_column(raw: ir.Value, kind: str) -> _Coerced:
    """Cast ``raw`` to canonical ``kind``; unreadable values become null and are flagged."""
    src = raw.type()
    target = _KIND_DTYPE[kind]
    if kind in ("id", "text"):
        if src.is_string():
            return _Coerced(raw)
        if src.is_floating() and kind == "id":
            # ids that went through a float column (e.g. ints with nulls in pandas): 12.0 -> "12";
            # inf, NaN, fractions and values beyond 2**53 (digits already lost) are unreadable
            ok = raw.notnull() & ~raw.isnan() & ~raw.isinf() & (raw.abs() <= 2**53)
            whole = ok & (raw == raw.round())
            val = ibis.ifelse(whole, raw, ibis.null("float64")).try_cast("int64").cast("string")
            return _Coerced(val, raw.notnull() & val.isnull())
        return _Coerced(raw.cast("string"))
    if kind == "timestamp":
        if src.is_timestamp():
            return _Coerced(raw if src == target else raw.cast(target))
        if src.is_date():
            return _Coerced(raw.cast(target))
        if src.is_string():
            # via timestamptz: honours explicit UTC offsets, naive text is read as UTC
            val = _strip(raw).nullif("").try_cast(dt.Timestamp(timezone="UTC")).cast(target)
            return _Coerced(val, raw.notnull() & val.isnull())
    elif kind == "date":
        if src.is_date():
            return _Coerced(raw)
        if src.is_timestamp():
            ts = raw if src.timezone is None else raw.cast(dt.Timestamp())
            return _Coerced(ts.date())
        if src.is_string():
            val = _strip(raw).nullif("").try_cast("date")
            return _Coerced(val, raw.notnull() & val.isnull())
    elif kind == "boolean":
        if src.is_boolean():
            return _Coerced(raw)
        if src.is_numeric():
            return _Coerced(ibis.ifelse(raw.isnull(), ibis.null("boolean"), raw != 0))
        if src.is_string():
            low = _strip(raw).lower()
            val = ibis.cases(
                (low.isin(_TRUE_WORDS), True),
                (low.isin(_FALSE_WORDS), False),
                else_=ibis.null("boolean"),
            )
            return _Coerced(val, raw.notnull() & val.isnull())
    elif kind in ("float", "int"):
        if src.is_floating() and kind == "int":  # inf, NaN and beyond int64 are unreadable
            val = raw.round().try_cast("int64")
            return _Coerced(val, raw.notnull() & val.isnull())
        if src.is_numeric() and not src.is_boolean():
            return _Coerced(raw if src == target else raw.cast(target))
        if src.is_string():
            num = _strip(raw).nullif("").try_cast("float64")
            val = num if kind == "float" else num.round().try_cast("int64")
            return _Coerced(val, raw.notnull() & num.isnull())
    return _Coerced(
        None, type_problem=f"has type {src}, which cannot be read as {_KIND_WORDS[kind]}"
    )


def _coerce_all(spec: TableSpec, table: ir.Table) -> dict[str, _Coerced]:
    out: dict[str, _Coerced] = {}
    for col in spec.columns:
        if col.name in table.columns:
            coerced = _coerce_column(table[col.name], col.kind)
            if col.name in spec.enums and coerced.expr is not None:
                coerced.expr = coerced.expr.strip().lower()
            out[col.name] = coerced
    return out


def _apply(table: ir.Table, coerced: dict[str, _Coerced]) -> ir.Table:
    exprs = {name: c.expr for name, c in coerced.items() if c.expr is not None}
    return table.mutate(**exprs) if exprs else table


def _get_spec(name: str) -> TableSpec:
    try:
        return TABLES[name]
    except KeyError:
        raise ParamsError(
            "name",
            f"{name!r} is not a canonical table",
            expected="one of " + ", ".join(TABLES),
            fix="use the canonical table name from DATA_MODEL.md (snake_case, plural)",
        ) from None


def coerce_table(name: str, table: ir.Table) -> ir.Table:
    """Cast the canonical columns of ``table`` to canonical types, without validating.

    Values that cannot be read become null; columns whose type cannot be cast are left as they
    are. Used where a lenient view is enough (as-of time, row counts); analyses should use
    :func:`validate_table`.

    Parameters
    ----------
    name
        Canonical table name (a key of :data:`TABLES`).
    table
        The table as stored.

    Returns
    -------
    ibis.Table
        The same rows with canonical types; extra columns are kept.
    """
    spec = _get_spec(name)
    return _apply(table, _coerce_all(spec, table))


# --------------------------------------------------------------------------- validation


# headline order of problems: structure before values, values before relations
_RANK_MISSING, _RANK_EMPTY, _RANK_TYPE, _RANK_NULL, _RANK_DUPLICATE, _RANK_RULE = range(6)


@dataclass
class _Problem:
    column: str | None
    rule: str
    fix: str
    n_failing: int | None = None
    examples: list[Any] = field(default_factory=list)
    rank: int = _RANK_RULE  # headline order: lower ranks come first

    def error(self, table: str, problems: list[DataValidationError] | None = None):
        return DataValidationError(
            table=table,
            column=self.column,
            rule=self.rule,
            n_failing=self.n_failing,
            examples=self.examples,
            fix=self.fix,
            problems=problems or (),
        )


@dataclass
class _RowRule:
    column: str | None
    rule: str
    fix: str
    condition: ir.BooleanValue  # true on failing rows
    values_of: ir.Value | None = None  # show these raw values in the rule text
    rank: int = _RANK_RULE


def _key_exprs(spec: TableSpec, table: ir.Table, coerced: dict[str, _Coerced]) -> list[ir.Value]:
    keys = [k for k in spec.key if k in coerced and coerced[k].expr is not None]
    return [coerced[k].expr.cast("string").name(k) for k in keys]


def _examples(table: ir.Table, condition: ir.BooleanValue, keys: list[ir.Value]) -> list[str]:
    if not keys:
        return []
    rows = (
        table.filter(condition)
        .select(*keys)
        .order_by([k.get_name() for k in keys])
        .limit(5)
        .execute()
    )
    return [
        " / ".join("null" if v is None or v != v else str(v) for v in row)
        for row in rows.itertuples(index=False)
    ]


def _row_examples(table: ir.Table, condition: ir.BooleanValue, skip: str) -> list[str]:
    """Up to five offending rows described by their other columns (when the id itself is null)."""
    cols = [c for c in table.columns if c != skip][:3]
    if not cols:
        return []
    rows = table.filter(condition).select(*[table[c].cast("string").name(c) for c in cols])
    out = []
    for row in rows.limit(5).execute().itertuples(index=False):
        parts = [f"{c}={v}" for c, v in zip(cols, row, strict=True) if v is not None and v == v]
        out.append("row with " + (", ".join(parts) if parts else "no other values"))
    return out


def _values(table: ir.Table, condition: ir.BooleanValue, raw: ir.Value) -> list[str]:
    vals = (
        table.filter(condition)
        .select(v=raw.cast("string"))
        .distinct()
        .order_by("v")
        .limit(5)
        .execute()["v"]
    )
    return [str(v) for v in vals]


def _quote_values(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values)


def _row_rules(spec: TableSpec, table: ir.Table, coerced: dict[str, _Coerced]) -> list[_RowRule]:
    """Every row-level rule of ``spec`` that applies to the columns present, as conditions."""
    ok = {n: c.expr for n, c in coerced.items() if c.expr is not None}
    rules: list[_RowRule] = []
    for name, c in coerced.items():
        if c.invalid is not None:
            kind = spec.column(name).kind
            rules.append(
                _RowRule(
                    name,
                    f"values must be {_KIND_WORDS[kind]}",
                    f"correct or clear the unreadable values of `{name}` in the source "
                    f"(or fix the export's format)",
                    c.invalid.fill_null(False),
                    values_of=table[name],
                    rank=_RANK_TYPE,
                )
            )
    for col in spec.required_columns:
        if col in ok:
            rules.append(
                _RowRule(
                    col,
                    "required column has null (missing) values",
                    f"fill `{col}` for every row, or drop the rows without it",
                    table[col].isnull(),
                    rank=_RANK_NULL,
                )
            )
    for col, allowed in spec.enums.items():
        if col in ok:
            rules.append(
                _RowRule(
                    col,
                    f"values must be one of {', '.join(allowed)} (case-insensitive)",
                    f"map the source's values of `{col}` onto {', '.join(allowed)} "
                    "(use 'other' for anything else)",
                    (ok[col].notnull() & ~ok[col].isin(allowed)).fill_null(False),
                    values_of=table[col],
                    rank=_RANK_TYPE,
                )
            )
    for col in spec.nonnegative:
        if col in ok:
            rules.append(
                _RowRule(
                    col,
                    "must not be negative",
                    f"refunds and credits do not belong in `{col}`; correct the sign or "
                    "drop those rows",
                    (ok[col] < 0).fill_null(False),
                )
            )
    for r in spec.order_rules:
        if r.later in ok and r.earlier in ok and (r.only_if is None or r.only_if in ok):
            later, earlier = ok[r.later], ok[r.earlier]
            if later.type().is_date() and earlier.type().is_timestamp():
                earlier = earlier.date()
            cond = later < earlier
            where = ""
            if r.only_if is not None:
                cond = cond & ok[r.only_if]
                where = f" where {r.only_if} is true"
            rules.append(
                _RowRule(
                    r.later,
                    f"{r.later} is before {r.earlier}{where}",
                    r.fix,
                    cond.fill_null(False),
                )
            )
    for a, b in spec.implications:
        if a in ok and b in ok:
            rules.append(
                _RowRule(
                    a,
                    f"{a} is true while {b} is false",
                    f"a row with {a} = true must have {b} = true; fix the flags in the source",
                    (ok[a] & ~ok[b]).fill_null(False),
                )
            )
    return rules


def _pandera_problems(spec: TableSpec, coerced_table: ir.Table, skip: set[str]) -> list[_Problem]:
    """Presence and type of the canonical columns, checked with pandera's Ibis backend."""
    import pandera.errors as pe  # noqa: PLC0415  see TableSpec.to_pandera: imported only to validate

    schema = spec.to_pandera(present=list(coerced_table.columns))
    # nullability is counted (with example ids) by our own rules: only ask pandera about
    # presence and types here
    for col in schema.columns.values():
        col.nullable = True
    problems: list[_Problem] = []
    try:
        schema.validate(coerced_table, lazy=True)
    except pe.SchemaErrors as err:
        for se in err.schema_errors:
            reason = getattr(se.reason_code, "name", str(se.reason_code))
            if reason == "COLUMN_NOT_IN_DATAFRAME":
                col = str(se.failure_cases)
                present = ", ".join(coerced_table.columns) or "none"
                if len(coerced_table.columns) == 1 and any(
                    sep in coerced_table.columns[0] for sep in ",;\t|"
                ):
                    present += (
                        " (the whole header was read as one column: check the file's "
                        "delimiter and that every line has the same number of fields)"
                    )
                problems.append(
                    _Problem(
                        col,
                        "required column is missing",
                        f"add a column named `{col}` ({_KIND_WORDS[spec.column(col).kind]}) "
                        f"or rename the source column that holds it; columns present: "
                        f"{present}",
                        rank=_RANK_MISSING,
                    )
                )
            elif reason == "WRONG_DATATYPE":
                col = getattr(se.schema, "name", None)
                if col in skip:
                    continue
                problems.append(
                    _Problem(
                        col,
                        f"has type {coerced_table[col].type()}, expected "
                        f"{_KIND_WORDS[spec.column(col).kind]}",
                        f"convert `{col}` in the source",
                        rank=_RANK_TYPE,
                    )
                )
    return problems


def validate_table(name: str, table: ir.Table) -> ir.Table:
    """Check ``table`` against canonical table ``name`` and return it coerced.

    Every rule runs in the engine; only counts and at most five example ids per failing rule
    are fetched. The rules: required columns are present and non-null; values can be read as
    the column's canonical type; ids are unique; chronological rules (``close_date`` of a
    closed deal not before ``created_at``, ``converted_at`` not before ``created_at``,
    ``period_end`` not before ``period_start``); money is not negative; ``is_won`` implies
    ``is_closed``; ``activities.type`` is one of call/email/meeting/other (case-insensitive);
    the table is not empty.

    Parameters
    ----------
    name
        Canonical table name (a key of :data:`TABLES`).
    table
        The table as stored (any Ibis backend).

    Returns
    -------
    ibis.Table
        The same rows with canonical types: ids as strings, timestamps as naive UTC
        (tz-aware values converted to UTC first), dates, booleans, float64 money, int64
        counts; ``activities.type`` in lower case. Unknown extra columns are kept.

    Raises
    ------
    DataValidationError
        With all the table's problems: the first is the headline, the others are listed.
    ParamsError
        If ``name`` is not a canonical table.
    """
    spec = _get_spec(name)
    coerced = _coerce_all(spec, table)
    problems: list[_Problem] = []

    for names in spec.required_any:
        if not any(n in table.columns for n in names):
            problems.append(
                _Problem(
                    names[0],
                    f"needs at least one of the columns {', '.join(names)}",
                    f"add a column `{names[0]}` (or {' / '.join(names[1:])}) naming the unit",
                    rank=_RANK_MISSING,
                )
            )
    type_problems = {n for n, c in coerced.items() if c.type_problem}
    for n in sorted(type_problems, key=spec.column_names.index):
        problems.append(
            _Problem(
                n, coerced[n].type_problem or "", f"convert `{n}` in the source", rank=_RANK_TYPE
            )
        )

    out = _apply(table, coerced)
    problems.extend(_pandera_problems(spec, out, type_problems))

    rules = _row_rules(spec, table, coerced)
    id_col = (
        spec.unique if spec.unique in coerced and coerced[spec.unique].expr is not None else None
    )
    metrics: dict[str, ir.Scalar] = {"__n": table.count()}
    for i, r in enumerate(rules):
        metrics[f"__r{i}"] = r.condition.ifelse(1, 0).sum()  # PostgreSQL: no bool -> bigint
    if id_col is not None:
        id_expr = coerced[id_col].expr
        metrics["__ids"] = id_expr.count()
        metrics["__distinct"] = id_expr.nunique()
    counts = table.aggregate(**metrics).execute().iloc[0].to_dict()

    def as_int(v: Any) -> int:
        return 0 if v is None or v != v else int(v)

    if as_int(counts["__n"]) == 0:
        problems.append(
            _Problem(
                None,
                "the table is empty",
                f"export its rows (one per {spec.one_row_per}), or remove the empty `{name}` "
                "table so analyses that do not need it can run",
                rank=_RANK_EMPTY,
            )
        )
    else:
        keys = _key_exprs(spec, table, coerced)
        for i, r in enumerate(rules):
            n = as_int(counts[f"__r{i}"])
            if n == 0:
                continue
            rule = r.rule
            if r.values_of is not None:
                rule += f"; cannot read {_quote_values(_values(table, r.condition, r.values_of))}"
            examples = _examples(table, r.condition, keys)
            if examples and all(set(e.split(" / ")) == {"null"} for e in examples):
                examples = _row_examples(table, r.condition, skip=r.column)  # the id is the gap
            problems.append(_Problem(r.column, rule, r.fix, n, examples, r.rank))
        if id_col is not None and as_int(counts["__ids"]) != as_int(counts["__distinct"]):
            ids = table.select(__id=coerced[id_col].expr).filter(ibis._["__id"].notnull())
            dup = ids.group_by("__id").aggregate(__k=ibis._.count()).filter(ibis._["__k"] > 1)
            n_dup = as_int(dup["__k"].sum().execute())
            examples = dup.order_by("__id").limit(5).execute()["__id"].tolist()
            problems.append(
                _Problem(
                    id_col,
                    "ids must be unique, but some appear more than once",
                    f"keep one row per {spec.one_row_per} (deduplicate on `{id_col}`, e.g. "
                    "keep the latest version)",
                    n_dup,
                    examples,
                    _RANK_DUPLICATE,
                )
            )

    if problems:
        problems.sort(key=lambda p: p.rank)
        first, rest = problems[0], problems[1:]
        raise first.error(name, [p.error(name) for p in rest])
    return out
