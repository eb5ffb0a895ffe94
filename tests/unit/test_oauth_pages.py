"""The OAuth callback's pages: escaped values, no script, never cached, no Referer onwards."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from functions.oauth_callback.pages.picker import picker_page
from functions.oauth_callback.pages.problems import XERO_UNAVAILABLE, problem_page
from shared.domain.connections import OrganisationChoice
from tests.unit.connect_fakes import ORG_A, Answer, ConnectWorld

HOSTILE_NAME = '<script>alert("x")</script> & "Sons"'


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


def test_picker_escapes_organisation_names_and_ids() -> None:
    # Given an organisation whose name (set by whoever owns it in Xero) is markup
    choice = OrganisationChoice(xero_tenant_id='"><b>id', xero_connection_id="c-1", name=HOSTILE_NAME)
    # When the picker shows it
    html = picker_page("https://connect.test/oauth/pick", "token-1", [choice])
    # Then it is text, not markup
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Sons&quot;" in html
    assert '"><b>' not in html


def test_problem_page_link_cannot_leave_its_attribute() -> None:
    # Given a return URL carrying a quote and markup
    back = 'https://platform.test/back?next="><script>x</script>'
    # When a problem page links back to it
    html = problem_page(XERO_UNAVAILABLE, back)
    # Then the link's href holds it escaped
    assert "<script>" not in html
    assert 'href="https://platform.test/back?next=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_no_page_carries_script(world: ConnectWorld) -> None:
    # Given the picker, a problem page and the not-found page
    pages = [
        world.connect([ORG_A, ("5d5a0c1e-0000-4000-8000-000000000001", "Other")]),
        world.open_authorise("no-such-session"),
        world.request("GET", "/oauth/elsewhere"),
    ]
    # When their bodies are read
    # Then none has a script element
    assert all(page.body and "<script" not in page.body for page in pages)


def test_pages_forbid_script_framing_and_caching(world: ConnectWorld) -> None:
    # Given a problem page
    # When it is served
    headers = world.open_authorise("no-such-session").headers
    # Then no script may run, no one may frame it, and nothing keeps a copy
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"


def test_pages_style_is_allowed_by_its_hash(world: ConnectWorld) -> None:
    # Given a served page
    answer = world.open_authorise("no-such-session")
    # When its inline style is hashed
    style = re.search(r"<style>(.*?)</style>", answer.body, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    # Then the policy allows exactly that style
    assert f"style-src 'sha256-{digest}'" in answer.headers["content-security-policy"]


def test_redirects_are_not_cached_and_send_no_referer(world: ConnectWorld) -> None:
    # Given the redirect to Xero (its URL holds the state) and the one back to the platform
    to_xero = world.open_authorise(world.connect_session())
    back = world.callback(world.consent(to_xero))
    # When their headers are read
    # Then neither may be cached nor leak the callback's URL as a Referer
    for answer in (to_xero, back):
        assert answer.status == 302
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_picker_may_post_here_and_be_redirected_to_the_platform(world: ConnectWorld) -> None:
    # Given the picker (browsers apply form-action to the redirect after a form post)
    picker: Answer = world.connect([ORG_A, ("5d5a0c1e-0000-4000-8000-000000000001", "Other")])
    # When its policy is read
    policy = picker.headers["content-security-policy"]
    # Then the form may post to this origin and land on the platform's origin
    assert "form-action 'self' https://platform.test;" in policy


def test_unknown_path_is_an_html_404(world: ConnectWorld) -> None:
    # Given a path the function does not serve
    # When it is requested
    answer = world.request("GET", "/oauth/elsewhere")
    # Then the answer is the not-found page
    assert answer.status == 404
    assert answer.page().main_id == "not-found"
