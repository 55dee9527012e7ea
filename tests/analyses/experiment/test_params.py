"""ExperimentParams: defaults, the demo params file, errors that name the key, notebook contract."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from salesops_lib.analyses.experiment import ExperimentParams
from salesops_lib.errors import ParamsError
from salesops_lib.report.params import get_params_model, load_params, validate_params

REPO = Path(__file__).resolve().parents[3]
NB = "ab_campaign_evaluation"
#: The required fields (no demo defaults); every case below changes one thing.
BASE = {
    "title": "test",
    "campaign_id": "C_AB_MQL_SLA",
    "metrics": [{"name": "SQL", "kind": "binary", "stage": "SQL", "window_days": 30}],
}


def test_registered_and_defaults_valid():
    assert get_params_model(NB) is ExperimentParams
    p = ExperimentParams(**BASE)
    assert p.control == "control" and p.adjust == "holm" and p.guardrails == ()
    assert p.metrics[0]["kind"] == "binary"


@pytest.mark.parametrize("missing", ["campaign_id", "metrics"])
def test_campaign_and_metrics_are_required(missing):
    with pytest.raises(ParamsError) as err:
        validate_params(NB, {k: v for k, v in BASE.items() if k != missing})
    assert err.value.param == missing


def test_demo_params_file_validates():
    stem, p = load_params(REPO / "params" / "ab_campaign_evaluation.yaml")
    assert stem == NB
    assert sum(p.planned_split.values()) == pytest.approx(1.0)
    assert p.guardrails[0]["margin"] > 0
    # sequential monitoring comes with the plan that fixes tau in advance
    assert p.sequential and 0 < p.baseline_rate < 1 and p.planned_n_per_arm >= 2


@pytest.mark.parametrize(
    ("values", "param", "words"),
    [
        ({"planned_split": {"control": 0.5, "b": 0.6}}, "planned_split", "sum to 1.1000"),
        ({"metrics": [{"name": "x", "kind": "binary"}]}, "metrics", "metrics.0.stage"),
        (
            {"metrics": [{"name": "x", "kind": "ratio", "stage": "SQL"}]},
            "metrics",
            "metrics.0.kind",
        ),
        ({"metrics": []}, "metrics", "at least 1"),
        (
            {"guardrails": [{"name": "g", "kind": "binary", "stage": "SQL"}]},
            "guardrails",
            "guardrails.0.margin",
        ),
        ({"adjust": "bonferroni"}, "adjust", "holm"),
        ({"alpha": 0.7}, "alpha", "0.5"),
        ({"cluster_by": "owner id"}, "cluster_by", "column name"),
        ({"controll": "x"}, "controll", "did you mean `control`"),
        ({"sequential": True}, "baseline_rate", "fixed from the plan"),
        ({"sequential": True, "baseline_rate": 0.3}, "planned_n_per_arm", "fixed from the plan"),
        (
            {"sequential": True, "baseline_rate": 1.3, "planned_n_per_arm": 5000},
            "baseline_rate",
            "less than 1",
        ),
        ({"sequential": True, "sequential_tau": -0.1}, "sequential_tau", "greater than 0"),
    ],
)
def test_bad_values_are_one_params_error_naming_the_key(values, param, words):
    with pytest.raises(ParamsError) as err:
        validate_params(NB, {**BASE, **values})
    assert err.value.param == param
    assert words in str(err.value)


def test_notebook_parameters_cell_matches_the_model():
    nb = nbformat.read(REPO / "notebooks" / f"{NB}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    ns: dict = {}
    exec(tagged[0].source, ns)  # the cell only assigns literals
    names = {k for k in ns if not k.startswith("__")}
    assert names == set(ExperimentParams.model_fields)
    # the notebook's example values are valid params
    assert ExperimentParams(**{k: ns[k] for k in names}).campaign_id == ns["campaign_id"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None


def test_check_data_names_the_key_before_a_kernel_starts(demo_db):
    ExperimentParams(**BASE, source=str(demo_db)).check_data()
    with pytest.raises(ParamsError) as err:
        ExperimentParams(**{**BASE, "source": str(demo_db)}, control="baseline").check_data()
    assert err.value.param == "control"
    bad = [{"name": "x", "kind": "binary", "stage": "Qualified", "window_days": 30}]
    with pytest.raises(ParamsError) as err:
        ExperimentParams(**{**BASE, "source": str(demo_db), "metrics": bad}).check_data()
    assert err.value.param == "metrics.0.stage"


def test_sequential_plan_alternatives():
    assert (
        validate_params(NB, {**BASE, "sequential": True, "sequential_tau": 0.02}).sequential_tau
        == 0.02
    )
    p = validate_params(
        NB, {**BASE, "sequential": True, "baseline_rate": 0.3, "planned_n_per_arm": 5000}
    )
    assert (p.baseline_rate, p.planned_n_per_arm) == (0.3, 5000)
    assert (
        validate_params(NB, {**BASE, "sequential": False}).baseline_rate is None
    )  # no plan needed without monitoring
