"""Without Chromium the browser tests skip on a developer's machine and fail in CI, never pass silently."""
from __future__ import annotations

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.browser.conftest import _unavailable


@pytest.mark.parametrize("ci,outcome", [
    ("true", Failed), ("1", Failed), ("TRUE", Failed), ("", Skipped), ("false", Skipped), (None, Skipped),
], ids=["ci-true", "ci-1", "ci-upper", "ci-empty", "ci-false", "no-ci"])
def test_missing_browser(monkeypatch, ci, outcome):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="/usr/bin/chromium is missing"):
        _unavailable("/usr/bin/chromium is missing")
