"""The pages a connect attempt can end on when it cannot go back to the platform, or must not yet.

Each page says what happened and what the reader can do, in words for a tenant (or, for a
misconfigured app, for the operator they will contact). None shows a code, state or token.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.oauth_callback.pages.layout import document, link, paragraph


@dataclass(frozen=True)
class Problem:
    page_id: str  # the page's stable id (<main id=...>), for tests and browsers
    title: str
    explanation: tuple[str, ...]


CONNECT_LINK_UNUSABLE = Problem(
    "connect-link-unusable",
    "This connect link has expired",
    (
        "A link to connect Xero works once, for 15 minutes.",
        "Go back to the application you came from and choose Connect to Xero again.",
    ),
)
SIGN_IN_UNUSABLE = Problem(
    "sign-in-unusable",
    "This Xero sign-in cannot be completed",
    (
        "It has expired, was already completed, or did not start here. Nothing was saved.",
        "Go back to the application you came from and connect again.",
    ),
)
PICK_UNUSABLE = Problem(
    "pick-unusable",
    "This choice of organisation has expired",
    (
        "The organisation was already chosen, or the choice took longer than 10 minutes.",
        "Go back to the application you came from and connect again.",
    ),
)
RETURN_URL_NOT_ALLOWED = Problem(
    "return-url-not-allowed",
    "This connect link cannot send you back",
    (
        "The address it would return you to is not one the operator allowed, so you were not sent there.",
        "Nothing was saved. Please tell the application's support team.",
    ),
)
APP_MISCONFIGURED = Problem(
    "app-misconfigured",
    "The Xero app is misconfigured",
    (
        "Xero refused this application's credentials, so the connection could not be made. Nothing was saved.",
        "The operator must check the Xero app's client id and client secret. Please tell the application's "
        "support team.",
    ),
)
XERO_UNAVAILABLE = Problem(
    "xero-unavailable",
    "Xero is not answering",
    (
        "Xero did not answer while we were connecting, so the connection was not completed.",
        "Please try again in a few minutes.",
    ),
)
NOT_FOUND = Problem("not-found", "Page not found", ("There is nothing at this address.",))
UNEXPECTED = Problem(
    "unexpected",
    "Something went wrong",
    ("The connection could not be completed. Please try again in a few minutes.",),
)


def problem_page(problem: Problem, back_to: str | None = None) -> str:
    """The page of `problem`, with a link back to the platform when there is an allowed place to go."""
    body = "\n".join(paragraph(line) for line in problem.explanation)
    if back_to:
        body += "\n" + link(back_to, "Back to the application", "back")
    return document(problem.page_id, problem.title, body)
