"""Where a tenant's browser may be sent back to: the platform's return URLs, on an allow-list.

RETURN_URL_ALLOWLIST holds URL prefixes. A plain `startswith` would let
`https://app.example.com.evil.test/` through for the prefix `https://app.example.com`, and
`https://app.example.com@evil.test/` through any prefix without a path, so a URL matches a prefix
only when its scheme and host are the prefix's and its path continues the prefix's path at a `/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SCHEMES = frozenset({"https", "http"})


def return_url_allowed(url: str, allowlist: Iterable[str]) -> bool:
    """Whether `url` is an absolute http(s) URL without credentials that one of the prefixes covers."""
    try:
        target = urlsplit(url)
        target_port = target.port
    except ValueError:
        return False
    if target.scheme not in _SCHEMES or not target.hostname or target.username is not None:
        return False
    for prefix in allowlist:
        allowed = urlsplit(prefix.strip())
        if (
            allowed.scheme == target.scheme
            and allowed.hostname == target.hostname
            and allowed.port == target_port
            and _path_covers(allowed.path, target.path)
        ):
            return True
    return False


def _path_covers(prefix_path: str, path: str) -> bool:
    if not prefix_path or prefix_path == "/":
        return True
    if prefix_path.endswith("/"):
        return path.startswith(prefix_path)
    return path == prefix_path or path.startswith(prefix_path + "/")


def with_outcome(url: str, outcome: dict[str, str]) -> str:
    """`url` with the outcome's parameters added to whatever query it already has (fragment kept)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend(outcome.items())
    return urlunsplit(parts._replace(query=urlencode(query)))
