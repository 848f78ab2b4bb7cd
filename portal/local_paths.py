"""Where the portal may send someone back to: only a path on this site, never an open redirect.

"//host" and "/\\host" are refused too: browsers read both as another site.
"""

from __future__ import annotations


def is_local_path(target: object) -> bool:
    return isinstance(target, str) and target.startswith("/") and target[1:2] not in ("/", "\\")
