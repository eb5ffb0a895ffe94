"""The one place where the connect flow's outcomes and failures become HTTP responses (and are counted).

Redirects and pages alike are never cached (they carry single-use states and pick tokens) and send
no Referer onwards (the callback's URL holds Xero's code and our state). Every page carries a
Content-Security-Policy that allows no script.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit

from functions.oauth_callback.pages.layout import content_security_policy
from functions.oauth_callback.pages.picker import picker_page
from functions.oauth_callback.pages.problems import (
    APP_MISCONFIGURED,
    CONNECT_LINK_UNUSABLE,
    NOT_FOUND,
    PICK_UNUSABLE,
    RETURN_URL_NOT_ALLOWED,
    SIGN_IN_UNUSABLE,
    UNEXPECTED,
    XERO_UNAVAILABLE,
    Problem,
    problem_page,
)
from shared.observability import metrics
from shared.usecases.oauth_flow import (
    ChooseOrganisation,
    ConnectFlowError,
    ConnectSessionUnusableError,
    GoToXero,
    OAuthStateUnusableError,
    PickProblem,
    PickTokenUnusableError,
    ReturnToPlatform,
    ReturnUrlNotAllowedError,
    XeroAppMisconfiguredError,
    XeroUnavailableForConnectError,
)

HTML = "text/html; charset=utf-8"

# 410 for a connect link: it was a real link once (or never was) and will not work again; there is
# no return URL we could trust to send the browser to. 400 for what a browser should not resend.
_FAILURES: dict[type[ConnectFlowError], tuple[HTTPStatus, Problem]] = {
    ConnectSessionUnusableError: (HTTPStatus.GONE, CONNECT_LINK_UNUSABLE),
    OAuthStateUnusableError: (HTTPStatus.BAD_REQUEST, SIGN_IN_UNUSABLE),
    PickTokenUnusableError: (HTTPStatus.BAD_REQUEST, PICK_UNUSABLE),
    ReturnUrlNotAllowedError: (HTTPStatus.BAD_REQUEST, RETURN_URL_NOT_ALLOWED),
    XeroAppMisconfiguredError: (HTTPStatus.BAD_GATEWAY, APP_MISCONFIGURED),
    XeroUnavailableForConnectError: (HTTPStatus.SERVICE_UNAVAILABLE, XERO_UNAVAILABLE),
}
_PICK_PROBLEMS: dict[PickProblem, tuple[HTTPStatus, str]] = {
    PickProblem.NO_CHOICE: (HTTPStatus.BAD_REQUEST, "Choose one of the organisations below."),
    PickProblem.XERO_UNAVAILABLE: (
        HTTPStatus.SERVICE_UNAVAILABLE,
        "Xero did not answer. Choose the organisation again in a moment.",
    ),
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Responses:
    """Builds the function's responses; knows where the picker posts and where it may redirect."""

    pick_url: str
    return_url_allowlist: tuple[str, ...]

    @classmethod
    def of(cls, pick_url: str, return_url_allowlist: Iterable[str]) -> Responses:
        return cls(pick_url, tuple(return_url_allowlist))

    def outcome(self, outcome: GoToXero | ReturnToPlatform | ChooseOrganisation) -> Response[str]:
        """A redirect to Xero or to the platform, or the organisation picker."""
        if isinstance(outcome, ChooseOrganisation):
            _count("OrganisationPickerShown")
            status, problem = _PICK_PROBLEMS[outcome.problem] if outcome.problem else (HTTPStatus.OK, None)
            body = picker_page(self.pick_url, outcome.pick_token, outcome.choices, problem)
            return self._page(status, body, redirect_origins=(_origin(u) for u in self.return_url_allowlist))
        _count("SentToXero" if isinstance(outcome, GoToXero) else "ReturnedToPlatform")
        return Response(
            status_code=int(HTTPStatus.FOUND),
            content_type=HTML,
            body="",
            headers={"Location": outcome.location, **_private_headers()},
        )

    def failure(self, error: ConnectFlowError) -> Response[str]:
        """The page of a failed connect attempt, with a link back when an allowed return URL is known."""
        status, problem = _FAILURES.get(type(error), (HTTPStatus.INTERNAL_SERVER_ERROR, UNEXPECTED))
        return self._problem(status, problem, error.back_to)

    def not_found(self) -> Response[str]:
        return self._problem(HTTPStatus.NOT_FOUND, NOT_FOUND)

    def unexpected(self) -> Response[str]:
        return self._problem(HTTPStatus.INTERNAL_SERVER_ERROR, UNEXPECTED)

    def _problem(self, status: HTTPStatus, problem: Problem, back_to: str | None = None) -> Response[str]:
        # One metric per page, named after it: connect-link-unusable -> ConnectLinkUnusablePage.
        _count("".join(word.capitalize() for word in problem.page_id.split("-")) + "Page")
        return self._page(status, problem_page(problem, back_to))

    @staticmethod
    def _page(status: HTTPStatus, body: str, redirect_origins: Iterable[str] = ()) -> Response[str]:
        headers = {"Content-Security-Policy": content_security_policy(redirect_origins), **_private_headers()}
        return Response(status_code=int(status), content_type=HTML, body=body, headers=headers)


def _count(name: str) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def _private_headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }
