"""Every page satisfies the Content-Security-Policy Porchlight sends (no inline script or style without the
nonce, no style= attributes, no eval): the browser reports no `securitypolicyviolation` and logs no CSP
error, with charts, maps and htmx at work."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext

from tests.browser.support import World, log_in
from tests.browser.test_accessibility import SCREENS, Screen

# Pages beyond the accessibility list that carry charts, maps or their own styles.
MORE = [
    Screen("report", lambda w: reverse("insights:report", args=[w.campaign.pk]), as_user="manager"),
    Screen("public-report", lambda w: reverse("insights:report_public", args=[w.campaign.pk]), as_user=None),
    Screen("codebook", lambda w: reverse("insights:codebook", args=[w.campaign.pk]), as_user="manager"),
    Screen("cases", lambda w: reverse("casework:case_list"), as_user="manager"),
    Screen("tasks", lambda w: reverse("casework:task_queue"), as_user="manager"),
    Screen("not-found", lambda w: "/no-such-page/", as_user=None),
]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.mark.browser
def test_it_breaks_no_rule_of_the_content_security_policy(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    contexts: dict[str | None, BrowserContext] = {}
    problems: list[str] = []
    for screen in [*SCREENS, *MORE]:
        if screen.as_user not in contexts:
            context = new_context()
            if screen.as_user:
                log_in(context.new_page(), site, getattr(world, screen.as_user))
            context.add_init_script(LISTEN)
            contexts[screen.as_user] = context
        page = contexts[screen.as_user].new_page()
        console: list[str] = []
        page.on("console", lambda m, out=console: "Content Security Policy" in m.text and out.append(m.text))
        response = page.goto(site + screen.path(world), timeout=60_000)  # the first page warms the server up
        assert response is not None and "content-security-policy" in response.headers, screen.name
        if screen.prepare:
            screen.prepare(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # charts and maps draw after their data arrives
        # The charts really drew (Vega without eval, through its interpreter), not just failed quietly.
        for chart in page.locator("[data-vl-spec]").all():
            chart.locator("svg").first.wait_for(state="attached")
        found = page.evaluate("window.__cspViolations") + console
        if found:
            problems.append(f"{screen.name} ({screen.path(world)}): " + "; ".join(found))
        page.close()
    assert not problems, "\n".join(problems)
