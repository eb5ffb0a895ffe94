"""The frame every page shares: document, style and the Content-Security-Policy that allows that style."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from html import escape
from string import Template

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}"
    "h1{font-size:1.4rem}label{display:block;margin:.5rem 0}button{margin-top:1rem;padding:.5rem 1rem}"
    ".problem{color:#9b1c1c}"
)
_DOCUMENT = Template(
    "<!doctype html>\n"
    '<html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<meta name="robots" content="noindex">'
    "<title>$title</title><style>$style</style></head>\n"
    '<body><main id="$page_id">\n<h1>$title</h1>\n$body\n</main></body></html>\n'
)

_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()


def content_security_policy(redirect_origins: Iterable[str] = ()) -> str:
    """No script at all, the one style block by its hash, no framing, and forms posting only here.

    Browsers apply form-action to the redirects that follow a form post too (CSP Level 3), so the
    picker's policy must also name the origins its POST may redirect to: the platform's return URLs.
    """
    targets = " ".join(["'self'", *sorted(set(redirect_origins))])
    return (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action {targets}; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def document(page_id: str, title: str, body: str) -> str:
    """A whole page: `title` is escaped here; `body` is HTML the caller built from escaped values."""
    return _DOCUMENT.substitute(page_id=escape(page_id), title=escape(title), style=_STYLE, body=body)


def paragraph(text: str, css_class: str | None = None) -> str:
    """One escaped paragraph."""
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{attribute}>{escape(text)}</p>"


def link(href: str, text: str, link_id: str) -> str:
    """One escaped link (quotes in the URL included, so it cannot leave its attribute)."""
    return f'<p><a id="{escape(link_id)}" href="{escape(href)}">{escape(text)}</a></p>'
