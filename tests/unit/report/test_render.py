"""The page itself: self-contained, escaped, deterministic, small enough at 1,000 accounts."""
from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest
import yaml

from landing_zone.explain.probes import Probe, read_probes
from landing_zone.plan import Phase
from landing_zone.report import build_report, render_report
from tests.helpers import minimal, write
from tests.unit.report.common import ROOT, report_for, shipped

# src=, href=, url(), @import and srcset pointing anywhere but this page.
EXTERNAL = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?!#)[^"'\s>]+"""
                      r"""|url\(|@import""", re.IGNORECASE)
HTTP_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
MAX_BYTES = 2 * 1024 * 1024


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_page_is_self_contained(name):
    html = render_report(shipped(name)[2])
    assert not HTTP_REF.findall(html)
    assert not EXTERNAL.findall(html), "only in-page links (#...) are allowed"
    assert html.count("<style>") == 1 and html.count("<script>") == 1
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert csp.startswith("default-src 'none'; style-src 'sha256-") and "'unsafe-inline'" not in csp


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_same_blueprint_gives_byte_identical_page(name):
    loaded, plan, _ = shipped(name)
    first = render_report(build_report(loaded, plan, read_probes(None)))
    again = render_report(report_for(loaded.path)[2])
    assert first == again


def test_reordering_the_blueprint_changes_nothing(tmp_path):
    data = minimal()
    data["organization"]["units"].append({"name": "Sandbox", "units": [{"name": "A"}, {"name": "B"}]})
    data["organization"]["accounts"].append({"name": "zz", "email": "aws+zz@example.com",
                                             "unit": "Sandbox/B"})
    data["guardrails"] = {"enable": [
        {"level": "strongly-recommended", "units": ["Root"]},
        {"control": "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA", "units": ["Workloads/Prod"]}]}
    reordered = yaml.safe_load(yaml.safe_dump(data))
    reordered["organization"]["units"].reverse()
    reordered["organization"]["units"][0]["units"].reverse()
    reordered["organization"]["accounts"].reverse()
    reordered["guardrails"]["enable"].reverse()
    one = render_report(report_for(write(tmp_path, data, "a.yaml"))[2])
    two = render_report(report_for(write(tmp_path, reordered, "a.yaml"))[2])
    assert one == two


def test_user_values_are_escaped(tmp_path):
    data = minimal()
    data["organization"]["units"].append({"name": "R&D <lab>"})
    loaded, plan, _ = report_for(write(tmp_path, data))
    evil = Probe("s3:GetObject", resource='arn:aws:s3:::b/"><script>alert(1)</script>')
    html = render_report(build_report(loaded, plan, [evil]))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "R&amp;D &lt;lab&gt;" in html and "R&D <lab>" not in html


def test_phase_column_shows_the_phase_or_a_dash():
    loaded, plan, _ = shipped("standard")
    first = plan.stacks[0].name
    phased = replace(plan, phases=(Phase("organization", "Organization first", "deploy", (first,)),))
    html = render_report(build_report(loaded, phased, read_probes(None)))
    row = re.search(rf'<tr data-stack="{first}">.*?</tr>', html).group(0)
    assert '<td class="phase">Organization first</td>' in row
    assert '<li data-phase="organization">Organization first' in html
    if not plan.phases:
        plain = render_report(shipped("standard")[2])
        assert plain.count('<td class="phase">—</td>') == len(plan.stacks)


def test_thousand_accounts_stay_under_two_megabytes():
    _, plan, report = report_for(ROOT / "blueprints/examples/many-accounts.yaml",
                                 {"accounts": 1000, "units": 100})
    html = render_report(report)
    assert len(plan.accounts) == 1002 and len(plan.units) == 102
    assert len(html.encode("utf-8")) < MAX_BYTES
    assert html.count('<li class="account"') == 1002
