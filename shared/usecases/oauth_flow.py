"""Connecting a tenant to Xero: start the authorise, complete the callback, pick the organisation.

1. `start_authorise`: the tenant's browser opens the hosted authorise URL; its connect session is
   taken (single use) and becomes an OAuth state kept server-side (single use, 10 minutes, bound
   to the tenant and the return URL, carrying the PKCE verifier); the browser goes to Xero.
2. `complete_callback`: Xero sends the browser back with `code` and `state` (or `error`). The state
   is taken first: a forged, replayed or expired state stops everything before Xero is called and
   nothing is stored. The code is exchanged with the verifier, the token set is stored before
   anything else (a crash afterwards loses no grant), and GET /connections?authEventId= lists the
   organisations of THIS consent only (FACTS.md §1.6).
3. One organisation connects at once. Several leave the connection PICKING and the tenant chooses
   on a hosted page (`pick_organisation`); the connections not chosen are deleted so they do not
   count against the app's connection limit (FACTS.md §3.3).

Every redirect goes to the platform's return URL only after checking it against the allow-list
again (the connect session was checked when it was created; this is defence in depth). Codes,
states, verifiers and tokens are never logged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import SecretStr

from shared.clock import Clock
from shared.domain.connections import Connection, ConnectionStatus, OrganisationChoice
from shared.domain.inbound.settings import SyncedKind
from shared.domain.oauth import OAUTH_STATE_LIFETIME, OAuthState
from shared.domain.pkce import new_code_verifier, s256_challenge
from shared.domain.platform_events import EventType, PlatformEvent
from shared.domain.return_urls import return_url_allowed, with_outcome
from shared.domain.sync_requests import SyncRequest
from shared.domain.tokens import TokenSet
from shared.observability import logger, metrics
from shared.ports.app_secrets import AppNotConfiguredError, AppSecrets
from shared.ports.event_bus import EventBus
from shared.ports.state import ConnectionRepository, ConnectSessionStore, OAuthStateStore
from shared.ports.token_vault import TokenVault
from shared.ports.work_queue import WorkQueue, sync_requests_group
from shared.ports.xero_accounting import XeroApiError
from shared.ports.xero_identity import TokenGrant, XeroConnectionRow, XeroGrantError, XeroIdentity, XeroUnavailableError

AUTHORIZE_PATH = "/identity/connect/authorize"
# Pick tokens share the OAuth state store under this prefix. Real states are token_urlsafe (no
# "."), and the callback refuses a state with this prefix before taking it, so a pick token can
# never be spent as an OAuth state, nor a state as a pick token.
PICK_TOKEN_PREFIX = "pick."  # noqa: S105 - a key prefix, not a credential
PICK_LIFETIME = OAUTH_STATE_LIFETIME
# Only organisations carry the Accounting API; PRACTICE tenants (Xero Practice Manager) do not (FACTS.md §1.6).
ORGANISATION_TENANT_TYPE = "ORGANISATION"


class Outcome(StrEnum):
    """The `status` the platform's return URL receives."""

    CONNECTED = "connected"
    DENIED = "denied"
    ERROR = "error"


class FailureReason(StrEnum):
    """The `reason` beside `status=error`: words the platform can branch on."""

    CODE_REJECTED = "code_rejected"  # invalid_grant: the code was already used or has expired
    XERO_REFUSED = "xero_refused"  # any other refusal by Xero's authorise page or token endpoint
    APP_MISCONFIGURED = "app_misconfigured"  # invalid_client: the operator must fix the app's credentials
    XERO_UNAVAILABLE = "xero_unavailable"  # Xero did not answer; connecting again later may work
    OFFLINE_ACCESS_MISSING = "offline_access_missing"  # no refresh token: the connection could not last
    NO_ORGANISATION = "no_organisation"  # the consent covered no organisation
    MISSING_CODE = "missing_code"  # the callback carried neither a code nor an error


class PickProblem(StrEnum):
    """Why the organisation picker is shown again."""

    NO_CHOICE = "no_choice"  # nothing chosen, or an organisation that was not offered
    XERO_UNAVAILABLE = "xero_unavailable"  # the connections not chosen could not be deleted yet


@dataclass(frozen=True)
class OAuthClientSettings:
    """What the flow needs to know about its Xero app and its platform, beside the app's secrets."""

    login_url: str  # https://login.xero.com, or the simulator
    redirect_uri: str  # PUBLIC_BASE_URL + /oauth/callback, registered with the Xero app
    scopes: tuple[str, ...]
    return_url_allowlist: tuple[str, ...]


@dataclass(frozen=True)
class GoToXero:
    """Send the browser to Xero's authorise page."""

    location: str


@dataclass(frozen=True)
class ReturnToPlatform:
    """Send the browser back to the platform's (allowed) return URL, the outcome in its query."""

    location: str


@dataclass(frozen=True)
class ChooseOrganisation:
    """Show the organisation picker: its single-use pick token and the organisations offered."""

    pick_token: str
    choices: tuple[OrganisationChoice, ...]
    problem: PickProblem | None = None


class ConnectFlowError(Exception):
    """A connect attempt that ends on one of our pages; `back_to` is an allowed return URL, if known."""

    def __init__(self, message: str, back_to: str | None = None) -> None:
        super().__init__(message)
        self.back_to = back_to


class ConnectSessionUnusableError(ConnectFlowError):
    """The hosted authorise URL is unknown, expired or already used: no trusted return URL exists."""


class OAuthStateUnusableError(ConnectFlowError):
    """The callback's state is missing, forged, replayed or expired: nothing may be stored."""


class PickTokenUnusableError(ConnectFlowError):
    """The picker form's token is missing, forged, replayed or expired."""


class ReturnUrlNotAllowedError(ConnectFlowError):
    """The return URL is not on RETURN_URL_ALLOWLIST, so the browser cannot be sent there."""


class XeroAppMisconfiguredError(ConnectFlowError):
    """Xero refused the app's credentials (invalid_client), or the operator has not filled them in."""


class XeroUnavailableForConnectError(ConnectFlowError):
    """Xero did not answer while connecting; the tenant can try again later."""


@dataclass
class OAuthFlow:
    """The three steps of connecting a tenant, over the state stores, the vault, Xero and the bus."""

    settings: OAuthClientSettings
    sessions: ConnectSessionStore
    states: OAuthStateStore
    connections: ConnectionRepository
    vault: TokenVault
    identity: XeroIdentity
    app_secrets: AppSecrets
    events: EventBus
    clock: Clock
    # Told of each new connection, so the sync worker pulls the organisation's reference data at once.
    work_queue: WorkQueue | None = None

    # -- 1. the hosted authorise URL ---------------------------------------------------------------

    def start_authorise(self, session_id: str | None) -> GoToXero:
        """Take the connect session and send the browser to Xero with a fresh state and PKCE challenge.

        Raises ConnectSessionUnusableError (unknown, expired or used session), ReturnUrlNotAllowedError
        and XeroAppMisconfiguredError (the app secret is not filled yet: checked before the session
        is spent, so the link still works once the operator has fixed it).
        """
        client_id = self._client_id()
        now = self.clock.now()
        session = self.sessions.take(session_id, now) if session_id else None
        if session is None:
            logger.info("connect session unusable: unknown, expired or already used")
            raise ConnectSessionUnusableError("This connect link has expired or has already been used.")
        logger.append_keys(tenant_id=session.tenant_id)
        self._require_allowed(session.return_url)
        verifier = new_code_verifier()
        state = OAuthState(
            state=secrets.token_urlsafe(32),
            tenant_id=session.tenant_id,
            return_url=session.return_url,
            code_verifier=SecretStr(verifier),
            expires_at=now + OAUTH_STATE_LIFETIME,
        )
        self.states.put(state)
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": self.settings.redirect_uri,
            "scope": " ".join(self.settings.scopes),
            "state": state.state,
            "code_challenge": s256_challenge(verifier),
            "code_challenge_method": "S256",
        }
        logger.info("sending the tenant to Xero to authorise")
        return GoToXero(f"{self.settings.login_url.rstrip('/')}{AUTHORIZE_PATH}?{urlencode(query, quote_via=quote)}")

    # -- 2. Xero's redirect back -------------------------------------------------------------------

    def complete_callback(
        self, state: str | None, code: str | None, error: str | None
    ) -> ReturnToPlatform | ChooseOrganisation:
        """Finish the consent Xero redirected back with: connect, offer a choice, or report the refusal.

        Raises OAuthStateUnusableError (missing, forged, replayed or expired state; nothing stored),
        ReturnUrlNotAllowedError, XeroAppMisconfiguredError (invalid_client) and
        XeroUnavailableForConnectError.
        """
        now = self.clock.now()
        taken = self._take_state(state, now)
        logger.append_keys(tenant_id=taken.tenant_id)
        self._require_allowed(taken.return_url)
        if error is not None:
            return self._refused_at_xero(taken, error)
        if not code:
            logger.warning("Xero's callback carried neither a code nor an error")
            return self._back_with_error(taken, FailureReason.MISSING_CODE)
        grant = self._exchange(taken, code)
        if isinstance(grant, ReturnToPlatform):
            return grant
        if grant.refresh_token is None:
            # Without offline_access there is no refresh token and the connection dies in 30 minutes (FACTS.md §1.3).
            logger.error("Xero granted no refresh token; XERO_SCOPES must include offline_access")
            return self._back_with_error(taken, FailureReason.OFFLINE_ACCESS_MISSING)
        connecting = self._store_tokens(taken, grant, grant.refresh_token, now)
        try:
            organisations = self._organisations_of(grant)
        except XeroUnavailableError as down:
            self._interrupted(connecting, "Xero did not answer while connecting; connect again.")
            raise self._unavailable(taken) from down
        except XeroApiError as refused:
            # A token issued a moment ago refused by /connections: nothing to retry here.
            logger.error("Xero refused to list the consent's connections", extra={"status": refused.status})
            self._interrupted(connecting, "Xero refused to list the authorised organisations; connect again.")
            return self._back_with_error(taken, FailureReason.XERO_REFUSED)
        if not organisations:
            logger.warning("the consent covered no organisation")
            self._interrupted(connecting, "No organisation was authorised; connect again and choose one.")
            return self._back_with_error(taken, FailureReason.NO_ORGANISATION)
        if len(organisations) == 1:
            return self._connect(connecting, organisations[0], now)
        choices = tuple(
            OrganisationChoice(xero_tenant_id=row.tenant_id, xero_connection_id=row.id, name=row.tenant_name or "")
            for row in organisations
        )
        self.connections.put(connecting.model_copy(update={"choices": list(choices)}))
        logger.info("consent covered several organisations; asking the tenant to pick", extra={"count": len(choices)})
        return ChooseOrganisation(self._new_pick_token(taken.tenant_id, taken.return_url, now), choices)

    # -- 3. the organisation picker ----------------------------------------------------------------

    def pick_organisation(
        self, pick_token: str | None, xero_tenant_id: str | None
    ) -> ReturnToPlatform | ChooseOrganisation:
        """Connect the organisation the tenant picked and delete the connections of the others.

        An organisation that was not offered (or none) shows the picker again with a fresh token;
        so does Xero not answering while the others are deleted. Raises PickTokenUnusableError and
        ReturnUrlNotAllowedError.
        """
        now = self.clock.now()
        taken = self.states.take(PICK_TOKEN_PREFIX + pick_token, now) if pick_token else None
        picking = self.connections.get(taken.tenant_id) if taken else None
        if taken is None or picking is None or picking.status is not ConnectionStatus.PICKING:
            logger.info("pick token unusable: forged, replayed or expired")
            raise PickTokenUnusableError("This organisation choice has expired or has already been made.")
        logger.append_keys(tenant_id=taken.tenant_id)
        self._require_allowed(taken.return_url)
        chosen = next((c for c in picking.choices if c.xero_tenant_id == xero_tenant_id), None)
        if chosen is None:
            fresh = self._new_pick_token(taken.tenant_id, taken.return_url, now)
            return ChooseOrganisation(fresh, tuple(picking.choices), PickProblem.NO_CHOICE)
        try:
            self._delete_unchosen(picking, chosen)
        except XeroUnavailableError:
            logger.warning("Xero did not answer while deleting the connections not chosen")
            fresh = self._new_pick_token(taken.tenant_id, taken.return_url, now)
            return ChooseOrganisation(fresh, tuple(picking.choices), PickProblem.XERO_UNAVAILABLE)
        row = XeroConnectionRow(
            id=chosen.xero_connection_id,
            tenant_id=chosen.xero_tenant_id,
            tenant_type=ORGANISATION_TENANT_TYPE,
            tenant_name=chosen.name,
            auth_event_id=picking.auth_event_id,
            created=None,
            updated=None,
        )
        return self._connect(picking, row, now)

    # -- the steps' parts --------------------------------------------------------------------------

    def _client_id(self) -> str:
        try:
            return self.app_secrets.xero_app().client_id
        except AppNotConfiguredError as missing:
            logger.error("the Xero app secret has no client id or secret yet; the operator must fill it in")
            raise XeroAppMisconfiguredError("The Xero app is not configured yet.") from missing

    def _require_allowed(self, return_url: str) -> str:
        if not return_url_allowed(return_url, self.settings.return_url_allowlist):
            logger.error("return URL is not on RETURN_URL_ALLOWLIST; refusing to redirect")
            raise ReturnUrlNotAllowedError("The return URL of this connect link is not allowed.")
        return return_url

    def _take_state(self, state: str | None, now: datetime) -> OAuthState:
        taken = None
        if state and not state.startswith(PICK_TOKEN_PREFIX):
            taken = self.states.take(state, now)
        if taken is None:
            logger.info("OAuth state unusable: missing, forged, replayed or expired")
            raise OAuthStateUnusableError("This sign-in has expired or has already been completed.")
        return taken

    def _refused_at_xero(self, taken: OAuthState, error: str) -> ReturnToPlatform:
        if error == "access_denied":
            logger.info("the tenant denied access at Xero")
            return self._back(taken, {"status": Outcome.DENIED})
        logger.warning("Xero's authorise page refused", extra={"xero_error": error[:64]})
        return self._back_with_error(taken, FailureReason.XERO_REFUSED)

    def _exchange(self, taken: OAuthState, code: str) -> TokenGrant | ReturnToPlatform:
        client_id = self._client_id()
        try:
            return self.identity.exchange_code(code, self.settings.redirect_uri, taken.code_verifier.get_secret_value())
        except XeroGrantError as refused:
            if refused.error == "invalid_client":
                logger.error(
                    "Xero refused the app's credentials (invalid_client): check the Xero app's client id and secret",
                    extra={"client_id": client_id},
                )
                raise XeroAppMisconfiguredError(
                    "Xero refused this app's credentials.",
                    back_to=self._error_url(taken, FailureReason.APP_MISCONFIGURED),
                ) from refused
            logger.warning("Xero refused the authorisation code", extra={"xero_error": refused.error[:64]})
            reason = FailureReason.CODE_REJECTED if refused.error == "invalid_grant" else FailureReason.XERO_REFUSED
            return self._back_with_error(taken, reason)
        except XeroUnavailableError as down:
            raise self._unavailable(taken) from down

    def _store_tokens(
        self, taken: OAuthState, grant: TokenGrant, refresh_token: SecretStr, now: datetime
    ) -> Connection:
        """Write the grant's token set to the vault; the connection record it will be published under."""
        previous = self.connections.get(taken.tenant_id)
        # Versions only grow, also across reconnects, so a worker holding an old version can never
        # compare-and-swap against the new grant's record.
        version = previous.token_version + 1 if previous else 1
        tokens = TokenSet(
            access_token=grant.access_token,
            refresh_token=refresh_token,
            expires_at=now + timedelta(seconds=grant.expires_in),
            scopes=grant.scopes,
            version=version,
        )
        # Stored before anything else: from here on Xero holds a grant, and losing its tokens would
        # leave organisations connected that nobody can use or disconnect.
        self.vault.write(taken.tenant_id, tokens)
        fields: dict[str, Any] = {
            "status": ConnectionStatus.PICKING,
            "scopes": grant.scopes,
            "auth_event_id": grant.authentication_event_id,
            "token_version": version,
            "access_expires_at": tokens.expires_at,
            "refresh_token_issued_at": now,
            "refresh_lease_owner": None,
            "refresh_lease_expires_at": None,
            "choices": [],
            "return_url": taken.return_url,
            "updated_at": now,
        }
        if previous is None:
            return Connection(tenant_id=taken.tenant_id, **fields)
        # A reconnect keeps the tenant's identity and what the record says about its history.
        return previous.model_copy(update=fields)

    def _interrupted(self, connecting: Connection, why: str) -> None:
        """The vault already holds the new grant: say so on the record, so its version matches and
        the platform's status read shows the tenant must connect again."""
        self.connections.put(
            connecting.model_copy(
                update={"status": ConnectionStatus.NEEDS_REAUTH, "last_error": why, "return_url": None}
            )
        )

    def _organisations_of(self, grant: TokenGrant) -> list[XeroConnectionRow]:
        if grant.authentication_event_id is None:
            # Without the claim every connection of the user would be listed, older consents included.
            logger.warning("the access token has no authentication_event_id; listing every connection")
        rows = self.identity.connections(grant.access_token.get_secret_value(), grant.authentication_event_id)
        return [row for row in rows if row.tenant_type == ORGANISATION_TENANT_TYPE]

    def _connect(self, base: Connection, organisation: XeroConnectionRow, now: datetime) -> ReturnToPlatform:
        back = with_outcome(
            self._require_allowed(base.return_url or ""), {"status": Outcome.CONNECTED, "tenant_id": base.tenant_id}
        )
        connection = base.model_copy(
            update={
                "status": ConnectionStatus.CONNECTED,
                "xero_tenant_id": organisation.tenant_id,
                "xero_connection_id": organisation.id,
                "organisation_name": organisation.tenant_name,
                "connected_since": now,
                "last_error": None,
                "choices": [],
                "return_url": None,
                "refresh_lease_owner": None,
                "refresh_lease_expires_at": None,
                "updated_at": now,
            }
        )
        self.connections.put(connection)
        self.events.publish(
            PlatformEvent(
                type=EventType.CONNECTION_CONNECTED,
                tenant_id=connection.tenant_id,
                occurred_at=now,
                data={
                    "xero_tenant_id": organisation.tenant_id,
                    "organisation_name": organisation.tenant_name,
                    "scopes": list(connection.scopes),
                },
            )
        )
        if self.work_queue is not None:
            # Connecting also schedules every kind's reconciliation: the first read of each is a full one.
            request = SyncRequest(tenant_id=connection.tenant_id, reason="connect", reconcile=tuple(SyncedKind))
            self.work_queue.send(
                sync_requests_group(connection.tenant_id), f"connect-{connection.tenant_id}-{now.timestamp()}", request
            )
        metrics.add_metric(name="ConnectionsConnected", unit=MetricUnit.Count, value=1)
        logger.info("tenant connected to a Xero organisation", extra={"xero_tenant_id": organisation.tenant_id})
        return ReturnToPlatform(back)

    def _delete_unchosen(self, picking: Connection, chosen: OrganisationChoice) -> None:
        tokens = self.vault.read(picking.tenant_id)
        if tokens is None:
            raise PickTokenUnusableError("This organisation choice is no longer possible.")
        for other in picking.choices:
            if other.xero_connection_id == chosen.xero_connection_id:
                continue
            try:
                # The connection id, never the tenant id (FACTS.md §1.6).
                self.identity.delete_connection(tokens.access_token.get_secret_value(), other.xero_connection_id)
            except XeroApiError as refused:
                # 404: already gone (a retried pick, or the user removed it at Xero). Anything else
                # must not keep the tenant from the organisation it chose; the operator sees the leak.
                if refused.status != 404:
                    logger.error(
                        "could not delete a connection the tenant did not choose",
                        extra={"xero_connection_id": other.xero_connection_id, "status": refused.status},
                    )

    def _new_pick_token(self, tenant_id: str, return_url: str, now: datetime) -> str:
        token = secrets.token_urlsafe(32)
        self.states.put(
            OAuthState(
                state=PICK_TOKEN_PREFIX + token,
                tenant_id=tenant_id,
                return_url=return_url,
                code_verifier=SecretStr(""),  # a pick has no PKCE exchange
                expires_at=now + PICK_LIFETIME,
            )
        )
        return token

    def _back(self, taken: OAuthState, outcome: dict[str, str]) -> ReturnToPlatform:
        return ReturnToPlatform(
            with_outcome(self._require_allowed(taken.return_url), {**outcome, "tenant_id": taken.tenant_id})
        )

    def _error_url(self, taken: OAuthState, reason: FailureReason) -> str:
        return self._back(taken, {"status": Outcome.ERROR, "reason": reason}).location

    def _back_with_error(self, taken: OAuthState, reason: FailureReason) -> ReturnToPlatform:
        return ReturnToPlatform(self._error_url(taken, reason))

    def _unavailable(self, taken: OAuthState) -> XeroUnavailableForConnectError:
        logger.warning("Xero did not answer while connecting")
        return XeroUnavailableForConnectError(
            "Xero did not answer.", back_to=self._error_url(taken, FailureReason.XERO_UNAVAILABLE)
        )
