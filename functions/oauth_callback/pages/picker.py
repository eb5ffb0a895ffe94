"""The organisation picker: the tenant authorised several organisations and connects exactly one.

A plain form (no script) that posts the chosen Xero tenant id and a single-use pick token to
/oauth/pick. Stable ids for tests and browsers: the form `#pick-form`, each radio button
`#org-<xero tenant id>`, the submit button `#pick`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from functions.oauth_callback.pages.layout import document, paragraph
from shared.domain.connections import OrganisationChoice

PICKER_PAGE_ID = "pick-organisation"


def picker_page(
    pick_url: str, pick_token: str, choices: Sequence[OrganisationChoice], problem: str | None = None
) -> str:
    """The picker form; `problem` is shown above it when the picker is shown again."""
    radios = "\n".join(_radio(choice, first=index == 0) for index, choice in enumerate(choices))
    parts = [
        paragraph(problem, "problem") if problem else "",
        paragraph(
            "You authorised more than one Xero organisation. Choose the one to connect; "
            "the others will be disconnected from this application."
        ),
        f'<form id="pick-form" method="post" action="{escape(pick_url)}">',
        f'<input type="hidden" name="pick_token" value="{escape(pick_token)}">',
        f"<fieldset><legend>Organisation</legend>\n{radios}\n</fieldset>",
        '<button id="pick" type="submit">Connect this organisation</button>',
        "</form>",
    ]
    return document(PICKER_PAGE_ID, "Choose the Xero organisation to connect", "\n".join(p for p in parts if p))


def _radio(choice: OrganisationChoice, *, first: bool) -> str:
    element_id = escape(f"org-{choice.xero_tenant_id}")
    # `required` on one radio of the group makes the browser insist on a choice before posting.
    required = " required" if first else ""
    name = choice.name or choice.xero_tenant_id
    return (
        f'<label for="{element_id}"><input type="radio" id="{element_id}" name="organisation" '
        f'value="{escape(choice.xero_tenant_id)}"{required}> {escape(name)}</label>'
    )
