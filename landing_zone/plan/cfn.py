"""CloudFormation template helpers: a template resolved for one known account, region and parameters.

The management account is never reached by service-managed StackSets, so it gets the account
baseline as a plain stack per region; resolving the body's conditions for that account and region
keeps the two identical in what they create. The same resolution lets offline checks (Guard rules)
see a StackSet body as the stack instance in one account will have it.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

_NO_VALUE = object()


class UnresolvableCondition(ValueError):
    """A condition that depends on something other than the account, the region and parameters."""


class _Resolver:
    def __init__(self, template: dict[str, Any], account: str, region: str, parameters: Mapping[str, str]):
        self.refs: dict[str, Any] = {"AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws"}
        for name, declared in template.get("Parameters", {}).items():
            value = parameters.get(name, declared.get("Default"))
            if value is not None:
                self.refs[name] = value.split(",") if declared.get("Type") == "CommaDelimitedList" else value
        self.conditions = template.get("Conditions", {})
        self.truth: dict[str, bool] = {}

    def value(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            (fn, args), = node.items()
            if fn == "Ref" and args in self.refs:
                return self.refs[args]
            if fn == "Fn::Join":
                parts = [self.value(p) for p in (args[1] if isinstance(args[1], list) else [self.value(args[1])])]
                flat = [x for p in parts for x in (p if isinstance(p, list) else [p])]
                if all(isinstance(x, str) for x in flat):
                    return args[0].join(flat)
        return node

    def condition(self, expr: Any) -> bool:
        if not isinstance(expr, dict) or len(expr) != 1:
            raise UnresolvableCondition(f"not a condition: {expr!r}")
        (fn, args), = expr.items()
        if fn == "Condition":
            if args not in self.truth:
                self.truth[args] = self.condition(self.conditions[args])
            return self.truth[args]
        if fn == "Fn::Equals":
            left, right = (self.value(a) for a in args)
            if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
                raise UnresolvableCondition(f"cannot resolve {expr!r}")
            return bool(left == right)
        if fn == "Fn::Not":
            return not self.condition(args[0])
        if fn == "Fn::And":
            return all(self.condition(a) for a in args)
        if fn == "Fn::Or":
            return any(self.condition(a) for a in args)
        raise UnresolvableCondition(f"unknown condition function {fn}")

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Fn::If"}:
                name, yes, no = node["Fn::If"]
                return self.resolve(yes if self.condition({"Condition": name}) else no)
            if node == {"Ref": "AWS::NoValue"}:
                return _NO_VALUE
            out = {}
            for key, value in node.items():
                resolved = self.resolve(value)
                if resolved is not _NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(node, list):
            return [v for v in (self.resolve(x) for x in node) if v is not _NO_VALUE]
        return node


def resolve_for(template: dict[str, Any], *, account: str, region: str,
                parameters: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The resources the template creates in that account and region, without Conditions (Fn::If
    and AWS::NoValue resolved; parameters taken from `parameters`, else their defaults)."""
    resolver = _Resolver(template, account, region, parameters or {})
    resources = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Condition") and not resolver.condition({"Condition": resource["Condition"]}):
            continue
        kept = {k: v for k, v in copy.deepcopy(resource).items() if k != "Condition"}
        resources[logical_id] = resolver.resolve(kept)
    rest = {k: v for k, v in template.items() if k not in ("Conditions", "Resources", "Parameters", "Outputs")}
    return rest | {"Resources": resources}
