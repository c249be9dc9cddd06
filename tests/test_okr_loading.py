"""Declaring objectives, key-result targets and stakeholders: in backlog files and the config.

Every bad declaration is one line naming ``file:line`` and exit 2; a file's declaration wins
over the config's; the same key in two files names both places.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backlogctl.cli.app import app
from backlogctl.config import load_config
from backlogctl.loader import load_backlog
from conftest import WriteFile

runner = CliRunner()

ITEMS = "items:\n  - {key: A-1, title: Something}\n"


def _error(*args: str) -> str:
    result = runner.invoke(app, ["rank", *args, "--format", "json"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("backlogctl: error: ").rstrip("\n")


@pytest.mark.parametrize(
    ("declaration", "line", "message"),
    [
        (
            "{key: KR-1, start: 2.5, target: 2.5}",
            4,
            "key result KR-1: target equals start (2.5): progress toward it cannot be measured",
        ),
        (
            "{key: KR-1, keep_below: 1, keep_above: 0.5, current: 0.7}",
            4,
            "key result KR-1: set keep_below or keep_above, not both",
        ),
        (
            "{key: KR-1, target: 3, keep_below: 1}",
            4,
            "key result KR-1: a key result has a target (start, target) or a threshold "
            "(keep_below or keep_above), not both",
        ),
        (
            "{key: KR-1, current: lots}",
            4,
            "key result KR-1: current: must be a number, got 'lots'",
        ),
        (
            "{key: KR-1, due: someday}",
            4,
            "key result KR-1: due: must be a date like 2026-01-31 or a date-time, got 'someday'",
        ),
        (
            "{key: KR-1, target: .nan, start: 0}",
            4,
            "key result KR-1: target: must be a finite number, got nan",
        ),
    ],
)
def test_a_bad_key_result_is_one_line_at_its_own_line(
    write_file: WriteFile, declaration: str, line: int, message: str
) -> None:
    write_file(
        "goals.yaml",
        f"objectives:\n  - key: O1\n    key_results:\n      - {declaration}\n" + ITEMS,
    )
    assert _error("goals.yaml") == f"goals.yaml:{line}: {message}"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: BI, influence: huge}",
            "stakeholder BI: influence: must be 'high', 'medium' or 'low'",
        ),
        ("{name: BI, power: high}", "stakeholder BI: unknown field 'power'"),
        ("{contact: bi@example.com}", "stakeholder: missing required field 'name'"),
        ("[BI, CFO]", "stakeholder: must be a name or a {name, influence, interest} mapping, got"),
        ("''", "stakeholder: name: must not be empty"),
    ],
)
def test_a_malformed_stakeholder_is_one_line(
    write_file: WriteFile, entry: str, message: str
) -> None:
    write_file("s.yaml", f"stakeholders:\n  - CFO\n  - {entry}\n" + ITEMS)
    assert _error("s.yaml").startswith(f"s.yaml:3: {message}")


def test_stakeholders_must_be_a_list(write_file: WriteFile) -> None:
    write_file("s.yaml", "items: []\nstakeholders: {name: BI}\n")
    assert _error("s.yaml").startswith("s.yaml:2: 'stakeholders' must be a list")


def test_the_same_objective_in_two_files_names_both(write_file: WriteFile) -> None:
    write_file("b/a.yaml", "objectives:\n  - {key: O1, title: One}\n" + ITEMS)
    write_file("b/b.yaml", "name: b\nobjectives:\n  - key: o1\n    title: Again\n")
    assert _error("b") == "b/b.yaml:3: objective o1: declared twice (first at b/a.yaml:2)"


def test_a_stakeholder_declared_twice_differently_names_both(write_file: WriteFile) -> None:
    write_file("b/a.yaml", "stakeholders: [{name: BI, influence: high}]\n" + ITEMS)
    write_file("b/b.yaml", "stakeholders:\n  - CFO\n  - {name: bi, influence: low}\n")
    assert _error("b") == (
        "b/b.yaml:3: stakeholder bi: declared twice with different details (first at b/a.yaml:1)"
    )


def test_the_same_plain_stakeholder_in_two_files_is_fine(write_file: WriteFile) -> None:
    write_file("b/a.yaml", "stakeholders: [CFO]\n" + ITEMS)
    write_file("b/b.yaml", "stakeholders: [cfo]\n")
    backlog = load_backlog(["b"], load_config(None, discover=False))
    assert [stakeholder.name for stakeholder in backlog.stakeholders] == ["CFO"]


def test_config_declarations_load_and_a_file_wins(write_file: WriteFile) -> None:
    config_path = write_file(
        "backlogctl.yaml",
        "objectives:\n"
        "  - key: O1\n"
        "    title: From the config\n"
        "    key_results:\n"
        "      - {key: KR-1, start: 0, target: 10, current: 5}\n"
        "  - key: O2\n"
        "    title: Only in the config\n"
        "stakeholders:\n"
        "  - {name: Marketing, influence: high, interest: high}\n"
        "  - BI\n",
    )
    write_file(
        "b.yaml",
        "objectives:\n  - {key: o1, title: From the file}\n"
        "stakeholders: [{name: bi, interest: low}]\n" + ITEMS,
    )
    config = load_config(config_path)
    backlog = load_backlog(["b.yaml"], config)
    assert [(o.key, o.title, o.parent) for o in backlog.objectives] == [
        ("KR-1", "", "O1"),
        ("O2", "Only in the config", None),
        ("o1", "From the file", None),
    ]
    kr = backlog.objectives[0]
    assert (kr.start, kr.target, kr.current, kr.source) == (0, 10, 5, f"{config_path}:5")
    assert [(s.name, s.influence, s.interest) for s in backlog.stakeholders] == [
        ("Marketing", "high", "high"),
        ("bi", None, "low"),
    ]


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        (
            "objectives:\n  - key: O1\n    key_results:\n"
            "      - {key: KR-1, start: 1, target: 1}\n",
            "backlogctl.yaml:4: key result KR-1: target equals start (1)",
        ),
        (
            "stakeholders:\n  - CFO\n  - {name: BI, interest: some}\n",
            "backlogctl.yaml:3: stakeholders.1.interest: must be 'high', 'medium' or 'low'",
        ),
        (
            "objectives:\n  - {key: O1}\n  - {key: O1}\n",
            "backlogctl.yaml:3: objective O1: declared twice (first at backlogctl.yaml:2)",
        ),
    ],
)
def test_bad_config_declarations_name_their_line(
    write_file: WriteFile, config_text: str, message: str
) -> None:
    config = write_file("backlogctl.yaml", config_text)
    write_file("b.yaml", ITEMS)
    assert _error("b.yaml").replace(f"{config.parent}/", "").startswith(message)


def test_objectives_from_the_config_reach_jira_and_stdin_backlogs_too(
    write_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = write_file("backlogctl.yaml", "objectives: [{key: O9, title: Config}]\n")
    backlog = load_backlog([str(write_file("b.yaml", ITEMS))], load_config(config_path))
    assert [objective.key for objective in backlog.objectives] == ["O9"]
    assert Path(config_path).is_file()


def test_the_config_schema_accepts_what_the_loader_accepts() -> None:
    import json

    import jsonschema

    result = runner.invoke(app, ["config", "schema"])
    schema = json.loads(result.stdout)
    config = {
        "objectives": [
            {
                "key": "O1",
                "key_results": [{"key": "KR-1", "start": 1, "target": 2, "due": "2026-12-31"}],
            }
        ],
        "stakeholders": ["CFO", {"name": "BI", "influence": "low", "interest": "high"}],
    }
    jsonschema.validate(config, schema)
    assert "source" not in schema["$defs"]["Objective"]["properties"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"stakeholders": [{"name": "BI", "power": 1}]}, schema)


@pytest.mark.parametrize(
    ("declaration", "line", "message"),
    [
        (
            "    key_results:\n      - {key: KR-1, start: 1, taget: 2}\n",
            5,
            "key result KR-1: unknown field 'taget' (did you mean 'target'?)",
        ),
        (
            "    key_results:\n      - key: KR-1\n        start: 1\n        curent: 2\n",
            7,
            "key result KR-1: unknown field 'curent' (did you mean 'current'?)",
        ),
        ("    titel: Checkout\n", 4, "objective O1: unknown field 'titel' (did you mean 'title'?)"),
        ("    colour: red\n", 4, "objective O1: unknown field 'colour'"),
    ],
)
def test_an_unknown_objective_field_warns_and_is_refused_under_strict(
    write_file: WriteFile, declaration: str, line: int, message: str
) -> None:
    path = write_file(
        "b.yaml", "objectives:\n  - key: O1\n    title: Checkout\n" + declaration + ITEMS
    )
    result = runner.invoke(app, ["rank", "b.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"b.yaml:{line}: {message}" in result.stderr
    write_file("backlogctl.yaml", "strict: true\n")
    assert (
        _error("b.yaml").replace(f"{path.parent}/", "") == f"b.yaml:{line}: {message} (strict mode)"
    )


def test_an_unknown_objective_field_in_the_config_is_an_error_at_its_line(
    write_file: WriteFile,
) -> None:
    config = write_file(
        "backlogctl.yaml",
        "objectives:\n  - key: O1\n    key_results:\n      - {key: KR-1, taget: 2}\n",
    )
    write_file("b.yaml", ITEMS)
    assert _error("b.yaml").replace(f"{config.parent}/", "") == (
        "backlogctl.yaml:4: key result KR-1: unknown field 'taget' (did you mean 'target'?)"
    )


def test_the_config_schema_accepts_levels_in_any_case_as_the_loader_does(
    write_file: WriteFile,
) -> None:
    import json

    import jsonschema

    schema = json.loads(runner.invoke(app, ["config", "schema"]).stdout)
    config = {"stakeholders": [{"name": "BI", "influence": "High", "interest": " LOW"}]}
    jsonschema.validate(config, schema)
    loaded = load_config(write_file("backlogctl.yaml", json.dumps(config)))
    assert (loaded.stakeholders[0].influence, loaded.stakeholders[0].interest) == ("high", "low")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"stakeholders": [{"name": "BI", "influence": "huge"}]}, schema)
