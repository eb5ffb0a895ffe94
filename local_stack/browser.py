"""A scripted browser for the demo: follows redirects, keeps cookies, reads a page's forms and submits them.

Enough of a browser for the OAuth flow's plain HTML pages (no script): a form is found by its id,
and submitting it sends what a browser would, its hidden fields, the checked boxes and radio
buttons, plus whatever the script chooses, to the form's action resolved against the page's URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx


@dataclass(frozen=True)
class Choice:
    """A checkbox or radio button: its name, value, element id and whether the page checked it."""

    name: str
    value: str
    element_id: str
    checked: bool


@dataclass
class Form:
    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, Form] = {}
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(found.get("action", ""), found.get("method", "get").upper())
            self.forms[found.get("id", "")] = self._current
        elif tag == "input" and self._current is not None and "name" in found:
            kind = found.get("type", "text")
            if kind == "hidden":
                self._current.hidden.append((found["name"], found.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                checked = "checked" in {name for name, _ in attrs}
                choice = Choice(found["name"], found.get("value", "on"), found.get("id", ""), checked)
                self._current.choices.append(choice)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


class FormMissingError(Exception):
    """The page has no form with the expected id (the flow went somewhere unexpected)."""


class Browser:
    """An httpx client that behaves like a browser on plain HTML pages."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.http = httpx.Client(follow_redirects=True, timeout=timeout)

    def open(self, url: str) -> httpx.Response:
        return self.http.get(url)

    def form(self, page: httpx.Response, form_id: str) -> Form:
        """The form `form_id` of `page`; raises FormMissingError when the page has none."""
        reader = _FormReader()
        reader.feed(page.text)
        if form_id not in reader.forms:
            raise FormMissingError(f"no form #{form_id} on {page.url} (status {page.status_code})")
        return reader.forms[form_id]

    def submit(
        self, page: httpx.Response, form_id: str, fields: list[tuple[str, str]], *, keep_checked: bool = False
    ) -> httpx.Response:
        """Post form `form_id` of `page` with its hidden fields plus `fields` (and its checked boxes if asked)."""
        form = self.form(page, form_id)
        checked = [(c.name, c.value) for c in form.choices if c.checked] if keep_checked else []
        data: dict[str, list[str]] = {}
        for name, value in [*form.hidden, *checked, *fields]:
            data.setdefault(name, []).append(value)
        return self.http.request(form.method, urljoin(str(page.url), form.action), data=data)

    def close(self) -> None:
        self.http.close()
