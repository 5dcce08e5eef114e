"""The table of retained resources in docs/deploy.md is what every synthesized template does, row by row.

Every resource type of a row marked *yes* carries DeletionPolicy and UpdateReplacePolicy Retain in
every template of every shipped blueprint (and the small blueprints of conftest.py for the types no
shipped blueprint has), StackSet bodies included; every type marked *no* carries neither. Each type
the table names must occur somewhere, so no row can pass by matching nothing.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.synth.conftest import ROOT, SHIPPED

PAGE = ROOT / "docs" / "deploy.md"
SECTION = "## Retained resources"
TYPE = re.compile(r"`((?:AWS|Custom)::[A-Za-z0-9:]+)`")
# The CDK bootstrap template is the pinned CLI's own (plan/data/cdk-bootstrap.yaml, kept equal to what
# `cdk bootstrap --show-template` prints); its conditional key is not even created with the
# AWS-managed key the StackSet asks for.
FOREIGN_BODIES = ("-bootstrap",)


def table_rows() -> list[tuple[str, bool]]:
    """(resource type, retained) for every type the table names."""
    text = PAGE.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] in ("yes", "no"):
            rows += [(t, cells[1] == "yes") for t in TYPE.findall(cells[0])]
    return rows


ROWS = table_rows()


def test_the_table_names_each_type_once_and_is_not_empty():
    types = [t for t, _ in ROWS]
    assert len(types) == len(set(types)) and len(types) >= 20
    assert {"AWS::SSO::PermissionSet", "AWS::KMS::Alias", "AWS::SNS::Topic", "AWS::Events::EventBus",
            "AWS::IAM::SAMLProvider", "AWS::IAM::OIDCProvider", "AWS::RAM::ResourceShare"} <= {
        t for t, retained in ROWS if retained}


def templates_of(outdir) -> dict[str, dict]:
    """Every template of a synthesis, and each StackSet's body as `<stack>/<StackSetName>`."""
    out = {}
    for path in sorted(outdir.glob("*.template.json")):
        template = json.loads(path.read_text())
        stack = path.name.removesuffix(".template.json")
        out[stack] = template
        for resource in template.get("Resources", {}).values():
            if resource["Type"] == "AWS::CloudFormation::StackSet" and "TemplateBody" in resource["Properties"]:
                name = resource["Properties"]["StackSetName"]
                if not name.endswith(FOREIGN_BODIES):
                    out[f"{stack}/{name}"] = json.loads(resource["Properties"]["TemplateBody"])
    return out


@pytest.fixture(scope="module")
def all_resources(synthesized, custom_store_keys, connector_directory, blueprint_edges) -> dict[str, list]:
    """resource type → [(where, DeletionPolicy, UpdateReplacePolicy)] over every synthesis."""
    by_type: dict[str, list] = {}
    outdirs = [synthesized(n).outdir for n in SHIPPED] + [f.outdir for f in (custom_store_keys,
                                                                            connector_directory, blueprint_edges)]
    for outdir in outdirs:
        for name, template in templates_of(outdir).items():
            for logical_id, resource in template.get("Resources", {}).items():
                by_type.setdefault(resource["Type"], []).append(
                    (f"{outdir.name}/{name}/{logical_id}", resource.get("DeletionPolicy"),
                     resource.get("UpdateReplacePolicy")))
    return by_type


@pytest.mark.parametrize(("resource_type", "retained"), ROWS, ids=[t for t, _ in ROWS])
def test_every_resource_of_the_type_follows_the_table(all_resources, resource_type, retained):
    found = all_resources.get(resource_type, [])
    assert found, f"no synthesized template has a {resource_type}: the table row tests nothing"
    expected = ("Retain", "Retain") if retained else (None, None)
    wrong = [where for where, deletion, replace in found if (deletion, replace) != expected]
    assert wrong == [], f"{resource_type} should {'' if retained else 'not '}be retained"
