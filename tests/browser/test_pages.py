"""The HTML pages of `wcs report` and `wcs compare --html` in a real browser (headless
Chromium driven by selenium, both Debian's): no console error, no request leaves the
page, every table of report.md is there and sorts and filters, every plot is drawn
with the series the CSV files say it has, and the pooled ECDF and profile end where
tables/fixed_target.csv says. Screenshots go to WCS_BROWSER_OUT (the build folder).

Run as a script to time pages that exist already:
    python3 tests/browser/test_pages.py --time results/auto-fit/tables/report.html
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

WCS = os.environ.get("WCS_EXE", "build/wcs")
OUT = pathlib.Path(os.environ.get("WCS_BROWSER_OUT", "build/tests/browser"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
PREFERRED = ["reference", "mitm", "lazy", "greedy", "least-norm"]

EXPERIMENT = """name: browser
description: the pages of wcs report and wcs compare in a browser
defaults:
  repetitions: 2
  min_time: 0.0001
  seeds: [1, 2, 3]
problems:
  - name: worked
    coefficients: [15, 47, -12]
    target: 28
    tolerance: 2
    max_iter: 50
  - name: small
    generator: uniform_real
    low: 0.5
    high: 10
    n: [4, 6, 8]
    target: {{rule: fraction_of_sum, fraction: 0.5}}
    tolerance: 0.001
    max_iter: 20
strategies:
{strategies}
  - name: reference
    params: {{truth_table: ""}}
    max_n: 4
"""


def need_browser():
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("Chromium or its driver is not installed (Debian's chromium and chromium-driver; tools/setup.sh "
                    "installs them)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (Debian's python3-selenium; tools/setup.sh installs it)")


def browser(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Without the background-networking flags Chromium calls Google's hosts on start.
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1400,1800", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


def open_page(driver, path):
    """Loads the page and waits for its script; returns seconds to the load event and to ready."""
    driver.get_log("browser")  # what the browser did before (its own new-tab page) is not the page's
    driver.get_log("performance")
    start = time.monotonic()
    driver.get(path.resolve().as_uri())
    loaded = time.monotonic() - start
    for _ in range(200):
        if driver.execute_script("return window.wcs && window.wcs.ready === true"):
            break
        time.sleep(0.05)
    return loaded, time.monotonic() - start


def problems_of(driver):
    """Console errors and requests to anything but the page itself since the last call."""
    bad = [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url, page = msg["params"]["request"]["url"], msg["params"].get("documentURL", "")
            network = re.match(r"^(https?|wss?|ftp)://", url) is not None
            if network or (page.startswith("file://") and not re.match(r"^(file|data|about):", url)):
                bad.append("request to " + url)
    return bad


def wcs(*args, cwd):
    return subprocess.run([WCS, *args], cwd=cwd, check=True, capture_output=True, text=True)


def markdown_tables(md):
    """(heading, rows) of every table of report.md, in order."""
    out, heading, lines = [], None, md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## ") or line.startswith("### "):
            heading = line.split(" ", 1)[1]
        if re.match(r"^\| -{3}", line):
            rows = 0
            for later in lines[i + 1:]:
                if not later.startswith("|"):
                    break
                rows += 1
            out.append((heading, rows))
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    import pandas as pd
    need_browser()
    d = tmp_path_factory.mktemp("browser")
    listed = {s["name"] for s in json.loads(wcs("list", "--json", cwd=d).stdout)}
    chosen = [s for s in PREFERRED if s in listed]
    (d / "exp.yaml").write_text(EXPERIMENT.format(strategies="\n".join(f"  - name: {s}" for s in chosen)))
    wcs("run", "exp.yaml", "--out", "a", "--quiet", cwd=d)
    # B: A with the second strategy ten times slower, so that compare has slower cells.
    shutil.copytree(d / "a", d / "b")
    slow = chosen[1] if len(chosen) > 1 else chosen[0]
    for f in (d / "b" / "runs").glob("*.json"):
        r = json.loads(f.read_text())
        if r["wcs"]["label"] == slow:
            for b in r["benchmarks"]:
                for k in ("real_time", "cpu_time"):
                    if isinstance(b.get(k), (int, float)):
                        b[k] *= 10
            f.write_text(json.dumps(r))
    # A record that cannot be read: the page lists it.
    (d / "a" / "runs" / "0123456789abcdef.json").write_text("{ not json")
    wcs("report", "a", cwd=d)
    wcs("compare", "a", "b", "--html", str(d / "compare.html"), cwd=d)
    compare_csv = wcs("compare", "a", "b", "--csv", cwd=d).stdout
    (d / "compare.csv").write_text(compare_csv)
    return {"dir": d, "slow": slow, "compare": pd.read_csv(d / "compare.csv")}


@pytest.fixture(scope="module")
def driver(folders):
    profile = tempfile.mkdtemp(prefix="wcs-chromium-")
    drv = browser(profile)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def shot(driver, name):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    driver.save_screenshot(str(path))
    print(f"screenshot: {path.resolve()}")
    return path


def family_of(text):
    m = re.fullmatch(r"(.*) \(max_iter (\d+), tolerance (.*)\)", text)
    return m.group(1), int(m.group(2)), float(m.group(3))


def test_report_page(folders, driver):
    import pandas as pd
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    tables = folders["dir"] / "a" / "tables"
    page = tables / "report.html"
    loaded, ready = open_page(driver, page)
    print(f"report.html: {page.stat().st_size} bytes, load event after {loaded:.3f} s, drawn after {ready:.3f} s")
    assert page.stat().st_size < 5e6
    assert problems_of(driver) == []
    # Every table of report.md, in its order and with its rows, after the provenance.
    md = markdown_tables((tables / "report.md").read_text())
    shown = driver.execute_script(
        "return wcs.data.tables.map(t => [t.title, t.rows])")
    assert shown[0][0] == "Where the records come from"
    assert [tuple(t) for t in shown[1:]] == md
    sections = driver.find_elements(By.CSS_SELECTOR, "section.wcs-table-section")
    assert len(sections) == len(md) + 1
    titles = [t for t, _ in md]
    assert "Records that could not be read" in titles  # the planted record
    unread = sections[1 + titles.index("Records that could not be read")]
    driver.execute_script("arguments[0].scrollIntoView()", unread)
    WebDriverWait(driver, 10).until(lambda d: unread.find_elements(By.CSS_SELECTOR, "tbody tr"))
    assert "0123456789abcdef.json" in unread.text
    assert "Skipped and failed runs" in titles
    # Every plot is drawn with the series the CSV files give for the family on show.
    family = family_of(Select(driver.find_element(By.CSS_SELECTOR, "select.wcs-panel")).first_selected_option.text)

    def in_family(df):
        return df[(df.problem == family[0]) & (df.max_iter == family[1]) & (df.tolerance == family[2])]

    speed = in_family(pd.read_csv(tables / "speed.csv"))
    accuracy = in_family(pd.read_csv(tables / "accuracy.csv"))
    ert = in_family(pd.read_csv(tables / "ert.csv"))
    runs = in_family(pd.read_csv(tables / "runs.csv"))
    expected = {
        "time": speed[speed.time_median_s.notna()].strategy.nunique(),
        "speedup": speed[speed.speedup.notna()].strategy.nunique(),
        "convergence": accuracy[accuracy.converged_rate.notna()].strategy.nunique(),
        "ert": ert[ert.ert_evaluations.notna()].strategy.nunique(),
        "ecdf": runs[runs.status != "skipped"].strategy.nunique(),
        "profile": runs[runs.status != "skipped"].strategy.nunique(),
    }
    for chart, series in expected.items():
        got = driver.execute_script(
            "const c = wcs.charts[arguments[0]]; if (!c) return null;"
            "const sets = c.data.datasets.filter(d => !d.wcsBand);"
            "return [sets.length, sets.filter((d, i) => c.getDatasetMeta(c.data.datasets.indexOf(d)).data.length > 0).length]",
            chart)
        assert got is not None, chart
        assert got[0] == series >= 2, chart
        if chart != "ecdf" and chart != "profile":
            assert got[1] == series, chart  # every series has points on the canvas
    # Over every family, the ECDF of evaluations ends at each strategy's reached rate and
    # the profile at its solved fraction (fixed_target.csv).
    driver.find_element(By.CSS_SELECTOR, "input.wcs-pooled").click()
    fixed = pd.read_csv(tables / "fixed_target.csv").set_index("strategy")
    ends = driver.execute_script(
        "const out = {}; for (const id of ['ecdf', 'profile']) { out[id] = {};"
        "for (const d of wcs.charts[id].data.datasets) if (!d.wcsBand) out[id][d.label] = d.data.length ? d.data[d.data.length - 1].y : 0; }"
        "return out;")
    for strategy, row in fixed.iterrows():
        assert ends["ecdf"][strategy] == pytest.approx(row.reached_rate), strategy
        assert ends["profile"][strategy] == pytest.approx(row.profile_solved), strategy
    # Unticking a strategy takes its series out of every plot.
    driver.find_element(By.CSS_SELECTOR, "input.wcs-series[value='0']").click()
    assert driver.execute_script(
        "return wcs.charts.time.data.datasets.filter(d => !d.wcsBand).length") == expected["time"] - 1
    driver.find_element(By.CSS_SELECTOR, "input.wcs-series[value='0']").click()
    driver.find_element(By.CSS_SELECTOR, "input.wcs-pooled").click()
    # Sorting: a click on the strategy header of the accuracy table sorts its rows, a
    # second reverses them.
    acc = sections[1 + titles.index("Accuracy against the exact answer")]
    header = [th for th in acc.find_elements(By.CSS_SELECTOR, "th") if th.text == "strategy"][0]
    col = [th.text for th in acc.find_elements(By.CSS_SELECTOR, "th")].index("strategy")

    def column():
        return [tr.find_elements(By.CSS_SELECTOR, "td")[col].text for tr in acc.find_elements(By.CSS_SELECTOR, "tbody tr")]

    # A table's rows are made when it comes near the screen.
    driver.execute_script("arguments[0].scrollIntoView()", acc)
    WebDriverWait(driver, 10).until(lambda d: acc.find_elements(By.CSS_SELECTOR, "tbody tr"))
    before = column()
    header.click()
    assert column() == sorted(before) != before
    header.click()
    assert column() == sorted(before, reverse=True)
    # Sorting a number column sorts by the number, not its text.
    runs_header = [th for th in acc.find_elements(By.CSS_SELECTOR, "th") if th.text.startswith("median error")][0]
    runs_header.click()
    errors = driver.execute_script(
        "const t = wcs.tables.find(t => t.title === 'Accuracy against the exact answer');"
        "const c = wcs.data.tables.find(d => d.title === t.title).columns.find(c => c.h === 'median error');"
        "return t.state.shown.map(i => c.x[i]);")
    assert errors == sorted(errors)
    # Filtering: the rows of one strategy only, as many as the CSV has.
    box = acc.find_element(By.CSS_SELECTOR, "input.wcs-filter")
    box.send_keys(folders["slow"] + " small")
    rows = acc.find_elements(By.CSS_SELECTOR, "tbody tr")
    all_accuracy = pd.read_csv(tables / "accuracy.csv")
    want = all_accuracy[all_accuracy.strategy.str.contains(folders["slow"], regex=False)
                        & all_accuracy.problem.str.contains("small")]
    assert len(rows) == len(want) > 0
    assert all(folders["slow"] in r.text for r in rows)
    assert f"{len(want)} rows (of {len(all_accuracy)})" in acc.find_element(By.CSS_SELECTOR, ".wcs-count").text
    box.clear()
    box.send_keys("x")  # clear() sends no input event: type and erase
    box.send_keys("\b")
    assert len(acc.find_elements(By.CSS_SELECTOR, "tbody tr")) == len(all_accuracy)
    assert problems_of(driver) == []
    driver.execute_script("window.scrollTo(0, 0)")
    assert shot(driver, "report.png").stat().st_size > 10000


def test_compare_page(folders, driver):
    from selenium.webdriver.common.by import By
    page = folders["dir"] / "compare.html"
    loaded, ready = open_page(driver, page)
    print(f"compare.html: {page.stat().st_size} bytes, load event after {loaded:.3f} s, drawn after {ready:.3f} s")
    assert problems_of(driver) == []
    cmp = folders["compare"]
    from selenium.webdriver.support.ui import WebDriverWait
    driver.execute_script("document.querySelector('table.wcs-table').scrollIntoView()")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.wcs-table tbody tr"))
    rows = driver.find_elements(By.CSS_SELECTOR, "table.wcs-table tbody tr")
    assert len(rows) == len(cmp) > 0
    marked = driver.find_elements(By.CSS_SELECTOR, "table.wcs-table tbody tr.marked")
    slower = cmp[cmp.verdict == "slower"]
    assert len(marked) == len(slower) > 0
    assert all(folders["slow"] in r.text for r in marked)
    # The plot: one series per strategy of the family on show.
    from selenium.webdriver.support.ui import Select
    family = family_of(Select(driver.find_element(By.CSS_SELECTOR, "select.wcs-panel")).first_selected_option.text)
    mine = cmp[(cmp.problem == family[0]) & (cmp.max_iter == family[1]) & (cmp.tolerance == family[2])]
    assert driver.execute_script(
        "return wcs.charts.ratio.data.datasets.filter(d => !d.wcsBand).length") == mine.strategy.nunique() >= 2
    # Sorted by the ratio, descending: the slowed strategy's cells (B / A about 10) first.
    header = [th for th in driver.find_elements(By.CSS_SELECTOR, "th") if th.text == "B / A"][0]
    header.click()
    header.click()
    ratios = driver.execute_script(
        "const c = wcs.data.tables[0].columns.find(c => c.h === 'B / A'); return wcs.tables[0].state.shown.map(i => c.x[i]);")
    assert ratios == sorted(ratios, reverse=True) and len(ratios) == len(cmp)
    first = driver.find_elements(By.CSS_SELECTOR, "table.wcs-table tbody tr")[0]
    assert folders["slow"] in first.text
    assert problems_of(driver) == []
    assert shot(driver, "compare.png").stat().st_size > 10000


def time_pages(paths):
    """Prints each page's size and the seconds to its load event and to drawn, in
    headless Chromium (the median of three fresh loads)."""
    profile = tempfile.mkdtemp(prefix="wcs-chromium-")
    drv = browser(profile)
    try:
        for p in map(pathlib.Path, paths):
            times = []
            for _ in range(3):
                drv.get("about:blank")
                times.append(open_page(drv, p))
            times.sort(key=lambda t: t[1])
            loaded, ready = times[1]
            print(f"{p}: {p.stat().st_size / 1e6:.2f} MB, load event {loaded:.2f} s, drawn {ready:.2f} s; "
                  f"problems: {problems_of(drv)}")
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--time":
        time_pages(sys.argv[2:])
    else:
        sys.exit(pytest.main([__file__, "-p", "no:cacheprovider", "-s"]))
