"""At 390 px wide (a phone), no page scrolls sideways.

Every GET page of the app with no argument, or with the id of a record that
exists, is opened for each role that may see it; the document must be no
wider than the window. Wide tables scroll inside their own box instead.
"""

from __future__ import annotations

import re

import pytest

from browser.test_web import sign_in

pytestmark = pytest.mark.playwright

WIDTH = 390
SKIP = re.compile(r"^/(static|api|logout|digests)|download|\.csv|\.json|/export|/template")


def page_paths(live: dict) -> list[str]:
    """The app's GET pages, with 1 for any id (records 1 exist in the test data)."""
    from tracker import create_app
    from tracker.config import Settings

    app = create_app(Settings(database_url=live["url"], instance_dir=str(live["folder"] / "probe")))
    paths = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or SKIP.search(rule.rule):
            continue
        if not all(arg.startswith("int:") for arg in re.findall(r"<([^>]+)>", rule.rule)):
            continue
        paths.add(re.sub(r"<int:[^>]+>", "1", rule.rule))
    app.extensions["engine"].dispose()
    return sorted(paths)


@pytest.mark.parametrize("role", ["chair", "lxp", "lead", "admin"])
def test_no_page_scrolls_sideways_at_390px(browser, live, role):
    page = sign_in(browser, live, role)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    too_wide = []
    for path in page_paths(live):
        response = page.goto(live["base"] + path)
        if response is None or response.status != 200:
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide.append(f"{path}: {width} px")
    page.context.close()
    assert not too_wide, f"{role}: pages wider than {WIDTH} px: {too_wide}"
