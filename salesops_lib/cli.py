"""The ``salesops`` command.

::

    salesops run NOTEBOOK --params FILE [--out reports]      one report
    salesops run --all [--params-dir params] [--out reports] [--workers 2] [--fresh-kernels]
    salesops run ... --pdf [--paper letter]                  also NAME.pdf (headless Chromium)
    salesops demo-data --out data/demo.duckdb --seed 7 --leads 50000
    salesops validate --source PATH [--tables leads opportunities ...]
    salesops --version

Any :class:`~salesops_lib.errors.SalesOpsError` is printed as its message on stderr and the
command exits with ``err.exit_code`` (2 for params/data/source errors, 1 when a report notebook
failed); never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from salesops_lib._redact import redact
from salesops_lib._version import __version__
from salesops_lib.errors import ParamsError, SalesOpsError

__all__ = ["build_parser", "main"]


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _print_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> None:
    """Print a plain text table; numbers right-aligned with thousands separators."""
    cells = [
        [f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v) for v in row]
        for row in rows
    ]
    numeric = [
        all(isinstance(row[i], int | float) and not isinstance(row[i], bool) for row in rows)
        for i in range(len(header))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    print(line(list(header)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print(line(r))


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------


def _write_pdfs(pages: Sequence[Path], paper: str) -> bool:
    """Print each report page to NAME.pdf beside it; ``False`` if one could not be printed."""
    from salesops_lib.report.pdf import write_pdf  # noqa: PLC0415  importing salesops_lib.report costs 2.1 s; `salesops --help` stays at 0.01 s

    ok = True
    for page in pages:
        try:
            pdf = write_pdf(page, paper=paper)  # type: ignore[arg-type]
        except SalesOpsError as err:
            print(f"salesops: {err}", file=sys.stderr)
            ok = False
        else:
            print(f"PDF:    {_shown(pdf.resolve())}")
    return ok


def _cmd_run(args: argparse.Namespace) -> int:
    from salesops_lib.report._archive import run_lock  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s
    from salesops_lib.report._files import check_output_dir  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s

    if args.keep < 1:
        raise ParamsError("--keep", f"is {args.keep}", expected="at least 1 archived run")
    if args.wait < 0:
        raise ParamsError("--wait", f"is {args.wait}", expected="0 or more seconds")
    notify = None
    if args.notify:
        from salesops_lib.report.notify import load_notify_config  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s

        notify = load_notify_config(args.notify)  # a bad file stops the run before any report
    # the output folder is a writable folder before the lock file goes into it (the runner
    # checks again, with the room each report needs, before any kernel starts)
    check_output_dir(Path(args.out), free_space=False, create=False)
    with run_lock(args.out, wait=args.wait):
        return _run_locked(args, notify)


def _notify(notify: Any, results: list[Any]) -> None:
    from salesops_lib.report.notify import send  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s

    sent = send(notify, results)
    print(f"E-mail: {sent} message{'s' if sent != 1 else ''} sent.", file=sys.stderr)


def _run_locked(args: argparse.Namespace, notify: Any = None) -> int:
    from salesops_lib.report.runner import run_all, run_report  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s (runner 0.6 s, demo 0.7 s, sources 0.4 s)

    keep = args.keep if args.archive else None
    if args.pdf:
        from salesops_lib.report.pdf import find_chromium  # noqa: PLC0415  as in _write_pdfs

        find_chromium()  # no Chromium: say so before any report runs (exit 2)
    if args.all:
        if args.notebook or args.params:
            raise ParamsError(
                "--all",
                "cannot be combined with NOTEBOOK or --params",
                fix="Run one report with `salesops run NOTEBOOK --params FILE`, or all of "
                "params/ with `salesops run --all`.",
            )
        results = run_all(
            args.params_dir,
            out_dir=args.out,
            workers=args.workers,
            notebooks_dir=args.notebooks_dir,
            timeout=args.timeout,
            overrides=args.param,
            archive_keep=keep,
            warm_kernels=not args.fresh_kernels,
        )
        index = (Path(args.out) / "index.html").resolve()
        if results:
            print()
            _print_table(
                [
                    (
                        r.name,
                        r.notebook,
                        r.status,
                        f"{r.duration_s:.1f} s",
                        _shown(r.html)
                        if r.ok and r.html
                        else _shown(r.error_html)
                        if r.error_html
                        else "",
                    )
                    for r in results
                ],
                ["report", "notebook", "status", "time", "file"],
            )
            for r in results:
                if not r.ok:
                    print(f"\n{redact(r.error or '')}", file=sys.stderr)
        else:  # a scheduler must not count "nothing ran" as success
            print(
                f"salesops: no params files with a `notebook:` key in {args.params_dir}.",
                file=sys.stderr,
            )
            return 2
        printed = not args.pdf or _write_pdfs(
            [r.html for r in results if r.ok and r.html], args.paper
        )
        print(f"\nIndex: {_shown(index)}\n       {index.as_uri()}")
        if notify is not None:
            _notify(notify, results)
        codes = [r.exit_code for r in results if not r.ok] + ([] if printed else [1])
        return 2 if 2 in codes else (1 if codes else 0)

    if not args.params:
        raise ParamsError(
            "--params",
            "is needed",
            expected="a params YAML file",
            fix="Run `salesops run NOTEBOOK --params params/FILE.yaml`, or `salesops run --all`.",
        )
    try:
        result = run_report(
            args.notebook,
            args.params,
            out_dir=args.out,
            name=args.name,
            notebooks_dir=args.notebooks_dir,
            timeout=args.timeout,
            overrides=args.param,
            archive_keep=keep,
            isolated=True,  # SIGTERM, SIGINT, SIGHUP: the kernel ends with the command
        )
    except SalesOpsError as err:  # the maintainers hear of it, then the usual exit
        if notify is not None:
            from salesops_lib.report._jobs import RunResult  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s

            name = args.name or Path(args.params).stem
            failed = getattr(err, "result", None) or RunResult(
                name, args.notebook or "?", "failed", error=str(err), exit_code=err.exit_code
            )
            _notify(notify, [failed])
        raise
    html = result.html.resolve() if result.html else None
    print(f"Report: {_shown(html) if html else '?'}  ({result.duration_s:.1f} s)")
    if html:
        print(f"        {html.as_uri()}")
    printed = not (args.pdf and html) or _write_pdfs([html], args.paper)
    if notify is not None:  # after the PDF, which the e-mail attaches
        _notify(notify, [result])
    return 0 if printed else 1


# ---------------------------------------------------------------------------------------------
# demo-data
# ---------------------------------------------------------------------------------------------


def _row_counts(summary: Any) -> Mapping[str, Any] | None:
    """Find a ``table -> rows`` mapping in whatever ``generate_demo`` returned."""
    for attr in ("rows", "row_counts", "tables", "counts"):
        value = summary.get(attr) if isinstance(summary, Mapping) else getattr(summary, attr, None)
        if isinstance(value, Mapping) and value:
            return value
    if (
        isinstance(summary, Mapping)
        and summary
        and all(isinstance(v, int) for v in summary.values())
    ):
        return summary
    return None


def _cmd_demo_data(args: argparse.Namespace) -> int:
    try:
        from salesops_lib.data.demo import generate_demo  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s (runner 0.6 s, demo 0.7 s, sources 0.4 s)
    except ImportError as exc:  # pragma: no cover - the module lands separately
        raise SalesOpsError(f"The demo generator is not available ({exc}).") from None
    out = Path(args.out)
    summary = generate_demo(out, seed=args.seed, leads=args.leads, progress=sys.stderr.isatty())
    print(f"Demo warehouse written to {_shown(out)} (seed {args.seed}, {args.leads:,} leads).")
    counts = _row_counts(summary)
    if counts:
        _print_table([(k, int(v)) for k, v in counts.items()], ["table", "rows"])
    elif summary is not None:
        print(summary)
    return 0


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    from salesops_lib.data.sources import open_source  # noqa: PLC0415  lazy: `salesops --help` starts in 0.01 s (runner 0.6 s, demo 0.7 s, sources 0.4 s)

    src = open_source(args.source, as_of=args.as_of)
    try:
        tables = list(args.tables) if args.tables else list(getattr(src, "tables", None) or [])
        if not tables:
            frame = src.describe()
            tables = list(frame["table"])
        failures: list[str] = []
        broken: set[str] = set()
        blocked: list[str] = []  # tables checked against a broken one (lead_history → leads)
        for name in tables:  # check every table, so one run lists every problem
            try:
                src.table(name)  # validated on first access
            except SalesOpsError as err:
                owner = getattr(err, "table", None) or name
                if owner != name:
                    blocked.append(f"`{name}` (checked against `{owner}`)")
                if str(err) not in failures:  # said once, though two tables raised it
                    failures.append(str(err))
                broken.add(owner)
        if failures:
            raise SalesOpsError(
                f"{len(broken)} of {len(tables)} table(s) in {args.source} break the data "
                "model:\n\n"
                + "\n\n".join(failures)
                + (f"\n\nNot checked until then: {', '.join(blocked)}." if blocked else "")
            )
        frame = src.describe()
        frame = frame[frame["table"].isin(tables)]
        rows = []
        for rec in frame.to_dict(orient="records"):
            first, last = rec.get("first"), rec.get("last")
            rows.append(
                (
                    rec["table"],
                    int(rec["rows"]),
                    "" if first is None or str(first) == "NaT" else str(first)[:10],
                    "" if last is None or str(last) == "NaT" else str(last)[:10],
                )
            )
        print(f"{args.source}: {len(tables)} table(s) valid.")
        _print_table(rows, ["table", "rows", "first", "last"])
        as_of = getattr(src, "as_of", None)
        fingerprint = src.fingerprint() if hasattr(src, "fingerprint") else None
        if as_of is not None:
            print(
                f"\nas of {as_of}"
                + (f" · data fingerprint {fingerprint}" if fingerprint else "")
                + (
                    ""
                    if args.as_of
                    else "  (a report's footer shows the fingerprint for its own "
                    "as-of: pass --as-of to compare)"
                )
            )
    finally:
        close = getattr(src, "close", None)
        if callable(close):
            close()
    return 0


# ---------------------------------------------------------------------------------------------
# import (CRM export → canonical folder)
# ---------------------------------------------------------------------------------------------

_ADAPTERS = {
    "ab-log": "salesops_lib.data.adapters.ab_log:load_ab_log",
    "maven-crm": "salesops_lib.data.adapters.maven_crm:load_maven_crm",
    "salesforce": "salesops_lib.data.adapters.salesforce:load_salesforce",
    "hubspot": "salesops_lib.data.adapters.hubspot:load_hubspot",
    "mapping": "salesops_lib.data.adapters.mapping:load_mapping",
}


def _cmd_import(args: argparse.Namespace) -> int:
    module, func = _ADAPTERS[args.adapter].split(":")
    kwargs = {"mapping": args.mapping} if args.adapter == "mapping" else {}
    if args.adapter != "mapping" and args.mapping:
        kwargs = {"stages": args.mapping} if args.adapter == "hubspot" else {}
    if args.quota_goal:
        if args.adapter != "hubspot":
            raise ParamsError(
                "--quota-goal", "applies to `hubspot` only", expected="no --quota-goal"
            )
        kwargs["quota_goal"] = args.quota_goal
    for option, key in (("currency_rate", "currency_rates"), ("quota_period", "quota_period")):
        value = getattr(args, option, None)
        if value:
            flag = "--" + option.replace("_", "-")
            if args.adapter != "salesforce":
                raise ParamsError(flag, "applies to `salesforce` only", expected=f"no {flag}")
            kwargs[key] = dict(value) if key == "currency_rates" else value
    result = getattr(import_module(module), func)(args.export, **kwargs)
    out = result.write(args.out)
    src_tables = ", ".join(sorted(result.tables))
    print(f"Imported {args.adapter} export into {_shown(out)} ({src_tables}).")
    _print_table([(k, len(v)) for k, v in result.tables.items()], ["table", "rows"])
    for line in result.summary_lines()[1:]:
        print(line)
    print(f"\nUse it in a params file:  source: {_shown(out)}   as_of: {result.as_of:%Y-%m-%d}")
    return 0


# ---------------------------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more (``--workers 0`` would run nothing)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed; give 1 or more")
    return value


def _currency_rate(text: str) -> tuple[str, float]:
    """An argparse type: ``EUR=1.08`` (a currency code and the rate its amounts are multiplied
    by)."""
    code, sep, rate = text.partition("=")
    try:
        value = float(rate)
    except ValueError:
        value = float("nan")
    if not sep or not code.strip() or not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not CODE=RATE, e.g. EUR=1.08")
    return code.strip().upper(), value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``salesops`` command."""
    parser = argparse.ArgumentParser(
        prog="salesops",
        description="Sales-operations analytics: run leadership reports, build demo data, validate "
        "sources.",
    )
    parser.add_argument("--version", action="version", version=f"salesops {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run a report notebook (or all of them) and write HTML + JSON",
        description="Run a report notebook with a params file, or every params/*.yaml with --all.",
    )
    run.add_argument(
        "notebook",
        nargs="?",
        help="notebook name, e.g. funnel_analysis (default: the params file's `notebook:`)",
    )
    run.add_argument("--params", metavar="FILE", help="params YAML file")
    run.add_argument("--all", action="store_true", help="run every params file in --params-dir")
    run.add_argument(
        "--params-dir",
        default="params",
        metavar="DIR",
        help="folder of params files for --all (default: params)",
    )
    run.add_argument(
        "--out", default="reports", metavar="DIR", help="output folder (default: reports)"
    )
    run.add_argument("--name", help="report name (default: the params file's name)")
    run.add_argument(
        "--archive",
        action="store_true",
        help="also keep a dated copy: OUT/archive/NAME/2026-12-01T0600Z.html and .json",
    )
    run.add_argument(
        "--keep",
        type=int,
        default=30,
        metavar="N",
        help="with --archive: archived runs kept per report, the newest (default: 30)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another run writes to the same --out, wait this long for it (default: 0, "
        "stop at once with exit 75)",
    )
    run.add_argument(
        "--notify",
        metavar="FILE",
        help="after the run, e-mail each report to its readers and each failure to the "
        "maintainers (SMTP settings and recipients in FILE; see docs/scheduling.md)",
    )
    run.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a parameter over the params file, e.g. -p as_of=yesterday "
        "-p period=last_full_month (repeatable; values read as YAML)",
    )
    run.add_argument(
        "--workers",
        type=_positive_int,
        default=2,
        help="parallel runs for --all, 1 or more (default: 2)",
    )
    run.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="--all: start a new kernel for every report (default: each worker keeps its "
        "kernel between reports, reset before each)",
    )
    run.add_argument(
        "--notebooks-dir",
        default="notebooks",
        metavar="DIR",
        help="folder of notebooks (default: notebooks)",
    )
    run.add_argument(
        "--timeout",
        type=_positive_int,
        default=900,
        metavar="SECONDS",
        help="time limit per notebook cell (default: 900)",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="also print each report to NAME.pdf beside NAME.html (needs headless Chromium)",
    )
    run.add_argument(
        "--paper",
        choices=["a4", "letter"],  # salesops_lib.report.pdf.PAPER_SIZES (not imported: 2.1 s)
        default="a4",
        help="paper size of the PDF (default: a4)",
    )
    run.set_defaults(func=_cmd_run)

    demo = sub.add_parser("demo-data", help="write the synthetic demo warehouse (DuckDB)")
    demo.add_argument(
        "--out", default="data/demo.duckdb", help="DuckDB file to write (default: data/demo.duckdb)"
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--leads", type=int, default=50_000, help="number of leads (default: 50000)")
    demo.set_defaults(func=_cmd_demo_data)

    val = sub.add_parser("validate", help="check a data source against the canonical data model")
    val.add_argument(
        "--source", required=True, help="a .duckdb file, a folder of parquet/csv files, or env:VAR"
    )
    val.add_argument(
        "--tables", nargs="+", metavar="TABLE", help="tables to check (default: all present)"
    )
    val.add_argument(
        "--as-of",
        default=None,
        metavar="WHEN",
        help="as-of time (default: the latest timestamp in the data), as in a report's params",
    )
    val.set_defaults(func=_cmd_validate)

    imp = sub.add_parser(
        "import",
        help="map a CRM export onto the canonical tables (a folder of parquet files)",
        description="Map a CRM export onto the canonical tables and write them as a folder source.",
    )
    imp.add_argument("adapter", choices=sorted(_ADAPTERS), help="which export format")
    imp.add_argument("export", help="folder holding the export's files (ab-log: the log file)")
    imp.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="folder to write <table>.parquet to, or a .duckdb file",
    )
    imp.add_argument(
        "--mapping",
        metavar="YAML",
        help="mapping YAML (required for `mapping`; for `hubspot`: the pipeline-stages CSV, "
        "stage_id,label,is_closed,is_won)",
    )
    imp.add_argument(
        "--quota-goal",
        metavar="NAME",
        help="hubspot: the goal (hs_goal_name) in goals.csv whose targets are the quotas",
    )
    imp.add_argument(
        "--currency-rate",
        action="append",
        type=_currency_rate,
        metavar="CODE=RATE",
        help="salesforce: amounts in CODE are multiplied by RATE, one per CurrencyIsoCode of "
        "Opportunity.csv when it holds several (e.g. --currency-rate EUR=1.08 "
        "--currency-rate USD=1)",
    )
    imp.add_argument(
        "--quota-period",
        choices=["month", "quarter", "year"],
        help="salesforce: the length of a ForecastingQuota period from its StartDate "
        "(default: quarter)",
    )
    imp.set_defaults(func=_cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``salesops`` command.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 ok, 1 a report notebook failed, 2 bad params, data or source, 128 +
        the signal when ``run --all`` was stopped (143 SIGTERM, 130 SIGINT, 129 SIGHUP), 141
        the reader of the output went away (``| head``).
    """
    _skip_iri_grammars()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.WARNING, format="salesops: %(message)s")
    for handler in logging.getLogger().handlers:  # log lines never show a password or token
        if not isinstance(handler.formatter, _RedactingFormatter):
            handler.setFormatter(_RedactingFormatter(handler.formatter))
    # nbclient logs timeouts and dead kernels through papermill's logger; the runner reports
    # them itself (message, exit code, NAME.error.html), so keep the terminal free of duplicates.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except SalesOpsError as err:
        print(f"salesops: {redact(str(err))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt as err:
        # `run --all` stopped by SIGTERM, SIGINT or SIGHUP (report.runner.RunInterrupted): the
        # workers, kernels and temporary files are gone and the index is rewritten
        name = getattr(err, "signal_name", None)
        if name:
            finished, not_run = int(getattr(err, "finished", 0)), int(getattr(err, "not_run", 0))
            print(
                f"Stopped by {name}: {finished} {'report' if finished == 1 else 'reports'} "
                f"finished, {not_run} not run",
                file=sys.stderr,
            )
            return int(getattr(err, "exit_code", 130))
        print("salesops: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `salesops validate ... | head -1`: the reader has gone; end quietly as a shell
        # pipeline expects (128 + SIGPIPE), and keep Python from complaining at exit
        _silence_stdout()
        return 141


def _skip_iri_grammars() -> None:
    """Keep ``jsonschema`` from loading ``rfc3987_syntax`` in this process.

    nbformat (papermill, nbconvert) imports jsonschema, whose format checkers import
    ``rfc3987_syntax`` when it is installed (JupyterLab's ``jupyter-events`` installs it), and
    that compiles 39 lark grammars at import: 1.1 s of CPU in every ``salesops`` process
    (``python -c "import nbformat, papermill"``: 1.45 s user; 0.42 s with it marked missing).
    Notebooks have no IRI fields, so jsonschema simply goes without the ``iri`` checkers, as
    when the package is not installed. Only the command's own process is changed (not the
    kernels, not a library user's process).
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


class _RedactingFormatter(logging.Formatter):
    """Wraps a handler's formatter so that every log line passes through :func:`redact`."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record))


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at interpreter exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. captured)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
