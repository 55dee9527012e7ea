"""The ``spark:`` source text (salesops_lib.data.spark): parsing and its errors. No JVM needed;
the end-to-end run on Spark is in tests/test_spark_portability.py."""

from __future__ import annotations

import pytest

from salesops_lib.data.sources import open_source
from salesops_lib.data.spark import parse_spark_source
from salesops_lib.errors import ParamsError, SourceError


def test_local_master_with_and_without_folder():
    s = parse_spark_source("spark:local[2]@data/demo_parquet")
    assert (s.master, s.folder, s.from_env, s.is_local) == (
        "local[2]",
        "data/demo_parquet",
        None,
        True,
    )
    assert s.label == "spark local[2] @ data/demo_parquet"
    s = parse_spark_source("spark:local[*]")
    assert (s.master, s.folder) == ("local[*]", None)


def test_env_master_never_shows_the_url(monkeypatch):
    monkeypatch.setenv("SPARK_TEST_URL", "sc://user:secret@host:15002")
    s = parse_spark_source("spark:env:SPARK_TEST_URL@s3a://bucket/sales")
    assert s.master == "sc://user:secret@host:15002"
    assert (s.from_env, s.folder, s.is_local) == ("SPARK_TEST_URL", "s3a://bucket/sales", False)
    assert "secret" not in s.label and "env:SPARK_TEST_URL" in s.label


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("spark:", ParamsError, "names no Spark master"),
        ("spark:spark://host:7077", ParamsError, "not local\\[N\\] and not env:VAR"),
        ("spark:local[two]", ParamsError, "not local"),
        (
            "spark:env:SALESOPS_NOT_SET_ANYWHERE",
            SourceError,
            "SALESOPS_NOT_SET_ANYWHERE is not set",
        ),
    ],
)
def test_bad_spark_sources_say_what_to_write(text, error, match, monkeypatch):
    monkeypatch.delenv("SALESOPS_NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(error, match=match):
        parse_spark_source(text)


def test_missing_folder_is_reported_before_spark_starts(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        open_source(f"spark:local[1]@{tmp_path / 'nowhere'}")
