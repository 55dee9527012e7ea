"""Every message the package asks ``_()``/``ngettext`` for has an Italian entry, and the
language context behaves (default English, ``with language()`` restores, bad values refused)."""

from __future__ import annotations

import ast
import contextvars
from pathlib import Path

import pytest

from salesops_lib.errors import ParamsError
from salesops_lib.i18n import _, current_language, language, ngettext, set_language
from salesops_lib.i18n.it import MESSAGES

PACKAGE = Path(__file__).resolve().parents[2] / "salesops_lib"
TEMPLATES = PACKAGE / "report" / "templates"


def _message_ids() -> dict[str, str]:
    """Every literal first argument of ``_()`` and ``ngettext()`` in the package → where."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("_", "ngettext") or not node.args:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _template_ids() -> dict[str, str]:
    """``{{ _("...") }}`` in the report templates."""
    import re

    found = {}
    for path in TEMPLATES.glob("*.j2"):
        for m in re.finditer(r"""_\(\s*["']([^"']+)["']\s*\)""", path.read_text()):
            found.setdefault(m.group(1), path.name)
    return found


def _notebook_headings() -> dict[str, str]:
    """The markdown headings of the notebooks (translated at render time)."""
    import json
    import re

    found = {}
    for path in (PACKAGE.parent / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                for line in "".join(cell["source"]).splitlines():
                    m = re.match(r"^#{1,6}\s+(.+?)\s*$", line)
                    if m:
                        found.setdefault(m.group(1), path.name)
    return found


def test_the_extractor_finds_the_known_messages():
    ids = _message_ids()
    assert "day" in ids  # viz/format.py fmt_days
    assert "Not in this report" in ids  # analyses/_base.py
    assert "Report parameters" in _template_ids()
    assert "Methods and definitions" in _notebook_headings()


def test_every_message_id_has_an_italian_entry():
    missing = {
        m: where
        for m, where in {**_message_ids(), **_template_ids(), **_notebook_headings()}.items()
        if m not in MESSAGES
    }
    assert not missing, f"untranslated into Italian: {missing}"


def test_italian_entries_are_not_left_in_english():
    same_ok = {"Lead", "MQL", "SQL", "Pipeline", "Notebook", "commit", "Report", "report"}
    for key, value in MESSAGES.items():
        texts = value if isinstance(value, tuple) else (value,)
        assert all(t.strip() for t in texts), key
        if key not in same_ok and len(key) > 4:
            assert key not in texts, f"{key!r} is 'translated' as itself"


def test_language_context_defaults_to_english_and_restores():
    assert current_language() == "en"
    assert _("Summary") == "Summary"
    with language("it"):
        assert _("Summary") == "Sintesi"
        assert ngettext("day", "days", 1) == "giorno"
        assert ngettext("day", "days", 3) == "giorni"
        with language("en"):
            assert _("Summary") == "Summary"
        assert current_language() == "it"
    assert current_language() == "en"
    assert ngettext("day", "days", 3) == "days"


def test_language_is_per_context():
    ctx = contextvars.copy_context()
    ctx.run(set_language, "it")
    assert ctx.run(current_language) == "it"
    assert current_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "", None, "italian"])
def test_unknown_language_is_a_params_error(bad):
    with pytest.raises(ParamsError, match="language"):
        with language(bad):
            pass


def test_unknown_timezone_is_a_params_error():
    with pytest.raises(ParamsError, match="timezone"):
        with language("it", timezone="Mars/Olympus"):
            pass
    assert current_language() == "en"  # a refused block leaves nothing set


def test_counted_nouns_have_both_forms():
    """An id asked for with ngettext needs a (singular, plural) entry; the same id asked for with
    _() then gets the singular (one analysis's plain string must not hide another's plural)."""
    counted = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ngettext"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                counted.add(node.args[0].value)
    assert "day" in counted
    single = sorted(m for m in counted if m in MESSAGES and not isinstance(MESSAGES[m], tuple))
    assert not single, f"ngettext ids with only one Italian form: {single}"
    with language("it"):
        assert _("day") == MESSAGES["day"][0]
