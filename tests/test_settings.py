"""The settings table: defaults, environment, overrides, checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.settings import SETTINGS, SettingsError, resolve_settings


def test_defaults_without_environment() -> None:
    values = resolve_settings(environ={})
    assert values["QUERY_TIMEOUT"] == 10.0
    assert values["MAX_REQUEST_BYTES"] == 100_000
    assert values["SERVICE_ALLOWLIST"] == ()
    assert values["BASE_IRI"] == "https://w3id.org/stadtgraph/"


def test_environment_then_overrides() -> None:
    environ = {"STADTGRAPH_QUERY_TIMEOUT": "2.5", "STADTGRAPH_WRITE_TOKENS": "a, b"}
    values = resolve_settings({"QUERY_TIMEOUT": 1}, environ=environ)
    assert values["QUERY_TIMEOUT"] == 1.0
    assert values["WRITE_TOKENS"] == ("a", "b")


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        (
            "QUERY_TIMEOUT",
            "soon",
            "STADTGRAPH_QUERY_TIMEOUT='soon': must be a number greater than 0",
        ),
        ("MAX_RESULTS", "1.5", "must be a whole number greater than 0"),
        ("QUERY_TIMEOUT", "-1", "greater than 0"),
        ("UNION_DEFAULT_GRAPH", "maybe", "true or false"),
        ("BASE_IRI", "ftp://x/", "http(s) IRI"),
        ("DEFAULT_LANGUAGE", "fr", "'de' or 'en'"),
        # Numbers Python reads but no limit can use (every query answered 500).
        ("QUERY_TIMEOUT", "nan", "must be a number greater than 0"),
        ("QUERY_TIMEOUT", "inf", "must be a number greater than 0"),
        ("ENDPOINT_TIMEOUT", "NaN", "must be a number greater than 0"),
        ("TRUSTED_PROXIES", "x", "must be a whole number, 0 or more"),
        # The catalog published these as xsd:date, which they are not.
        ("DATASET_ISSUED", "20240101", "must be a date written YYYY-MM-DD"),
        ("DATASET_ISSUED", "2024-W01-1", "must be a date written YYYY-MM-DD"),
        ("DATASET_ISSUED", "2024-02-30", "must be a date written YYYY-MM-DD"),
        ("QUERY_FOLDER", "/nonexistent/queries", "must name an existing folder"),
    ],
)
def test_bad_value_names_the_setting(name: str, raw: str, reason: str) -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings(environ={f"STADTGRAPH_{name}": raw})
    assert f"STADTGRAPH_{name}" in str(caught.value)
    assert reason in str(caught.value)


def test_unknown_environment_setting_is_refused() -> None:
    with pytest.raises(SettingsError, match="STADTGRAPH_QUERY_TIMOUT"):
        resolve_settings(environ={"STADTGRAPH_QUERY_TIMOUT": "1"})


def test_every_setting_is_documented() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "stadtgraph settings" in readme
    for setting in SETTINGS:
        assert setting.help.strip().endswith("."), setting.name
        assert len(setting.help) > 20, setting.name
