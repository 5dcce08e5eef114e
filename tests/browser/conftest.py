"""Headless Chromium (Debian's package, installed by `make test`) driven by Selenium over chromedriver.

Selenium is told where both binaries are and to stay offline, so it never downloads a browser or a
driver. When they are missing the tests are skipped on a developer's machine and fail under CI=true.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.explain.probes import read_probes
from landing_zone.plan import Plan, build_plan
from landing_zone.report import build_report, render_report
from tests.helpers import unavailable

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]
# name → (blueprint, Jinja2 variables)
BLUEPRINTS = {
    "standard": ("blueprints/standard.yaml", {}),
    "enterprise": ("blueprints/enterprise.yaml", {}),
    "thousand": ("blueprints/examples/many-accounts.yaml", {"accounts": 1000, "units": 100}),
}


@dataclass(frozen=True)
class Page:
    path: Path
    plan: Plan

    @property
    def url(self) -> str:
        return self.path.as_uri()


def _unavailable(reason: str) -> None:
    unavailable(reason, "apt-get install chromium chromium-driver, as root")


@pytest.fixture(scope="session")
def launch(tmp_path_factory) -> Callable[..., object]:
    """launch(javascript=True) → a WebDriver on a fresh profile; all are closed at the end."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            _unavailable(str(binary))
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium")
    os.environ["SE_OFFLINE"] = "true"        # Selenium Manager must never fetch anything
    os.environ["SE_AVOID_STATS"] = "true"
    drivers = []

    def make(javascript: bool = True):
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
            options.add_argument(flag)
        if not javascript:
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture(scope="session")
def browser(launch):
    return launch()


@pytest.fixture(scope="session")
def pages(tmp_path_factory) -> Callable[[str], Page]:
    folder = tmp_path_factory.mktemp("reports")
    cache: dict[str, Page] = {}

    def get(name: str) -> Page:
        if name not in cache:
            path, variables = BLUEPRINTS[name]
            loaded = load_blueprint(ROOT / path, variables)
            plan = build_plan(loaded)
            out = folder / f"{name}.html"
            out.write_text(render_report(build_report(loaded, plan, read_probes(None))), encoding="utf-8")
            cache[name] = Page(out, plan)
        return cache[name]
    return get


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Screenshots go here (LZ_BROWSER_ARTIFACTS, or a pytest temporary folder): kept, never compared."""
    chosen = os.environ.get("LZ_BROWSER_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("browser-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
