"""Configuration loading: discovery, pyproject section, file:line errors, status mapping."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import discover_config, load_config
from backlogctl.errors import ConfigError
from backlogctl.scoring.registry import available_models

runner = CliRunner()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_walks_up_to_the_nearest_config(tmp_path: Path) -> None:
    config = _write(tmp_path / "backlogctl.yaml", "default_model: wsjf\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert discover_config(nested) == config
    assert load_config(config).default_model == "wsjf"


def test_pyproject_section_is_used_when_present(tmp_path: Path) -> None:
    _write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.backlogctl]\nstrict = true\n'
    )
    found = discover_config(tmp_path)
    assert found == tmp_path / "pyproject.toml"
    assert load_config(found).strict is True


def test_pyproject_without_section_is_not_a_config(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    assert discover_config(sub) != tmp_path / "pyproject.toml"


def test_pyproject_error_names_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.backlogctl]\nstrict = "sometimes"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.render().startswith(f"{path}:5: strict:")


def test_unknown_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "default_model: rice\n\ndefualt_model: wsjf\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.render().startswith(f"{path}:3: defualt_model")
    assert caught.value.exit_code == 2


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "models:\n  x:\n    formula: [1,\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.render()
    assert message.startswith(f"{path}:")
    assert "invalid YAML" in message
    assert "\n" not in message


def test_duplicate_config_keys_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "strict: true\nstrict: false\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.render().startswith(f"{path}:")


def test_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "- rice\n- wsjf\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(path)


def test_empty_config_means_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "# nothing yet\n")
    assert load_config(path).default_model == "rice"


def test_formula_syntax_error_names_line_and_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "backlogctl.yaml",
        "default_model: rice\nmodels:\n  broken:\n    formula: 'rice.reach * (2 +'\n",
    )
    with pytest.raises(ConfigError) as caught:
        available_models(load_config(path))
    message = caught.value.render()
    assert message.startswith(f"{path}:4: models.broken.formula:")
    assert "rice.reach * (2 +" in message


def test_formula_with_unknown_field_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "backlogctl.yaml",
        "models:\n  typo:\n    formula: rice.reech / estimate\n",
    )
    with pytest.raises(ConfigError) as caught:
        available_models(load_config(path))
    message = caught.value.render()
    assert message.startswith(f"{path}:3:")
    assert "rice.reech" in message


def test_weights_with_unknown_field_are_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "backlogctl.yaml",
        "models:\n  w:\n    weights:\n      rice.reach: 1\n      value: 2\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.render().startswith(f"{path}:5:")


def test_custom_model_needs_formula_or_weights(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "models:\n  empty:\n    description: nothing\n")
    with pytest.raises(ConfigError, match="exactly one of"):
        load_config(path)


def test_unknown_default_model(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "default_model: moscow\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.render() == f"{path}:1: default_model: unknown model 'moscow'"


def test_status_mapping_extends_builtins_case_insensitively(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "statuses:\n  in_progress: [In QA]\n")
    config = load_config(path)
    assert config.status_category("in qa") == "in_progress"
    assert config.status_category("IN PROGRESS") == "in_progress"
    assert config.status_category("Closed") == "done"
    assert config.status_category("Backlog") == "todo"
    assert config.status_category("Parked") is None


def test_sources_resolve_relative_to_the_config(tmp_path: Path) -> None:
    path = _write(tmp_path / "team" / "backlogctl.yaml", "sources: [backlog]\n")
    config = load_config(path)
    assert config.resolve_source("backlog") == str(tmp_path / "team" / "backlog")
    assert config.resolve_source("-") == "-"


def test_missing_explicit_config_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check", "--config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "config file not found" in result.stderr
    assert result.stdout == ""


def test_config_check_reports_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "default_model: ice\n")
    result = runner.invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ok (default model: ice")


def test_config_check_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "strict: [1, 2]\n")
    result = runner.invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"backlogctl: error: {path}:1: strict:")


def test_config_schema_is_json_schema_of_every_section() -> None:
    result = runner.invoke(app, ["config", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"default_model", "models", "statuses", "lint", "jira", "sources"} <= set(
        schema["properties"]
    )
    assert "_path" not in json.dumps(schema)


def test_init_writes_a_loadable_starter_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["init"])
    assert first.exit_code == 0, first.output
    config = load_config(tmp_path / "backlogctl.yaml")
    assert "value_per_point" in config.models
    second = runner.invoke(app, ["init"])
    assert second.exit_code == 2
    assert "already exists" in second.stderr


@pytest.mark.parametrize(
    ("lint_section", "expected"),
    [
        ("  rules: {S001: {days: -3}}\n", "lint.rules.S001.days"),
        ("  rules: {S001: {dayz: 3}}\n", "unknown option"),
        ("  select: [Q]\n", "unknown rule code or prefix 'Q'"),
        ("  overrides: [{types: [bug], ignore: [QQ1]}]\n", "'QQ1'"),
    ],
)
def test_config_check_validates_the_lint_section_as_lint_does(
    tmp_path: Path, lint_section: str, expected: str
) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "default_model: rice\nlint:\n" + lint_section)
    result = runner.invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:3: " in result.stderr
    assert expected in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_custom_model_may_not_take_the_name_of_compares_current_order(tmp_path: Path) -> None:
    # Otherwise `compare --models rice,current` silently used the stored rank, not this model.
    path = _write(
        tmp_path / "backlogctl.yaml",
        'default_model: rice\nmodels:\n  current:\n    formula: "rice.reach"\n',
    )
    result = runner.invoke(app, ["compare", "--config", str(path), "--models", "rice,current"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"backlogctl: error: {path}:3: models.current: ")
    assert "reserved" in result.stderr


def test_model_validation_errors_read_without_pydantic_prefixes(tmp_path: Path) -> None:
    path = _write(tmp_path / "backlogctl.yaml", "models:\n  empty:\n    description: nothing\n")
    result = runner.invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"backlogctl: error: {path}:2: models.empty: "
        "a custom model needs exactly one of 'formula' or 'weights'\n"
    )


def test_written_files_get_the_umask_mode_and_keep_an_existing_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The temp file behind the atomic write is created 0600; a new file must not stay so.
    monkeypatch.chdir(tmp_path)
    previous = os.umask(0o022)
    try:
        assert runner.invoke(app, ["init"]).exit_code == 0
        assert (tmp_path / "backlogctl.yaml").stat().st_mode & 0o777 == 0o644
        schema = tmp_path / "schema.json"
        schema.write_text("{}", encoding="utf-8")
        schema.chmod(0o640)
        assert runner.invoke(app, ["config", "schema", "-o", str(schema)]).exit_code == 0
        assert schema.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)


def test_sources_of_a_config_under_the_working_directory_are_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "team" / "backlogctl.yaml", "sources: [backlog]\n")
    monkeypatch.chdir(tmp_path / "team")
    config = load_config()
    assert config.path == tmp_path / "team" / "backlogctl.yaml"
    assert config.resolve_source("backlog") == "backlog"


def test_config_check_rejects_an_unknown_code_in_jira_mark_select(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "backlogctl.yaml", "jira:\n  mark:\n    label: stale\n    select: [S001, S09]\n"
    )
    result = runner.invoke(app, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"backlogctl: error: {path}:4: jira.mark.select: unknown rule code or prefix 'S09'\n"
    )
    good = _write(tmp_path / "good.yaml", "jira:\n  mark:\n    select: [s001, S]\n")
    assert runner.invoke(app, ["config", "check", "--config", str(good)]).exit_code == 0
