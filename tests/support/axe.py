"""axe-core (from the npm lock file) run in the page under test.

The script is evaluated through the DevTools protocol, which the page's CSP does not govern,
so the portal's strict CSP stays exactly as in production during the scan.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return {
    version: axe.version,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
    })),
  };
}"""


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # A step that waited for an element may end before the stylesheet has arrived (a busy
    # machine): judge the page as it is shown, with its styles.
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(_RUN, AXE_TAGS)
    major, minor = (int(part) for part in result["version"].split(".")[:2])
    assert (major, minor) >= (4, 10), f"axe-core {result['version']} lacks the WCAG 2.2 rules"
    return result["violations"]


def assert_accessible(page: Page) -> None:
    """Zero axe violations for WCAG 2.0/2.1/2.2 A and AA and best practice on this page."""
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
