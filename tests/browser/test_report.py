"""`lz report` pages in a real browser: the DOM holds what the plan holds, filters and collapsing work,
nothing is fetched, the static parts work without JavaScript, and 1,000 accounts render fast."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from landing_zone.catalog import load_catalog
from landing_zone.policy.document import minify

MAX_BYTES = 2 * 1024 * 1024
MAX_LOAD_MS = 2000


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def shown(driver, selector) -> int:
    return sum(1 for e in css(driver, selector) if e.is_displayed())


def open_page(driver, page):
    driver.get(page.url)
    assert driver.find_element(By.ID, "lz-name").text == page.plan.name
    return driver


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_dom_holds_what_the_plan_holds(browser, pages, name):
    page = pages(name)
    plan = page.plan
    open_page(browser, page)
    assert len(css(browser, "#tree li.account")) == len(plan.accounts)
    assert len(css(browser, "#tree details.ou")) == len(plan.units) + 1
    pending = [e.get_attribute("data-account") for e in css(browser, "#tree li.account")
               if e.find_elements(By.CSS_SELECTOR, "em.pending")]
    assert sorted(pending) == sorted(a.name for a in plan.accounts if not a.id)
    assert len(css(browser, "#matrix tbody tr")) == len(load_catalog())
    assert len(css(browser, "#matrix thead th.col-ou")) == len(plan.units) + 1
    assert len(css(browser, "#stacks-table tr[data-stack]")) == len(plan.stacks)
    assert len(css(browser, "#allowed-table tbody tr")) == len(plan.accounts) + 1
    counts = {e.get_attribute("data-count"): e.text for e in css(browser, ".counts dd")}
    assert (counts["accounts"], counts["OUs"]) == (str(len(plan.accounts)), str(len(plan.units)))
    # SCP budget: slots and characters per target, computed here from the plan.
    scps = [p for p in plan.policies if p.policy_type == "SERVICE_CONTROL_POLICY"]
    for row in css(browser, "#budget-table tbody tr"):
        target = row.get_attribute("data-target").removeprefix("account ")
        attached = [p for p in scps if any(t.ref == target for t in p.targets)]
        assert row.get_attribute("data-slots") == str(1 + len(attached))
        sizes = sorted(int(li.get_attribute("data-size")) for li in row.find_elements(By.CSS_SELECTOR, "li"))
        assert sizes == sorted(len(minify(p.document)) for p in attached)


def test_standard_blueprint_figures(browser, pages):
    open_page(browser, pages("standard"))
    counts = {e.get_attribute("data-count"): e.text for e in css(browser, ".counts dd")}
    assert (counts["accounts"], counts["OUs"], counts["pending"]) == ("7", "8", "0")
    budget = {r.get_attribute("data-target"): r for r in css(browser, "#budget-table tbody tr")}
    assert budget["Workloads/Prod"].find_element(By.CSS_SELECTOR, "td").text.endswith("2 of 5")
    assert budget["Sandbox"].find_element(By.CSS_SELECTOR, "td").text.endswith("1 of 5")
    prod = browser.find_element(By.CSS_SELECTOR, '#allowed-table tr[data-account="app1-prod"]')
    assert [c.get_attribute("class") for c in prod.find_elements(By.CSS_SELECTOR, "td")] == [
        "allow", "deny", "deny", "deny", "allow", "deny"]
    row = browser.find_element(By.CSS_SELECTOR,
                               '#matrix tr[data-control="AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA"]')
    assert [td.text for td in row.find_elements(By.CSS_SELECTOR, "td")][2:] == [
        "P", "-", "-", "-", "-", "-", "P", "-", "E"]


def test_matrix_filters_by_level_and_behaviour(browser, pages):
    open_page(browser, pages("enterprise"))
    catalog = list(load_catalog().values())
    rows = "#matrix tbody tr"
    count = browser.find_element(By.ID, "matrix-count")
    assert shown(browser, rows) == len(catalog)
    assert count.text == f"{len(catalog)} of {len(catalog)} controls shown"

    def toggle(name, value):
        selector = f'#matrix-filters input[name="{name}"][value="{value}"]'
        browser.find_element(By.CSS_SELECTOR, selector).click()

    toggle("level", "mandatory")
    expected = [c for c in catalog if c.level != "mandatory"]
    assert shown(browser, rows) == len(expected)
    toggle("behavior", "detective")
    expected = [c for c in expected if c.behavior != "detective"]
    assert shown(browser, rows) == len(expected) and count.text.startswith(f"{len(expected)} of ")
    toggle("enabled", "1")
    enabled = {e.get_attribute("data-control") for e in css(browser, rows)
               if e.get_attribute("data-enabled") == "1"}
    assert shown(browser, rows) == len([c for c in expected if c.id in enabled]) > 0
    for name, value in (("level", "mandatory"), ("behavior", "detective"), ("enabled", "1")):
        toggle(name, value)
    assert shown(browser, rows) == len(catalog)


def test_tree_collapses_and_expands(browser, pages):
    open_page(browser, pages("enterprise"))
    payments = '#tree li.account[data-account="payments-prod"]'
    assert not browser.find_element(By.CSS_SELECTOR, payments).is_displayed()   # depth 3: closed
    for path in ("Workloads/Prod", "Workloads/Prod/Payments"):
        browser.find_element(By.CSS_SELECTOR, f'#tree details[data-path="{path}"] > summary').click()
    assert browser.find_element(By.CSS_SELECTOR, payments).is_displayed()
    browser.find_element(By.CSS_SELECTOR, 'button[data-tree="close"]').click()
    assert shown(browser, "#tree li.account") == 0
    assert not any(d.get_attribute("open") for d in css(browser, "#tree details"))
    browser.find_element(By.CSS_SELECTOR, 'button[data-tree="open"]').click()
    assert shown(browser, "#tree li.account") == len(pages("enterprise").plan.accounts)


def test_account_search(browser, pages):
    page = pages("enterprise")
    open_page(browser, page)
    browser.find_element(By.ID, "account-filter").send_keys("prod")
    expected = [a for a in page.plan.accounts if "prod" in a.name.lower() or "prod" in a.unit.lower()]
    assert shown(browser, "#allowed-table tbody tr") == len(expected) == 4     # NonProd matches too
    assert browser.find_element(By.ID, "account-count").text == f"4 of {len(page.plan.accounts) + 1} accounts"


def test_nothing_is_fetched_and_nothing_fails(browser, pages):
    open_page(browser, pages("enterprise"))
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    # A CSP violation (inline script or style whose hash does not match) or a script error shows here.
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert browser.find_element(By.ID, "matrix-filters").is_displayed()     # the script ran


def test_static_parts_work_without_javascript(launch, pages):
    driver = launch(javascript=False)
    page = pages("enterprise")
    open_page(driver, page)
    assert not driver.find_element(By.ID, "matrix-filters").is_displayed()
    assert not driver.find_element(By.ID, "account-filter").is_displayed()
    assert shown(driver, "#matrix tbody tr") == len(load_catalog())
    payments = driver.find_element(By.CSS_SELECTOR, '#tree li.account[data-account="payments-prod"]')
    assert not payments.is_displayed()
    for path in ("Workloads/Prod", "Workloads/Prod/Payments"):
        driver.find_element(By.CSS_SELECTOR, f'#tree details[data-path="{path}"] > summary').click()
    assert payments.is_displayed()


def test_print_layout(browser, pages):
    open_page(browser, pages("enterprise"))
    closed = len([d for d in css(browser, "#tree details") if not d.get_attribute("open")])
    assert closed > 0
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.TAG_NAME, "nav").is_displayed()
        assert not browser.find_element(By.ID, "matrix-filters").is_displayed()
        browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
        assert all(d.get_attribute("open") is not None for d in css(browser, "#tree details"))
        browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
        assert len([d for d in css(browser, "#tree details") if not d.get_attribute("open")]) == closed
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_thousand_accounts_render_in_under_two_seconds(browser, pages, record_property):
    page = pages("thousand")
    size = page.path.stat().st_size
    open_page(browser, page)
    load_ms = browser.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
    record_property("report_bytes", size)
    record_property("load_event_end_ms", load_ms)
    print(f"1,000-account report: {size:,} bytes, load event at {load_ms:.0f} ms")
    assert size < MAX_BYTES
    assert load_ms < MAX_LOAD_MS
    assert len(css(browser, "#tree li.account")) == len(page.plan.accounts) == 1002
    assert len(css(browser, "#matrix thead th.col-ou")) == 103


def test_screenshot_of_the_enterprise_report(browser, pages, artifacts):
    open_page(browser, pages("enterprise"))
    shot = artifacts / "report-enterprise.png"
    browser.set_window_size(1400, 1800)     # the header, the OU tree and the top of the guardrail matrix
    try:
        browser.save_screenshot(str(shot))
    finally:
        browser.set_window_size(1400, 1000)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")
