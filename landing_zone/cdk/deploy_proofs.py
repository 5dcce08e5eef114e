"""The deploy proofs on every synthesis, as a CDK validation plugin: a landing zone that would block its
own deployment, or whose exemptions are not protected, fails the synthesis the way cdk-nag does.

The proofs themselves are pure Python over cdk.out (landing_zone/checks/); this module only reports
them through CDK, keeps the last result for the caller (the tests) and writes a summary (requests,
evaluations, seconds) to cdk.out/deploy-proofs.json."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import aws_cdk as cdk
import jsii

from landing_zone.checks.deploy_proofs import ProofReport, prove_deployable
from landing_zone.checks.exemptions import ExemptionFinding, unprotected
from landing_zone.checks.template_rules import TemplateFinding, template_findings
from landing_zone.explain.deployed import read_deployed
from landing_zone.plan import Plan

REPORT_FILE = "deploy-proofs.json"
FIX = ("the landing zone must be able to deploy itself: change the policy or Sid named above (a custom "
       "SCP in `policies:` must exempt the landing zone's principals), or the blueprint section that "
       "makes the template")


@dataclass
class DeployProofResult:
    proofs: ProofReport = field(default_factory=ProofReport)
    exemptions: list[ExemptionFinding] = field(default_factory=list)
    templates: list[TemplateFinding] = field(default_factory=list)
    seconds: float = 0.0        # the whole run: template rules, deploy proofs, exemption safety

    @property
    def failed(self) -> bool:
        return bool(self.proofs.findings or self.exemptions or self.templates)

    def lines(self) -> list[str]:
        return ([f.format() for f in self.templates] + [f.format() for f in self.proofs.findings]
                + [f.format() for f in self.exemptions])


def run_deploy_proofs(plan: Plan, outdir: str | Path) -> DeployProofResult:
    started = time.perf_counter()
    outdir = Path(outdir)
    templates = {p.name.removesuffix(".template.json"): json.loads(p.read_text())
                 for p in sorted(outdir.glob("*.template.json"))}
    result = DeployProofResult(templates=template_findings(plan, templates))
    if any(s.component == "policies" for s in plan.stacks):
        result.proofs = prove_deployable(plan, outdir)
        result.exemptions = list(unprotected(plan, read_deployed(outdir, plan)))
    result.seconds = time.perf_counter() - started
    return result


@jsii.implements(cdk.IPolicyValidationPlugin)
class DeployProofs:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.result = DeployProofResult()

    @property
    def name(self) -> str:
        return "landing-zone-deploy-proofs"

    @property
    def version(self) -> str | None:
        return None

    @property
    def rule_ids(self) -> list[str] | None:
        return None

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        if not context.template_paths:
            return cdk.PolicyValidationPluginReport(success=True, violations=[])
        outdir = Path(context.template_paths[0]).parent
        self.result = run_deploy_proofs(self.plan, outdir)
        summary = {"requests": self.result.proofs.requests, "evaluations": self.result.proofs.evaluations,
                   "chains": self.result.proofs.chains, "seconds": round(self.result.seconds, 3),
                   "findings": self.result.lines()}
        (outdir / REPORT_FILE).write_text(json.dumps(summary, indent=1) + "\n")
        violations = [cdk.PolicyViolation(
            rule_name="LandingZoneDeployProof", description=line, fix=FIX, severity="error",
            violating_resources=[cdk.PolicyViolatingResource(
                resource_logical_id="-", template_path=str(outdir), locations=["-"])])
            for line in self.result.lines()]
        return cdk.PolicyValidationPluginReport(success=not violations, violations=violations)


def add_deploy_proofs(app: cdk.App, plan: Plan) -> DeployProofs:
    plugin = DeployProofs(plan)
    cdk.Validations.of(app).add_plugins(plugin)
    return plugin
