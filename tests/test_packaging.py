"""The repository's promises about installation stay true."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# pyproject name → conda-forge name, where they differ.
CONDA_NAME = {
    "ibis-framework[duckdb]": "ibis-duckdb",
    "duckdb": "python-duckdb",
    "matplotlib": "matplotlib-base",
    "pandera[ibis]": "pandera-ibis",  # conda-forge packages the extra separately
}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(.*)$", req.strip())
    assert m, req
    return m.group(1), m.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_packages_and_bounds_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {}
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, bound = _split(req)
        wanted[CONDA_NAME.get(name, name).lower()] = bound
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    have = {}
    pip_section = None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        name, bound = _split(dep)
        if name in ("python", "pip"):
            continue
        have[name.lower()] = bound
    assert have == wanted
    assert pip_section == ["-e .[dev]"]
    assert "conda-forge" in env["channels"]


def test_ci_runs_make_test_and_makefile_has_the_readme_targets():
    assert "make test" in (REPO / ".ci" / "run").read_text()
    makefile = (REPO / "Makefile").read_text()
    for target in ("report:", "test:", "lab:", "setup:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    readme = (REPO / "README.md").read_text()
    assert "make report" in readme and "make test" in readme


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"{path.name} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} has execution counts"
        # `make lab` and the runner use the kernel registered by `make setup`
        assert nb["metadata"]["kernelspec"]["name"] == "salesops", path.name
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged `parameters`"


def test_every_params_file_names_an_existing_notebook():
    files = sorted((REPO / "params").glob("*.yaml"))
    assert files, "no params files"
    for path in files:
        data = yaml.safe_load(path.read_text())
        assert (REPO / "notebooks" / f"{data['notebook']}.ipynb").is_file(), path.name
