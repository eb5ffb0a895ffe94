"""The demo world behind `make run`: seeded through Xero's own rules, and reachable with the printed details."""

from __future__ import annotations

import httpx

from xero_simulator.demo import DEMO_USER_EMAIL, seed_demo
from xero_simulator.server import Simulator


def test_the_demo_world_seeds_two_organisations_with_records(simulator: Simulator) -> None:
    # When the demo world is seeded
    demo = seed_demo(simulator)
    # Then both organisations hold the seeded contacts, invoices and payments
    for org in demo.organisations:
        assert len(org.records("Contacts")) >= 20
        assert len(org.records("Invoices")) == 50
        assert len(org.records("Payments")) == 15
    assert demo.user.email == DEMO_USER_EMAIL


def test_the_printed_authorise_url_opens_the_sign_in_page(simulator: Simulator) -> None:
    # Given the demo world
    demo = seed_demo(simulator)
    # When the URL it prints is opened
    url = demo.describe(simulator.base_url).split("authorise at")[1].strip()
    answer = httpx.get(url)
    # Then Xero's sign-in page answers
    assert answer.status_code == 200
    assert 'id="email"' in answer.text
