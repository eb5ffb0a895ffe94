"""The demo world `python -m xero_simulator --demo` starts with: one app, one user, two seeded organisations.

The app's redirect URI is the local stack's OAuth callback, so the same demo world serves the
simulator on its own and the whole service running locally.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from xero_simulator.builders import create_app, create_organisation, create_user
from xero_simulator.control.seeding import seed_organisation
from xero_simulator.server import Simulator
from xero_simulator.world import App, Organisation, User

DEMO_USER_EMAIL = "demo@example.com"
DEMO_REDIRECT_URIS = ("http://127.0.0.1:8780/oauth/callback", "http://localhost:8780/oauth/callback")
DEMO_SEED = {"items": 5, "contacts": 20, "invoices": 40, "bills": 10, "credit_notes": 3, "payments": 15}


@dataclass(frozen=True)
class DemoWorld:
    app: App
    user: User
    organisations: tuple[Organisation, ...]

    def describe(self, base_url: str) -> str:
        """What a developer needs to point a client at the demo world."""
        lines = [
            "Demo world:",
            f"  app            {self.app.name}",
            f"  client_id      {self.app.client_id}",
            "  client_secret  (read it from the control API: GET /_sim/apps)",
            f"  redirect URIs  {', '.join(self.app.redirect_uris)}",
            f"  sign in as     {self.user.email}",
        ]
        lines += [
            f"  organisation   {org.name} ({org.country_code}) {org.organisation_id}" for org in self.organisations
        ]
        lines += [
            f"  authorise at   {base_url}/identity/connect/authorize?response_type=code&client_id={self.app.client_id}"
            f"&redirect_uri={self.app.redirect_uris[0]}&scope=openid%20offline_access%20accounting.transactions"
            "%20accounting.contacts%20accounting.settings&state=demo",
        ]
        return "\n".join(lines)


def seed_demo(sim: Simulator, seed: int = 42) -> DemoWorld:
    """Register the demo app and user, and two organisations (AU and NZ) with contacts, invoices and payments."""
    app = create_app(sim.world, "xero-sync demo", DEMO_REDIRECT_URIS)
    user = create_user(sim.world, DEMO_USER_EMAIL, "Demo", "Owner")
    organisations = (
        create_organisation(sim.world, "Demo Company (AU)", "AU", [user]),
        create_organisation(sim.world, "Demo Company (NZ)", "NZ", [user]),
    )
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    for org in organisations:
        report = seed_organisation(sim, org, dict(DEMO_SEED), rng)
        if report.errors:
            raise RuntimeError(f"the demo seed was refused by the simulator: {report.errors[:3]}")
    return DemoWorld(app, user, organisations)
