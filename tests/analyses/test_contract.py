"""One contract for every analysis in the registry: the same result surface, parameters declared
once (function defaults = params model = notebook parameters cell), the common JSON header, and
the same numbers from a path and from an open source with the same ``as_of``.

Each analysis runs on the session's demo warehouse with its example params file from ``params/``.
"""

from __future__ import annotations

import ast
import inspect
import json
import math
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from salesops_lib.analyses import REGISTRY
from salesops_lib.analyses._base import AnalysisParams, ResultBase, Section, signature_defaults
from salesops_lib.data.sources import open_source
from salesops_lib.report.params import read_params_file
from salesops_lib.viz.html import Blocks, Cards, Definitions, Summary

REPO = Path(__file__).resolve().parents[2]
NAMES = sorted(REGISTRY)

#: The example params file each analysis runs with in these tests.
EXAMPLE = {
    "funnel": "funnel_analysis.yaml",
    "experiment": "ab_campaign_evaluation.yaml",
    "benchmark": "benchmarking.yaml",
    "kpis": "sales_kpis.yaml",
    "forecast": "pipeline_forecast.yaml",
}


def _params(name: str, source: Any, **extra: Any) -> AnalysisParams:
    a = REGISTRY[name]
    data = read_params_file(REPO / "params" / EXAMPLE[name])
    data.pop("notebook", None)
    if "as_of" in extra:  # another cut-off: the analysis's default period for it
        data.pop("period_start", None)
        data.pop("period_end", None)
    data.update(source=str(source), **extra)
    if "benchmarks_file" in data:
        data["benchmarks_file"] = str(REPO / data["benchmarks_file"])
    return a.params.model_validate(data)


class _Results(dict):
    """Each analysis run once on the demo warehouse, on first use."""

    def __init__(self, demo_db: Path) -> None:
        super().__init__()
        self.demo_db = demo_db

    def __missing__(self, name: str) -> ResultBase:
        self[name] = REGISTRY[name].run(**_params(name, self.demo_db).to_kwargs())
        return self[name]


@pytest.fixture(scope="module")
def results(demo_db: Path) -> dict[str, ResultBase]:
    return _Results(demo_db)


def test_every_analysis_has_an_example_params_file():
    assert set(EXAMPLE) == set(REGISTRY)


@pytest.mark.parametrize("name", NAMES)
def test_function_defaults_equal_params_model(name: str):
    a = REGISTRY[name]
    model = a.params
    assert issubclass(model, AnalysisParams)
    defaults = signature_defaults(a.run)
    sig = inspect.signature(a.run)
    fields = {k for k in model.model_fields if k not in model.REPORT_ONLY}
    assert set(sig.parameters) == fields, "function parameters and params fields differ"
    first = next(iter(sig.parameters))
    assert first == "source", "data first"
    for field_name, info in model.model_fields.items():
        if field_name in model.REPORT_ONLY or field_name == "source":
            continue
        assert sig.parameters[field_name].kind is inspect.Parameter.KEYWORD_ONLY
        if info.is_required():
            assert field_name not in defaults, f"{field_name} is required in the model"
        else:
            assert defaults[field_name] == info.get_default(call_default_factory=True), field_name


def _parameters_cell(notebook: str) -> dict[str, Any]:
    nb = json.loads((REPO / "notebooks" / f"{notebook}.ipynb").read_text())
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse("".join(cells[0]["source"]))
    out = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1
        out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_notebook_parameters_cell_matches_params_model(name: str, demo_db: Path):
    a = REGISTRY[name]
    values = _parameters_cell(a.notebook)
    assert set(values) == set(a.params.model_fields)
    # the cell's values are valid params (with the data moved to the test warehouse)
    values["source"] = str(demo_db)
    if values.get("benchmarks_file"):
        values["benchmarks_file"] = str(REPO / values["benchmarks_file"])
    a.params.from_namespace(values)


@pytest.mark.parametrize("name", NAMES)
def test_result_surface(name: str, results: dict[str, ResultBase]):
    res = results[name]
    assert isinstance(res, REGISTRY[name].result)
    assert isinstance(res, ResultBase)
    assert isinstance(res.summary(), Summary) and len(res.summary()) >= 1
    assert all(isinstance(s, str) and s for s in res.summary())
    assert isinstance(res.banners(), list)
    assert isinstance(res.cards(), Cards)
    assert isinstance(res.tables(), Blocks)
    assert isinstance(res.methods(), Definitions)
    assert isinstance(res.to_frame(), pd.DataFrame) and not res.to_frame().empty
    assert isinstance(res.headline(), str) and res.headline()
    for s in res.sections():
        assert isinstance(s, Section)
        assert {k.partition(":")[0] for k in s.plots} <= set(res.PLOT_KINDS)
        for kind in s.plots:
            assert hasattr(res.plot(kind), "figure")
    html = res._repr_html_()
    assert "<" in html and res.headline()
    assert res.plot().figure is not None
    # plot(kind=None, *, ax=None), drawing on the Axes it is given (small multiples: inside
    # its area, on its figure)
    params = inspect.signature(type(res).plot).parameters
    assert list(params) == ["self", "kind", "ax"]
    assert params["kind"].default is None
    assert params["ax"].kind is inspect.Parameter.KEYWORD_ONLY and params["ax"].default is None
    for kind in [None, *dict.fromkeys(k for s in res.sections() for k in s.plots)]:
        fig, ax = plt.subplots()
        drawn = res.plot(kind, ax=ax)
        assert drawn is ax or (drawn.figure is fig and ax not in fig.axes), kind


@pytest.mark.parametrize("name", NAMES)
def test_results_have_the_common_header(name: str, results: dict[str, ResultBase]):
    doc = results[name].to_results()
    json.dumps(doc, allow_nan=False)
    assert doc["analysis"] == name
    assert isinstance(doc["headline"], str) and doc["headline"]
    assert doc["headline"] == results[name].headline()
    assert isinstance(doc["n"], int) and doc["n"] > 0
    assert isinstance(doc["n_label"], str) and doc["n_label"]
    assert isinstance(doc["warnings"], list)
    assert pd.Timestamp(doc["as_of"])
    # every report names its period (an experiment: the days its units were assigned)
    assert isinstance(doc["period"], dict), "the header's period is missing"
    assert {"start", "end", "label"} <= set(doc["period"])
    assert doc["period"]["start"] <= doc["period"]["end"]
    assert isinstance(doc["period"]["label"], str) and doc["period"]["label"]


@pytest.mark.parametrize("name", NAMES)
def test_path_and_open_source_give_identical_results(name: str, demo_db: Path):
    a = REGISTRY[name]
    as_of = "2025-12-31"
    by_path = a.run(**_params(name, demo_db, as_of=as_of).to_kwargs()).to_results()
    kwargs = _params(name, demo_db, as_of=as_of).to_kwargs()
    kwargs["source"] = open_source(demo_db, as_of=as_of)
    by_source = a.run(**kwargs).to_results()
    # the same numbers: counts exactly, floats up to summation order in the engine (1e-9)
    assert _same(by_path, by_source)
    assert by_path["as_of"] == "2025-12-31T23:59:59"


def _same(a: Any, b: Any) -> bool:
    """Recursive equality with floats compared to 1e-9 (pytest.approx does not nest)."""
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return a == b
