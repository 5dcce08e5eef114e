"""Without Chromium the browser tests skip on a developer's machine and fail under `make test` or CI, never pass silently."""
from __future__ import annotations

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.browser.conftest import _unavailable


@pytest.mark.parametrize("ci,strict,outcome", [
    ("true", None, Failed), ("1", None, Failed), ("TRUE", None, Failed), ("", None, Skipped),
    ("false", None, Skipped), (None, None, Skipped), (None, "1", Failed), ("false", "0", Skipped),
], ids=["ci-true", "ci-1", "ci-upper", "ci-empty", "ci-false", "no-ci", "make-test", "strict-off"])
def test_missing_browser(monkeypatch, ci, strict, outcome):
    for name, value in (("CI", ci), ("LZ_STRICT", strict)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(outcome, match=r"^/usr/bin/chromium is missing[;:] "):
        _unavailable("/usr/bin/chromium")
