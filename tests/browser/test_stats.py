"""The statistics pages in a real browser: every chart is drawn from its payload, the data
screen fills itself from its JSON and fetches it again, and neither page scrolls sideways on a
phone. Screenshots go to var/screenshots/stats-*.png for a person to look at."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browsing import sign_in
from tests.stats.conftest import city, publish, results  # noqa: F401  (the known data set)
from wuxiao.awards.models import AwardSheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.mark.usefixtures("results")
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (390, 844)])
def test_dashboard_and_screen_draw_their_charts(city, alice_committee, committee, browser, live_server, width, height):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    publish(AwardSheet.objects.get())  # the review and award charts too
    context, page = sign_in(browser, live_server, "alice", width=width, height=height)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/console/stats/{committee.pk}/")
    charts = page.locator("[data-chart]")
    count = charts.count()
    assert count >= 11
    for chart in ("review", "review_projects", "award_level", "award_children"):
        assert page.locator(f'[data-chart="chart-{chart}"]').count() == 1, chart
    page.wait_for_function(f"document.querySelectorAll('[data-chart] svg').length === {count}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"stats-dashboard-{width}.png", full_page=True)

    page.clock.install()
    page.goto(f"{live_server.url}/console/stats/{committee.pk}/screen/")
    page.wait_for_selector("#screen-stages svg")
    page.wait_for_selector("#screen-categories svg")
    with page.expect_response(lambda r: "screen.json" in r.url) as polled:
        page.clock.fast_forward(31_000)  # the screen fetches its numbers every 30 seconds
    assert polled.value.json()["numbers"][0]["value"] == 6
    assert page.locator("#screen-recent li .name").all_inner_texts() == ["反应釜温控优化", "送料装置改进"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"stats-screen-{width}.png", full_page=width < 900)
    assert errors == []
    context.close()
