"""Who is calling the token and revocation endpoints: the app behind a Basic header or body credentials.

FACTS.md §1.3: web apps authenticate with `Authorization: Basic base64(client_id:client_secret)`,
and the SDKs also send client_id/client_secret in the form body; PKCE apps have no secret and send
only client_id. Anything that does not prove the app is `invalid_client`, including a secret sent
by a PKCE app (a client confused about its app type) and two credentials that disagree.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote

from werkzeug.wrappers import Request

from xero_simulator.identity.token_errors import TokenError
from xero_simulator.world import App, AppKind, World


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise TokenError("invalid_client", "malformed Basic header") from exc
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise TokenError("invalid_client", "malformed Basic header")
    # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    return unquote(client_id), unquote(secret)


def authenticate_client(world: World, request: Request) -> App:
    """The app that sent this request, or `invalid_client`."""
    basic = _basic_credentials(request.headers.get("Authorization"))
    body_id = request.form.get("client_id") or None
    body_secret = request.form.get("client_secret") or None
    if basic is not None:
        client_id, secret = basic
        if (body_id and body_id != client_id) or (body_secret and body_secret != secret):
            raise TokenError("invalid_client", "Basic and body credentials disagree")
    else:
        client_id, secret = body_id or "", body_secret or ""
    app = world.apps.get(client_id)
    if app is None:
        raise TokenError("invalid_client", "unknown client_id")
    if app.kind is AppKind.PKCE:
        if secret:
            raise TokenError("invalid_client", "a PKCE app has no client secret")
        return app
    if app.client_secret is None or not hmac.compare_digest(secret.encode(), app.client_secret.encode()):
        raise TokenError("invalid_client", "missing or wrong client secret")
    return app
