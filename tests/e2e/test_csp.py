"""The studio works under the Content-Security-Policy: no violation while designing and watching.

Every page of the run (log-in, designer with graph layout worker and code
editor, execution page with its websocket) records the browser's
``securitypolicyviolation`` events and console reports; none may occur.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.studio import code_text, node, open_designer
from tests.e2e.test_execution_live import STEPS, run_from_designer

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where} ${e.sample}`);
});
"""


def test_designer_and_live_execution_run_without_csp_violations(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    reports: list[str] = []
    page.on(
        "console",
        lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(LISTEN)
    workflow = create_workflow(STEPS)

    open_designer(page, workflow["id"])
    expect(node(page, "/States/Nap again")).to_be_visible()  # laid out by the worker
    assert '"StartAt"' in code_text(page)  # the code editor (CodeMirror) is up
    assert page.evaluate("window.__cspViolations.join('\\n')") == ""  # all shown when failing

    run_from_designer(page, workflow["id"], '{"order": 1}')
    status = page.get_by_test_id("execution-status")
    expect(status).to_have_attribute("data-status", "SUCCEEDED", timeout=15_000)  # websocket
    assert page.evaluate("window.__cspViolations.join('\\n')") == ""
    assert reports == []
