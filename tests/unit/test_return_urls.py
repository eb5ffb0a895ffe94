"""The return URL allow-list (shared/domain/return_urls.py): prefixes that cannot be tricked."""

from __future__ import annotations

import pytest

from shared.domain.return_urls import return_url_allowed, with_outcome

ALLOWLIST = ("https://platform.test/settings/", "https://app.platform.test", "http://localhost:8780/_platform/return")


@pytest.mark.parametrize(
    "url",
    [
        "https://platform.test/settings/xero",
        "https://platform.test/settings/",
        "https://app.platform.test/anything?x=1",
        "https://app.platform.test",
        "http://localhost:8780/_platform/return",
        "http://localhost:8780/_platform/return?tenant=1",
        "https://APP.platform.test/case-of-host",
    ],
)
def test_urls_under_an_allowed_prefix_are_allowed(url: str) -> None:
    # Given the allow-list
    # When a URL under one of its prefixes is checked
    # Then it is allowed
    assert return_url_allowed(url, ALLOWLIST)


@pytest.mark.parametrize(
    "url",
    [
        "https://platform.test.evil.test/settings/",  # a host that merely starts like an allowed one
        "https://app.platform.test.evil.test/",
        "https://app.platform.test@evil.test/",  # credentials: the real host is evil.test
        "https://user@app.platform.test/",
        "http://platform.test/settings/",  # downgraded scheme
        "https://platform.test/settingsx",  # a path that merely starts like an allowed one
        "https://platform.test/other",
        "http://localhost:8780/_platform/returned",
        "http://localhost:9999/_platform/return",  # another port
        "javascript:alert(1)//https://platform.test/settings/",
        "/settings/relative",
        "https://app.platform.test:99999/",  # unreadable port
        "",
    ],
)
def test_lookalike_urls_are_refused(url: str) -> None:
    # Given the allow-list
    # When a URL that only looks like it is under a prefix is checked
    # Then it is refused
    assert not return_url_allowed(url, ALLOWLIST)


def test_an_empty_allowlist_refuses_everything() -> None:
    # Given no allowed prefix
    # When any URL is checked
    # Then it is refused
    assert not return_url_allowed("https://platform.test/settings/", ())


def test_outcome_is_added_to_the_return_urls_own_query_before_its_fragment() -> None:
    # Given a return URL with a query and a fragment
    # When an outcome is added
    url = with_outcome("https://platform.test/settings/xero?from=connect#done", {"status": "connected"})
    # Then its own parameters stay and the fragment stays last
    assert url == "https://platform.test/settings/xero?from=connect&status=connected#done"
