"""The public API is a contract: ``__all__`` is exactly the curated names, and each resolves."""

from __future__ import annotations

import subprocess
import sys

import salesops_lib

EXPECTED = {
    "TABLES",
    "BenchmarkResult",
    "DataValidationError",
    "ExperimentResult",
    "FunnelResult",
    "ParamsError",
    "ReportExecutionError",
    "SalesOpsError",
    "Source",
    "SourceError",
    "__version__",
    "benchmark_reps",
    "compare_binary_counts",
    "evaluate_experiment",
    "funnel_analysis",
    "generate_demo",
    "notebook_setup",
    "open_source",
    "publish_results",
    "run_all",
    "run_report",
    "set_theme",
    "validate_table",
}


def test_all_is_exactly_the_curated_api():
    assert set(salesops_lib.__all__) == EXPECTED
    assert len(salesops_lib.__all__) == len(EXPECTED)


def test_every_public_name_resolves():
    for name in salesops_lib.__all__:
        assert getattr(salesops_lib, name) is not None, name


def test_unknown_attribute_is_an_attribute_error():
    try:
        salesops_lib.no_such_name  # noqa: B018
    except AttributeError as err:
        assert "no_such_name" in str(err)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_errors_form_one_hierarchy():
    for cls in (
        salesops_lib.DataValidationError,
        salesops_lib.ParamsError,
        salesops_lib.SourceError,
        salesops_lib.ReportExecutionError,
    ):
        assert issubclass(cls, salesops_lib.SalesOpsError)


def test_import_is_light():
    """``import salesops_lib`` must not pull in the heavy stack (the CLI starts fast)."""
    code = (
        "import sys, salesops_lib; print(sorted(m for m in ('ibis', 'pandas', 'scipy', "
        "'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_error_messages_read_as_sentences():
    err = salesops_lib.DataValidationError(
        table="leads",
        column="lead_id",
        rule="ids must be unique",
        n_failing=1,
        examples=["L1"],
        fix="deduplicate on `lead_id`, keeping the latest row",
    )
    text = str(err)
    assert "(1 row fails)" in text
    assert "How to fix: Deduplicate on `lead_id`, keeping the latest row." in text
    assert "(2 rows fail)" in str(
        salesops_lib.DataValidationError(table="t", column="c", rule="r", n_failing=2)
    )
