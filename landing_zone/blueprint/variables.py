"""Jinja2 variables from NAME=value pairs and from a YAML vars file."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from landing_zone.blueprint.confine import FileProblem, read_operator_file
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.render import display_name

_HINT_FILE = "pass a YAML mapping of NAME: value with -c vars=FILE (cdk) or --vars FILE (lz)"


def parse_variables(pairs: list[str], vars_file: str | None) -> dict[str, Any]:
    """Vars file first, NAME=value pairs over it; values are read as YAML scalars (100 → int)."""
    variables: dict[str, Any] = _read_vars_file(vars_file) if vars_file else {}
    issues = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            issues.append(Issue("var-invalid", f"variable {pair!r} has no '=': expected NAME=value",
                                hint="write --var accounts=100 (cdk: -c var:accounts=100)"))
        elif not name.isidentifier():
            issues.append(Issue("var-invalid", f"variable name {name!r} is not a Jinja2 identifier "
                                "(letters, digits and '_', not starting with a digit)",
                                hint="rename it, e.g. email_domain instead of email-domain"))
        else:
            try:
                variables[name] = yaml.safe_load(value) if value else ""
            except yaml.YAMLError:
                variables[name] = value
    if issues:
        raise BlueprintError(issues)
    return variables


def _read_vars_file(vars_file: str) -> dict[str, Any]:
    display = display_name(vars_file)
    try:
        loaded = yaml.safe_load(read_operator_file(Path(vars_file), display))
    except FileProblem as problem:
        message = f"vars file {display!r} does not exist" if problem.kind == "not-found" else \
            f"cannot read vars file: {problem.message}"
        raise BlueprintError([Issue("vars-file-unreadable", message, hint=_HINT_FILE if problem.kind == "not-found"
                                    else "the vars file must be a readable UTF-8 YAML file", file=display)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BlueprintError([Issue("vars-file-invalid", f"vars file is not valid YAML: {exc.problem}",
                                    hint="check indentation and quoting around this line", file=display,
                                    line=mark.line + 1 if mark else None)]) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:   # a NUL character, a 5,000-digit number
        raise BlueprintError([Issue("vars-file-invalid", f"vars file is not valid YAML: {exc}",
                                    hint="check the file for control characters and overlong numbers",
                                    file=display)]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise BlueprintError([Issue("vars-file-invalid", f"vars file holds a {type(loaded).__name__}, "
                                    "not a mapping of NAME: value", hint=_HINT_FILE, file=display,
                                    line=1)])
    return dict(loaded)
