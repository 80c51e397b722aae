"""Every page fits a projector: in headless Chromium at 1280x720 (and 1440x900, 1920x1080),
in English and Korean, the page's main figure and the result it produces are on the first
screen without scrolling, nothing scrolls sideways, and no exception shows. Screenshots of
every page, language and size land in test-artifacts/projector/ for a human look.

Pages mark the two regions with `frame.figure_box()` / `frame.result_box()`; the test
finds every page from `pages.nav.PAGES`, so a new page is covered without editing it.
"""

from __future__ import annotations

import pytest

from explorer.tools import apphost
from pages.frame import FIGURE, RESULT
from pages.nav import PAGES

from .conftest import ROOT, require_browser

pytestmark = pytest.mark.browser

TIMEOUT = 180.0
SIZES = ((1280, 720), (1440, 900), (1920, 1080))
ARTIFACTS = ROOT / "test-artifacts" / "projector"

# JS: where the page's marked regions are, and whether anything scrolls sideways.
_GEOMETRY_JS = """([figure, result]) => {
  const box = (key) => {
    const el = document.querySelector(`.st-key-${key}`);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height};
  };
  const main = document.querySelector('[data-testid=stMain]');
  return {
    figure: box(figure), result: box(result),
    innerWidth: window.innerWidth, innerHeight: window.innerHeight,
    docScroll: document.documentElement.scrollWidth,
    mainScroll: main ? main.scrollWidth - main.clientWidth : 0,
  };
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_browser()
    env = {
        "EXPLORER_OFFLINE": "1",
        "EXPLORER_CACHE": str(tmp_path_factory.mktemp("explorer-cache")),
    }
    with apphost.AppServer(env=env, timeout=TIMEOUT) as server:
        yield server


@pytest.fixture(scope="module")
def browser(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = apphost.launch_chromium(pw)
        yield chromium
        chromium.close()


def _settled(page) -> None:
    """Wait until the run has finished and the main figure has its size."""
    page.locator(f".st-key-{FIGURE}").first.wait_for(state="visible", timeout=TIMEOUT * 1000)
    apphost.wait_idle(page, timeout=TIMEOUT, settle=1.0)
    page.wait_for_function(
        f"() => document.querySelector('.st-key-{FIGURE}').getBoundingClientRect().height > 120",
        timeout=TIMEOUT * 1000,
    )
    page.wait_for_timeout(500)  # Plotly's relayout after the first paint


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e.file.removesuffix(".py"))
def test_page_fits_a_projector(browser, app, entry, lang):
    """The page opens once at the first size; the window is then resized to the others
    (as a lecturer's browser would be), so the server computes the page once."""
    problems = []
    width, height = SIZES[0]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    ctx.set_default_timeout(TIMEOUT * 1000)
    page = ctx.new_page()
    page.goto(f"{app.url}/{entry.url_path}?lang={lang}")
    _settled(page)
    for width, height in SIZES:
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
            _settled(page)
        name = f"{entry.file.removesuffix('.py')}-{lang}-{width}x{height}"
        apphost.screenshot(page, name, directory=ARTIFACTS, full_page=False)
        errors = page.locator(apphost.EXCEPTION).all_inner_texts()
        geo = page.evaluate(_GEOMETRY_JS, [FIGURE, RESULT])
        where = f"{width}x{height}"
        if errors:
            problems.append(f"{where}: exception on the page: {errors[0][:300]}")
        if geo["docScroll"] > geo["innerWidth"] or geo["mainScroll"] > 1:
            problems.append(f"{where}: scrolls sideways ({geo})")
        for region in ("figure", "result"):
            box = geo[region]
            if box is None:
                problems.append(f"{where}: no {region} region marked on the page")
            elif box["top"] < 0 or box["bottom"] > geo["innerHeight"] + 1:
                problems.append(
                    f"{where}: the {region} spans y = {box['top']:.0f}..{box['bottom']:.0f}, "
                    f"not inside the first screen (0..{geo['innerHeight']})"
                )
    ctx.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_live_plane_and_decoded_digit_side_by_side(browser, app, lang):
    """Live hover at every projector size: the decoded digit beside the plane (not under
    it), both on the first screen, and no debug timings written on the page."""
    ctx = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    ctx.set_default_timeout(TIMEOUT * 1000)
    page = ctx.new_page()
    page.goto(f"{app.url}/?live=1&lang={lang}")
    root = page.locator(".hd-root")
    root.wait_for(timeout=TIMEOUT * 1000)
    page.wait_for_function(
        "el => el.dataset.ready === '1'", arg=root.element_handle(), timeout=TIMEOUT * 1000
    )
    problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(700)
        box = root.locator("canvas.hd-overlay").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
        page.wait_for_timeout(300)
        apphost.screenshot(page, f"live-{lang}-{width}x{height}", directory=ARTIFACTS)
        # locators, not document.querySelector: they reach into the component's shadow root
        plane = root.locator(".hd-plane").bounding_box()
        digit = root.locator(".hd-digit").bounding_box()
        stats = root.locator(".hd-stats").inner_text()
        geo = f"plane {plane}, digit {digit}"
        if digit["x"] < plane["x"] + plane["width"] - 1:
            problems.append(f"{width}x{height}: the digit is not beside the plane ({geo})")
        if max(plane["y"] + plane["height"], digit["y"] + digit["height"]) > height + 1:
            problems.append(f"{width}x{height}: below the first screen ({geo})")
        if "ms" in stats:
            problems.append(f"{width}x{height}: debug text {stats!r}")
    ctx.close()
    assert not problems, "\n".join(problems)
