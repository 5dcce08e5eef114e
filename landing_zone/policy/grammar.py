"""Checks the inheritance grammar of tag, backup and AI opt-out policies (the `@@` operators)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from landing_zone.policy.elements import Problem

OPERATORS = frozenset({"@@assign", "@@append", "@@remove"})
CHILD_CONTROL = "@@operators_allowed_for_child_policies"
TAG_FIELDS = frozenset({"tag_key", "tag_value", "enforced_for", "report_required_tag_for"})
AI_VALUES = frozenset({"optIn", "optOut"})


def check_grammar(document: Any, policy_type: str) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem("policy-not-object", "", "the policy must be a JSON object", "wrap it in { }")]
    checker = {"tag": _tag, "backup": _backup, "ai_opt_out": _ai_opt_out}[policy_type]
    return list(checker(document))


def _operators(node: Any, pointer: str) -> Iterator[Problem]:
    """An object is either a container of named children or a leaf of @@ operators, never a mix."""
    if not isinstance(node, dict):
        return
    keys = set(node)
    ops = {k for k in keys if k.startswith("@@")}
    for key in sorted(ops - OPERATORS - {CHILD_CONTROL}):
        yield Problem("policy-unknown-operator", f"{pointer}.{key}", f"unknown inheritance operator {key!r}",
                      f"use one of {', '.join(sorted(OPERATORS | {CHILD_CONTROL}))}")
    if CHILD_CONTROL in node:
        allowed = node[CHILD_CONTROL].get("@@assign") if isinstance(node[CHILD_CONTROL], dict) else None
        if not isinstance(allowed, list) or not set(allowed) <= OPERATORS | {"@@none"}:
            yield Problem("policy-child-operators", f"{pointer}.{CHILD_CONTROL}",
                          f"{CHILD_CONTROL} must be {{\"@@assign\": [...]}} listing @@assign, @@append, "
                          "@@remove or @@none", "e.g. {\"@@assign\": [\"@@none\"]}")
    for key in sorted(keys - ops):
        yield from _operators(node[key], f"{pointer}.{key}" if pointer else key)


def _tag(document: dict[str, Any]) -> Iterator[Problem]:
    tags = document.get("tags")
    if not isinstance(tags, dict) or not tags:
        yield Problem("tag-policy-shape", "tags", "a tag policy needs a non-empty 'tags' object",
                      "{\"tags\": {\"costcenter\": {\"tag_key\": {\"@@assign\": \"CostCenter\"}}}}")
        return
    for name, spec in sorted(tags.items()):
        where = f"tags.{name}"
        if not isinstance(spec, dict):
            yield Problem("tag-policy-shape", where, "each tag must be an object", "see the tag policy syntax")
            continue
        for field in sorted(set(spec) - TAG_FIELDS - {CHILD_CONTROL}):
            yield Problem("tag-policy-field", f"{where}.{field}", f"unknown tag policy field {field!r}",
                          f"use {', '.join(sorted(TAG_FIELDS))}")
        key = spec.get("tag_key")
        if not (isinstance(key, dict) and isinstance(key.get("@@assign"), str)):
            yield Problem("tag-policy-tag-key", f"{where}.tag_key",
                          "tag_key must be {\"@@assign\": \"<Key as written>\"}",
                          "the tag_key fixes the capitalization of the key")
        enforced = spec.get("enforced_for")
        if enforced is not None:
            values = next((v for k, v in enforced.items() if k in OPERATORS), None) \
                if isinstance(enforced, dict) else None
            if not isinstance(values, list) or not all(isinstance(v, str) and ":" in v for v in values):
                yield Problem("tag-policy-enforced-for", f"{where}.enforced_for",
                              "enforced_for must assign a list of 'service:resource' strings",
                              "e.g. {\"@@assign\": [\"ec2:instance\", \"s3:bucket\"]}")
    yield from _operators(document, "")


def _backup(document: dict[str, Any]) -> Iterator[Problem]:
    plans = document.get("plans")
    if not isinstance(plans, dict) or not plans:
        yield Problem("backup-policy-shape", "plans", "a backup policy needs a non-empty 'plans' object",
                      "see the backup policy syntax in the AWS Organizations documentation")
    yield from _operators(document, "")


def _ai_opt_out(document: dict[str, Any]) -> Iterator[Problem]:
    services = document.get("services")
    if not isinstance(services, dict) or not services:
        yield Problem("ai-policy-shape", "services", "an AI opt-out policy needs a non-empty 'services' "
                      "object", "{\"services\": {\"default\": {\"opt_out_policy\": {\"@@assign\": \"optOut\"}}}}")
        return
    for name, spec in sorted(services.items()):
        value = spec.get("opt_out_policy") if isinstance(spec, dict) else None
        assigned = value.get("@@assign") if isinstance(value, dict) else None
        if not isinstance(assigned, str) or assigned not in AI_VALUES:   # a list is not hashable
            yield Problem("ai-policy-value", f"services.{name}.opt_out_policy",
                          f"opt_out_policy must assign optIn or optOut, received {assigned!r}",
                          "{\"opt_out_policy\": {\"@@assign\": \"optOut\"}}")
    yield from _operators(document, "")
