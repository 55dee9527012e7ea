"""Synthetic demo warehouse: every canonical table with planted, documented effects.

:func:`generate_demo` writes the eleven tables of the canonical data model
(``docs/DATA_MODEL.md``) into one DuckDB file, plus a *truth file* next to it
(``<out>.truth.json``) that records the generator's true parameters, so that analyses can be
checked against what was planted.

What a sales-operations analyst will recognise:

* ~25 reps in four teams (``Team North/South/East/West``) with managers, regions (``NA``,
  ``EMEA``, ``APAC``) and territories; most were hired before the period, a few are hired during it
  and ramp (lower quota, fewer activities, lower conversion in their first 90 days), two leave.
* Leads over two years with monthly seasonality (Q4 high, summer dip), a growth trend and fewer
  leads at weekends, from seven sources of different quality. Status changes (``MQL``, ``SQL``,
  ``Disqualified``, ``Nurture``) with realistic delays; some leads skip MQL, a few move backwards.
* Converted leads become opportunities with lognormal amounts by segment, the stage path
  ``Prospecting → Qualification → Proposal → Negotiation → Closed Won/Lost`` (Proposal →
  Negotiation is the bottleneck), cycles of weeks to months (longest for Enterprise), open deals
  at ``as_of`` with expected close dates. Rep skill drives win rates (two top, two bottom reps).
* One overloaded territory (``EMEA-South``: 2.5x the leads per rep, so less follow-up per lead and
  a lower MQL → SQL rate).
* Calls, emails and meetings per rep per working day (Poisson), linked to recent leads and open
  opportunities of the rep; none at weekends, before hire or after leaving.
* Marketing campaigns with members, the A/B experiment ``C_AB_MQL_SLA`` (three arms, a CUPED
  covariate, ~0.3% multi-assigned units), quarterly quotas and monthly spend by channel. The
  experiment enrols every lead at its MQL time for 13 months (2024-12-01 to 2025-12-31 for the
  default period): about half of all MQLs, ~5,300 units per arm at 50,000 leads, so its planted
  +6 pp lift is clear (95% half-width ~1.8 pp). Its arms convert at 0.30 / 0.36 / 0.30 against
  ~0.25 outside it, so a funnel over the experiment window reads MQL → SQL higher than one over
  the quarters after it.

Generation is chunked: leads and everything that hangs off them (history, opportunities,
campaign members, activities of the same days) are built with vectorised numpy per chunk of
``chunk_size`` leads and appended to DuckDB, so ten million leads stay within bounded memory.
The output is a deterministic function of ``(seed, leads, start, months, reps, chunk_size)``.

Truth semantics: rates are the generator's true probabilities averaged over the units actually
at risk (for example ``MQL->SQL`` of a source is the mean true probability of reaching SQL over
that source's leads that reached MQL or beyond). They include leads whose outcome falls after
``as_of`` (censored in the data), so an analysis that handles censoring recovers them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from salesops_lib.data._duckdb import DUCKDB_WRITE_CONFIG
from salesops_lib.data.demo._generator import _Generator
from salesops_lib.data.demo._tables import _DDL, DEMO_TABLES

__all__ = ["DEMO_TABLES", "DemoSummary", "generate_demo"]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate_demo` wrote.

    Attributes
    ----------
    path
        The DuckDB file.
    truth_path
        The truth file (``path`` with suffix ``.truth.json``).
    rows
        Row count per table.
    as_of
        The as-of time of the data (naive UTC; nothing in the data is later).
    seed, n_leads
        The generator's inputs.
    """

    path: Path
    truth_path: Path
    rows: dict[str, int] = field(default_factory=dict)
    as_of: pd.Timestamp | None = None
    seed: int = 7
    n_leads: int = 0

    def to_frame(self) -> pd.DataFrame:
        """Row counts as a tidy frame (``table``, ``rows``)."""
        return pd.DataFrame({"table": list(self.rows), "rows": list(self.rows.values())})

    def __str__(self) -> str:
        counts = ", ".join(f"{t} {n:,}" for t, n in self.rows.items())
        return (
            f"Demo warehouse {self.path} (as of {self.as_of}): {counts}. Truth: {self.truth_path}"
        )


def generate_demo(
    out: str | Path,
    *,
    seed: int = 7,
    leads: int = 50_000,
    start: str = "2024-10-01",
    months: int = 24,
    reps: int = 25,
    chunk_size: int = 200_000,
    progress: bool = False,
) -> DemoSummary:
    """Write the demo warehouse (every canonical table) and its truth file.

    Parameters
    ----------
    out
        Path of the DuckDB file to write. The parent folder is created; an existing file is
        replaced atomically (written to ``<out>.tmp`` first, then moved into place).
    seed
        Random seed; the same inputs give the same data.
    leads
        Number of leads over the whole period (everything else scales with it, except reps and
        their activities).
    start
        First day of the period (``YYYY-MM-DD``).
    months
        Length of the period; ``as_of`` is the last second before ``start + months``.
    reps
        Number of sales reps (at least 12), including the ones hired during the period.
    chunk_size
        Leads generated and written per step; bounds memory for very large runs.
    progress
        Show a progress bar (tqdm) over the chunks.

    Returns
    -------
    DemoSummary
        Paths, row counts per table and ``as_of``.

    Raises
    ------
    ValueError
        When an input is out of range (fewer than 100 leads, fewer than 12 reps, fewer than
        12 months, chunk_size < 100).

    Examples
    --------
    >>> summary = generate_demo("data/demo.duckdb", seed=7, leads=50_000)  # doctest: +SKIP
    >>> summary.rows["leads"]  # doctest: +SKIP
    50000
    """
    if leads < 100:
        raise ValueError(f"leads must be at least 100, got {leads}")
    if reps < 12:
        raise ValueError(f"reps must be at least 12 (four teams, eight territories), got {reps}")
    if months < 12:
        raise ValueError(f"months must be at least 12, got {months}")
    if chunk_size < 100:
        raise ValueError(f"chunk_size must be at least 100, got {chunk_size}")

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    for stale in (tmp, Path(str(tmp) + ".wal")):
        stale.unlink(missing_ok=True)
    truth_path = out.with_suffix(".truth.json")

    gen = _Generator(
        seed=seed, n_leads=leads, start=start, months=months, n_reps=reps, chunk_size=chunk_size
    )
    con = duckdb.connect(str(tmp), config=DUCKDB_WRITE_CONFIG)
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET memory_limit = '1GB'")
        for table, cols in _DDL.items():
            body = ", ".join(f"{c} {t}" for c, t in cols)
            con.execute(f"CREATE TABLE {table} ({body})")
        gen.run(con, progress=progress)
        rows = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in _DDL}
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, out)

    truth = gen.truth()
    truth_tmp = truth_path.with_name(truth_path.name + ".tmp")
    truth_tmp.write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    os.replace(truth_tmp, truth_path)
    return DemoSummary(
        path=out,
        truth_path=truth_path,
        rows=rows,
        as_of=pd.Timestamp(gen.as_of_sec, unit="s"),
        seed=seed,
        n_leads=leads,
    )
