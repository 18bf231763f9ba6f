"""The exported page in a real browser: headless Chromium driven by selenium, the page opened from file://.

Chromium and chromedriver are Debian's (`chromium`, `chromium-driver`; .ci/run installs them);
selenium is pointed at /usr/bin/chromedriver so selenium-manager downloads nothing. Without them
these tests skip on a laptop and fail when $CI is set.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not Path(tool).is_file():
            return f"{tool} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, logging the console and every network request."""
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing + " ($CI is set: .ci/run installs Chromium)")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(dir=tmp_path_factory.mktemp("chromium"))
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def export_page(folder: Path, render_all_up_to: int | None = None) -> str:
    """The bundled library's page, exported by the real command's service, as a file:// URL.

    ``render_all_up_to``: pretend the page is long (above it, the papers come from the store).
    """
    from litmap.formats import html
    from litmap.services.export import export_papers
    from litmap.store import Library

    out = folder / "reading-list.html"
    with pytest.MonkeyPatch.context() as patch:
        if render_all_up_to is not None:
            patch.setattr(html, "RENDER_ALL_UP_TO", render_all_up_to)
        out.write_text(export_papers(Library(BUNDLED, read_only=True), "html").text, encoding="utf-8")
    return out.as_uri()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return export_page(tmp_path_factory.mktemp("page"))


@pytest.fixture(scope="module")
def long_page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same page as a long list: each section renders its first papers from the store."""
    return export_page(tmp_path_factory.mktemp("long"), render_all_up_to=10)


def load(browser: Any, url: str) -> None:
    """Open ``url`` after forgetting earlier log entries (the start page's own requests)."""
    browser.get("about:blank")
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(url)
    browser.execute_script("return document.readyState")


def settle(browser: Any) -> None:
    """Wait for the next frames: the page applies what was typed once per frame."""
    browser.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")


def hash_of(browser: Any, wanted: str) -> str:
    """The URL's fragment, once it is ``wanted`` (it follows typing when typing pauses) or after 3 s."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.wait import WebDriverWait

    with contextlib.suppress(TimeoutException):
        WebDriverWait(browser, 3).until(lambda b: b.execute_script("return location.hash") == wanted)
    fragment: str = browser.execute_script("return location.hash")
    return fragment


def shown_keys(browser: Any) -> set[str]:
    """Keys of the papers a reader can see (some listing of them is displayed)."""
    settle(browser)
    keys: list[str] = browser.execute_script(
        "return Array.from(document.querySelectorAll('.paper'))"
        ".filter(e => e.checkVisibility()).map(e => e.dataset.key)"
    )
    return set(keys)


def scroll_through(browser: Any) -> None:
    """Scroll down the page a screen at a time, as a reader would (a long list renders what comes near)."""
    settle(browser)
    while browser.execute_script("scrollBy(0, innerHeight); return innerHeight + scrollY < document.body.scrollHeight"):
        settle(browser)
    browser.execute_script("scrollTo(0, 0)")


def shown_sections(browser: Any) -> list[str]:
    settle(browser)
    ids: list[str] = browser.execute_script(
        "return Array.from(document.querySelectorAll('section.category'))"
        ".filter(s => s.checkVisibility()).map(s => s.dataset.category)"
    )
    return ids


def in_categories(categories: list[str]) -> set[str]:
    """Keys of the bundled papers filed under any of ``categories``."""
    from litmap.store import Library

    return {p.key for p in Library(BUNDLED, read_only=True).papers() if set(p.categories) & set(categories)}


def count(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    settle(browser)
    text: str = browser.find_element(By.ID, "count").text
    return text


def title_of(browser: Any, key: str) -> str:
    from selenium.webdriver.common.by import By

    text: str = browser.find_element(By.CSS_SELECTOR, f'.paper[data-key="{key}"] .title').text
    return text


def test_opens_without_console_errors_or_network_requests(browser: Any, page_url: str) -> None:
    load(browser, page_url)
    assert count(browser) == "75 papers"
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    requested = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    assert requested and set(requested) <= {page_url}


def test_typing_filters_as_you_type_and_clearing_shows_all(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    load(browser, page_url)
    everything = shown_keys(browser)
    assert len(everything) == 75
    search = browser.find_element(By.ID, "search")
    search.send_keys("superposition")
    shown = shown_keys(browser)
    assert "elhage2022toy" in shown
    assert title_of(browser, "elhage2022toy") == "Toy Models of Superposition"
    assert "olah2020zoom" not in shown and "simonyan2013deep" not in shown
    assert 0 < len(shown) < 20
    assert count(browser) == f"{len(shown)} of 75 papers"
    assert hash_of(browser, "#q=superposition") == "#q=superposition"
    marked = browser.execute_script(
        "return Array.from(CSS.highlights.get('litmap-match')).map(r => r.toString().toLowerCase())"
    )
    assert marked and set(marked) == {"superposition"}
    search.send_keys(Keys.ESCAPE)
    assert shown_keys(browser) == everything
    assert count(browser) == "75 papers"


def test_words_are_anded_prefixes_and_accents_fold(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, page_url)
    search = browser.find_element(By.ID, "search")
    search.send_keys("toy superpos")
    assert "elhage2022toy" in shown_keys(browser)
    search.send_keys(" zzzz")
    assert shown_keys(browser) == set()
    assert browser.find_element(By.ID, "empty").is_displayed()
    search.clear()
    search.send_keys("SUPERPOSITÌON")
    assert "elhage2022toy" in shown_keys(browser)


def test_a_category_chip_shows_only_its_subtree(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, page_url)
    browser.find_element(By.CSS_SELECTOR, '.chip[data-category="challenges-and-criticisms"]').click()
    subtree = ["challenges-and-criticisms", "superposition", "scalability", "focusing-on-toy-model-experiments"]
    assert shown_sections(browser) == subtree
    shown = shown_keys(browser)
    assert shown == in_categories(subtree)
    assert count(browser) == f"{len(shown)} of 75 papers"
    sub = browser.find_element(By.CSS_SELECTOR, '.chip[data-category="superposition"]')
    assert sub.is_displayed()
    sub.click()
    assert shown_sections(browser) == ["superposition"]
    assert shown_keys(browser) == in_categories(["superposition"])
    assert browser.execute_script("return location.hash") == "#cat=superposition"
    browser.find_element(By.CSS_SELECTOR, '.chip[data-category=""]').click()
    assert len(shown_keys(browser)) == 75


def test_an_abstract_opens_on_click(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, page_url)
    paper = browser.find_element(By.CSS_SELECTOR, '.paper[data-key="elhage2022toy"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", paper)
    text = paper.find_element(By.CSS_SELECTOR, ".abstract-text")
    assert not text.is_displayed()
    toggle = paper.find_element(By.CSS_SELECTOR, ".abstract .toggle")
    toggle.click()
    assert text.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
    assert "superposition" in text.text
    toggle.click()
    assert not text.is_displayed()


def test_a_linked_search_applies_on_load(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, page_url + "#q=induction")
    assert browser.find_element(By.ID, "search").get_attribute("value") == "induction"
    shown = shown_keys(browser)
    assert "olsson2022incontext" in shown
    assert "elhage2022toy" not in shown
    assert count(browser) == f"{len(shown)} of 75 papers"


def test_the_map_marks_the_section_in_view(browser: Any, page_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, page_url + "#c-scalability")
    browser.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    current = browser.find_element(By.CSS_SELECTOR, '#map a[aria-current="location"]')
    assert current.get_attribute("data-category") == "scalability"
    trail = browser.find_elements(By.CSS_SELECTOR, "#map a.trail")
    assert [a.get_attribute("data-category") for a in trail] == ["challenges-and-criticisms", "scalability"]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshot_fits_the_width(browser: Any, page_url: str, width: int, tmp_path: Path) -> None:
    browser.set_window_size(width, 900)
    try:
        load(browser, page_url)
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        shot = tmp_path / f"page-{width}.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        browser.set_window_size(1280, 1000)


def paste(browser: Any) -> str:
    """What the clipboard holds: pasted (Ctrl+V) into a textarea added to the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("const t = document.createElement('textarea'); t.id = 'paste'; document.body.prepend(t)")
    box = browser.find_element(By.ID, "paste")
    box.click()
    box.send_keys(Keys.CONTROL, "v")
    text: str = box.get_attribute("value")
    return text


@pytest.mark.parametrize("clipboard_api", [True, False], ids=["clipboard-api", "execcommand-fallback"])
def test_copy_button_puts_the_bibtex_entry_on_the_clipboard(browser: Any, page_url: str, clipboard_api: bool) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    from litmap.formats.bibtex import BibtexOptions, paper_to_bibtex
    from litmap.store import Library

    load(browser, page_url)
    if not clipboard_api:  # a browser without the Clipboard API (or that refuses it) copies the selected entry
        browser.execute_script("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    paper = browser.find_element(By.CSS_SELECTOR, '.paper[data-key="elhage2022toy"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", paper)
    button = paper.find_element(By.CSS_SELECTOR, ".bibtex .copy")
    assert not button.is_displayed()
    paper.find_element(By.CSS_SELECTOR, ".bibtex .toggle").click()
    button.click()
    WebDriverWait(browser, 3).until(lambda _: button.text == "Copied")
    library = Library(BUNDLED, read_only=True)
    entry = paper_to_bibtex(library.get("elhage2022toy"), BibtexOptions.from_settings(library.config.export))
    assert paste(browser) == entry.rstrip()


def test_a_long_list_renders_from_the_store_and_filters_the_same(
    browser: Any, page_url: str, long_page_url: str
) -> None:
    """Above the size it renders at once, a section shows its first papers and "Show more" adds the rest."""
    from selenium.webdriver.common.by import By

    def state(url: str, query: str = "", chip: str | None = None) -> tuple[set[str], list[str], str]:
        load(browser, url)
        if query:
            browser.find_element(By.ID, "search").send_keys(query)
        if chip is not None:
            browser.find_element(By.CSS_SELECTOR, f'.chip[data-category="{chip}"]').click()
        scroll_through(browser)
        return shown_keys(browser), shown_sections(browser), count(browser)

    load(browser, long_page_url)
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
    assert len(browser.find_elements(By.CSS_SELECTOR, ".paper")) < 75  # the sections far down wait
    scroll_through(browser)
    assert browser.execute_script("return document.querySelector('template#store').content.children.length") == 75
    big = "mapping-and-editing-learned-representations"
    listed = f'section[data-category="{big}"] .paper'
    assert len(browser.find_elements(By.CSS_SELECTOR, listed)) == 20
    more = browser.find_element(By.CSS_SELECTOR, f'section[data-category="{big}"] .more')
    assert more.text == "Show 4 more (4 not shown)"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", more)
    more.click()
    assert len(browser.find_elements(By.CSS_SELECTOR, listed)) == 24 and not more.is_displayed()
    keys = browser.execute_script(f"return [...document.querySelectorAll('{listed}')].map(e => e.dataset.key)")
    assert set(keys) == in_categories([big])
    for query, chip in (("superposition", None), ("toy superpos", None), ("", "challenges-and-criticisms")):
        assert state(long_page_url, query, chip) == state(page_url, query, chip)
    load(browser, long_page_url + "#q=induction")
    assert "olsson2022incontext" in shown_keys(browser) and "elhage2022toy" not in shown_keys(browser)
