"""The OAuth callback function's production dependencies, composed once per cold start.

Nothing here calls AWS or Xero: the adapters make their clients on first use, so importing the
handler stays cheap and a test's environment (moto's endpoint) is seen when the first call is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from functions.oauth_callback.responses import Responses
from functions.oauth_callback.settings import OAuthCallbackSettings
from shared.adapters.dynamodb_state import DynamoDbState
from shared.adapters.eventbridge import EventBridgeBus
from shared.adapters.secrets_manager import SecretsManagerAppSecrets, SecretsManagerTokenVault
from shared.adapters.sqs import SqsWorkQueue
from shared.adapters.xero_identity_http import HttpXeroIdentity
from shared.clock import SystemClock
from shared.usecases.oauth_flow import OAuthClientSettings, OAuthFlow


@dataclass(frozen=True)
class OAuthCallbackDependencies:
    """What the routes need: the connect flow, and the responses that show its outcomes."""

    flow: OAuthFlow
    responses: Responses


def compose(settings: OAuthCallbackSettings) -> OAuthCallbackDependencies:
    """The real adapters for `settings` (AWS through AWS_ENDPOINT_URL when set, Xero at its endpoints)."""
    names, region = settings.names, settings.aws_region
    state = DynamoDbState.for_table(names.state_table, region_name=region)
    app_secrets = SecretsManagerAppSecrets(names, region_name=region)
    flow = OAuthFlow(
        settings=OAuthClientSettings(
            login_url=settings.login_url,
            redirect_uri=settings.redirect_uri,
            scopes=settings.xero_scopes,
            return_url_allowlist=settings.return_url_allowlist,
        ),
        sessions=state.connect_sessions,
        states=state.oauth_states,
        connections=state.connections,
        vault=SecretsManagerTokenVault(names, region_name=region),
        identity=HttpXeroIdentity(settings, app_secrets),
        app_secrets=app_secrets,
        events=EventBridgeBus(names.event_bus, region_name=region),
        clock=SystemClock(),
        work_queue=SqsWorkQueue(names.work_queue, region_name=region),
    )
    return OAuthCallbackDependencies(flow, Responses.of(settings.pick_url, settings.return_url_allowlist))


@cache
def production_dependencies() -> OAuthCallbackDependencies:
    """Read the settings from the environment and compose the adapters, once per process."""
    return compose(OAuthCallbackSettings())
