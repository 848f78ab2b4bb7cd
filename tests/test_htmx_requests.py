"""An htmx request is recognised in one place: flask-htmx's request helper
(``portal.extensions.htmx``, true when the request says ``HX-Request: true``)."""

from __future__ import annotations

import re
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[1] / "portal"
READS_THE_HEADER = re.compile(r"""headers(\.get\(|\[)\s*["']HX-Request""", re.IGNORECASE)


def test_no_module_reads_the_htmx_request_header_itself() -> None:
    readers = [str(path.relative_to(PORTAL)) for path in sorted(PORTAL.rglob("*.py"))
               if READS_THE_HEADER.search(path.read_text(encoding="utf-8"))]
    assert readers == []
