"""Static scans for the registry test: the Issue codes the package raises, and the codes the tests assert.

Codes start as string literals in a few places, and the scan reads exactly those:
- the first argument (or `code=`) of a CARRIER call: Issue(...), Problem(...) (policy lint and grammar),
  _Refused(...) (the YAML composer), and `self.add(...)` inside a module that defines `add(self, code, ...)`;
- the value of an assignment to `code` or `CODES` (a mapping of kinds to codes, `x if kind else y`);
- an f-string first argument, kept as a pattern: `f"guardrail-{problem.code}"` is a registry family.
Anything else in a code position (a call, a subscript) is reported as untraceable, so a new way of
making codes cannot slip past the registry unseen. Issue(x.code, ...) and Issue(code, ...) forward a code
made elsewhere by these rules.
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "landing_zone"
TESTS = ROOT / "tests"
GOLDEN = TESTS / "fixtures" / "blueprints" / "bad"
# The layers that make issues: every rule applies there; elsewhere only Issue(...) calls are read.
LAYERS = ("policy", "blueprint", "plan", "sync.py")
CARRIERS = {"Issue", "Problem", "_Refused"}
CODE_NAMES = {"code", "CODES"}
SEVERITY_POSITION = 7      # Issue(code, message, hint, loc, path, file, line, severity, related)
CODE_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")


@dataclass
class Scan:
    """What the package can raise, and where."""

    codes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))       # code → sites
    severities: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))    # code → raised with
    patterns: list[tuple[str, str]] = field(default_factory=list)      # (regex of an f-string code, site)
    prefixes: set[str] = field(default_factory=set)                    # f"prefix-{x.code}" prefixes
    untraceable: list[str] = field(default_factory=list)               # site: expression
    forwarded_severities: set[str] = field(default_factory=set)        # of Issue(x.code, ...) calls
    carrier_definitions: list[str] = field(default_factory=list)       # name (site) of code-first callables


REGISTRY_MODULE = PACKAGE / "blueprint" / "codes.py"     # declares codes, raises none


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if "handlers" not in p.relative_to(PACKAGE).parts and p != REGISTRY_MODULE)


def in_layers(path: Path) -> bool:
    return path.relative_to(PACKAGE).parts[0] in LAYERS


def scan_package(paths: Iterable[Path] | None = None) -> Scan:
    scan = Scan()
    for path in paths if paths is not None else package_modules():
        relative = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        scan_source(path.read_text(encoding="utf-8"), relative, scan, layered=in_layers(path)
                    if path.is_relative_to(PACKAGE) else True)
    return scan


def scan_source(source: str, name: str, scan: Scan, *, layered: bool = True) -> Scan:
    """Add what one module raises to `scan`."""
    tree = ast.parse(source)
    local_add = any(isinstance(n, ast.FunctionDef) and n.name == "add" and _first_param(n) == "code"
                    for n in ast.walk(tree))
    for node in ast.walk(tree):
        site = f"{name}:{getattr(node, 'lineno', 0)}"
        if layered:
            _definitions(node, site, scan)
        if isinstance(node, ast.Call):
            callee = _callee(node)
            is_add = (local_add and isinstance(node.func, ast.Attribute) and callee == "add"
                      and isinstance(node.func.value, ast.Name) and node.func.value.id == "self")
            if callee == "Issue" or (layered and (callee in CARRIERS or is_add)):
                _code_argument(node, callee or "", site, scan)
            elif layered and any(k.arg == "severity" for k in node.keywords):
                # replace(issue, severity=...) would raise a code with another severity than registered.
                scan.untraceable.append(f"{site}: severity set outside Issue(...) by {ast.unparse(node.func)}()")
        elif layered and isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in CODE_NAMES for t in targets):
                _literal_codes(node.value, site, scan, severity="error")
    return scan


def _code_argument(call: ast.Call, callee: str, site: str, scan: Scan) -> None:
    arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "code"), None)
    severity = _severity(call, site, scan) if callee == "Issue" else {"error"}
    if arg is None:
        scan.untraceable.append(f"{site}: {callee}() without a code")
    elif isinstance(arg, ast.JoinedStr):
        _pattern(arg, site, scan)
    elif _forwards(arg):
        scan.forwarded_severities |= severity
    else:
        _literal_codes(arg, site, scan, severity=severity)


def _severity(call: ast.Call, site: str, scan: Scan) -> set[str]:
    """The severities an Issue(...) call can raise with: the keyword or 8th argument, else error."""
    value = next((k.value for k in call.keywords if k.arg == "severity"), None)
    if value is None and len(call.args) > SEVERITY_POSITION:
        value = call.args[SEVERITY_POSITION]
    if value is None:
        return {"error"}
    if isinstance(value, ast.Attribute) and value.attr == "severity":
        return {"copied"}      # Issue(issue.code, ..., issue.severity): the copy keeps the original's
    found = _constants(value)
    if found is None:
        scan.untraceable.append(f"{site}: severity={ast.unparse(value)}")
        return set()
    return found


def _literal_codes(expr: ast.expr, site: str, scan: Scan, *, severity: set[str] | str) -> None:
    found = _constants(expr)
    if found is None:
        scan.untraceable.append(f"{site}: {ast.unparse(expr)}")
        return
    for code in found:
        scan.codes[code].append(site)
        scan.severities[code] |= {severity} if isinstance(severity, str) else severity


def _constants(expr: ast.expr) -> set[str] | None:
    """The strings an expression can evaluate to; None when it is not made of literals (and forwards)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        parts = [_constants(expr.body), _constants(expr.orelse)]
    elif isinstance(expr, ast.Dict):
        parts = [_constants(v) for v in expr.values]
    elif (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get"
          and isinstance(expr.func.value, ast.Dict)):
        parts = [_constants(expr.func.value), *(_constants(a) for a in expr.args[1:2])]
    elif _forwards(expr):
        return set()
    else:
        return None
    if any(p is None for p in parts):
        return None
    return set().union(*parts)  # type: ignore[arg-type]


def _forwards(expr: ast.expr) -> bool:
    """`problem.code`, `exc.code` or a local `code`: a code made by the rules elsewhere."""
    return ((isinstance(expr, ast.Attribute) and expr.attr == "code")
            or (isinstance(expr, ast.Name) and expr.id == "code"))


def _pattern(expr: ast.JoinedStr, site: str, scan: Scan) -> None:
    parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in expr.values]
    scan.patterns.append(("".join(parts), site))
    first, rest = expr.values[0], expr.values[1:]
    if (isinstance(first, ast.Constant) and len(rest) == 1 and isinstance(rest[0], ast.FormattedValue)
            and _forwards(rest[0].value)):
        scan.prefixes.add(str(first.value))


def _definitions(node: ast.AST, site: str, scan: Scan) -> None:
    """Functions and classes that take a code first: each must be a carrier the scan reads."""
    if isinstance(node, ast.FunctionDef) and _first_param(node) == "code" and node.name != "__init__":
        scan.carrier_definitions.append(f"{node.name} ({site})")
    elif isinstance(node, ast.ClassDef):
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        fields = [n for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]
        if (init is not None and _first_param(init) == "code") or (
                init is None and fields and fields[0].target.id == "code"):  # type: ignore[union-attr]
            scan.carrier_definitions.append(f"{node.name} ({site})")


def _first_param(func: ast.FunctionDef) -> str | None:
    params = [a.arg for a in func.args.args if a.arg not in ("self", "cls")]
    return params[0] if params else None


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


# ---------- what the tests assert ----------

def golden_codes() -> dict[str, list[str]]:
    """code → golden bad cases whose expected.yaml lists it."""
    found: dict[str, list[str]] = defaultdict(list)
    for expected in sorted(GOLDEN.glob("*/expected.yaml")):
        for issue in (yaml.safe_load(expected.read_text(encoding="utf-8")) or {}).get("issues") or []:
            found[issue["code"]].append(f"golden {expected.parent.name}")
    return found


def asserted_codes(exclude: Iterable[Path] = ()) -> dict[str, list[str]]:
    """code-like strings the tests assert: in assert statements, assert_* helper calls, parametrize
    tables and module-level tables, alone or as `[code]` in expected output."""
    skip = {p.resolve() for p in exclude}
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(TESTS.rglob("*.py")):
        if path.resolve() in skip:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(ROOT).as_posix()
        for text in _asserted_strings(tree):
            for word in CODE_WORD.findall(text):
                if word == text or f"[{word}]" in text:
                    found[word].append(name)
    return found


def _asserted_strings(tree: ast.Module) -> Iterable[str]:
    places: list[ast.AST] = [n for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))]
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            places.append(node)
        elif isinstance(node, ast.Call):
            callee = _callee(node) or ""
            if callee in ("parametrize", "param") or callee.startswith("assert"):
                places.append(node)
    for place in places:
        for node in ast.walk(place):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value
