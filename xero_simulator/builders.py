"""Creating apps, users and organisations, and connecting them: used by the control API, the demo and tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from xero_simulator.charts import chart_for, seed_reference_data
from xero_simulator.identity.access import Principal
from xero_simulator.issued_secrets import remember
from xero_simulator.world import App, AppKind, Connection, Organisation, User, World, new_id


def create_app(
    world: World,
    name: str,
    redirect_uris: Iterable[str] = (),
    *,
    kind: AppKind = AppKind.WEB,
    granular_only: bool = False,
    webhook_url: str | None = None,
) -> App:
    """Register an app as the Xero developer portal would: a client id, a secret unless PKCE, a webhook key."""
    client_id = secrets.token_hex(16).upper()
    secret = None if kind is AppKind.PKCE else remember(secrets.token_urlsafe(36))
    app = App(
        client_id=client_id,
        name=name,
        kind=kind,
        client_secret=secret,
        redirect_uris=list(redirect_uris),
        granular_only=granular_only,
        webhook_url=webhook_url,
    )
    with world.lock:
        world.apps[client_id] = app
    return app


def create_user(world: World, email: str, first_name: str = "Demo", last_name: str = "User") -> User:
    user = User(user_id=new_id(), email=email, first_name=first_name, last_name=last_name, organisation_ids=[])
    with world.lock:
        world.users[user.user_id] = user
    return user


def create_organisation(world: World, name: str, country_code: str = "AU", users: Iterable[User] = ()) -> Organisation:
    """A new organisation with its country's chart of accounts and tax rates, visible to `users`."""
    chart = chart_for(country_code)
    now = world.clock.now()
    org = Organisation(
        organisation_id=new_id(),
        name=name,
        country_code=chart.country_code,
        base_currency=chart.currency,
        short_code="!" + secrets.token_hex(3),
        created=now - timedelta(days=400),
        timezone=chart.timezone,
        financial_year_end_day=chart.financial_year_end_day,
        financial_year_end_month=chart.financial_year_end_month,
    )
    with world.lock:
        seed_reference_data(org, now)
        world.add_organisation(org)
        for user in users:
            user.organisation_ids.append(org.organisation_id)
    return org


def connect_organisations(
    world: World, app: App, user_id: str, tenant_ids: Iterable[str], auth_event_id: str
) -> list[Connection]:
    """Record a consent: one connection per tenant; reconnecting keeps the connection and bumps updatedDateUtc."""
    now = world.clock.now()
    connected = []
    with world.lock:
        for tenant_id in tenant_ids:
            existing = world.find_connection(app.client_id, user_id, tenant_id)
            if existing is not None:
                existing.updated = now
                existing.auth_event_id = auth_event_id
                connected.append(existing)
                continue
            connection = Connection(
                id=new_id(),
                tenant_id=tenant_id,
                client_id=app.client_id,
                user_id=user_id,
                auth_event_id=auth_event_id,
                created=now,
                updated=now,
            )
            world.connections[connection.id] = connection
            connected.append(connection)
    return connected


def direct_principal(world: World, app: App, user: User, tenant_ids: Iterable[str], scopes: Iterable[str]) -> Principal:
    """Connect without the browser dance, for tests of the Accounting API; the OAuth flow does the same."""
    auth_event_id = new_id()
    connect_organisations(world, app, user.user_id, tenant_ids, auth_event_id)
    return Principal(
        client_id=app.client_id,
        user_id=user.user_id,
        scopes=frozenset(scopes),
        auth_event_id=auth_event_id,
        grant_id=new_id(),
    )
