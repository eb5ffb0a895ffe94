"""Routes of the Accounting API: a path template as the spec spells it, the scope it needs, a handler.

Handlers receive an `ApiRequest` and return the collection payload (`{"Invoices": [...]}`); the
server adds Xero's envelope, renders dates and checks the answer against the OpenAPI spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.datastructures import Headers

from xero_simulator.errors import UnparseableParameterError
from xero_simulator.scopes import ScopeFamily
from xero_simulator.world import App, Connection, Organisation, World


@dataclass
class ApiRequest:
    """One authenticated, tenant-bound Accounting API call, as a route handler sees it."""

    method: str
    path: str
    template: str
    path_params: dict[str, str]
    # Query parameter names are case-insensitive in Xero (summarizeErrors, SummarizeErrors): keys are lower-cased.
    query: dict[str, str]
    headers: Headers
    body: Any
    world: World
    org: Organisation
    app: App
    connection: Connection | None
    now: datetime
    user_id: str | None = None
    # Set by handlers that write: webhook events etc. are announced only once the call succeeds.
    notes: dict[str, Any] = field(default_factory=dict)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.query.get(name.lower())
        if value is None:
            return default
        return value.strip().lower() == "true"

    def int_param(self, name: str) -> int | None:
        value = self.query.get(name.lower())
        if value is None or value == "":
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise UnparseableParameterError(name) from exc


# A handler returns the collection payload, or None for a 204 No Content answer.
Handler = Callable[[ApiRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    scope: ScopeFamily
    handler: Handler
    # The spec path the response is checked against, when it differs from `template`.
    spec_path: str


class RouteTable:
    """Maps (method, path) to a route; paths match case-insensitively, as Xero's do."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self, method: str, template: str, scope: ScopeFamily, *, spec_path: str | None = None
    ) -> Callable[[Handler], Handler]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        pattern = re.compile(f"^{regex}$", re.IGNORECASE)

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, template, pattern, scope, handler, spec_path or template))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for this call; literal templates win over parameterised ones (/Invoices/{id} vs /Reports/X)."""
        candidates = []
        for route in self.routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                candidates.append((route.template.count("{"), route, found.groupdict()))
        if not candidates:
            return None
        candidates.sort(key=lambda c: c[0])
        _, route, params = candidates[0]
        return route, params

    def allows_path(self, path: str) -> bool:
        return any(route.pattern.match(path) for route in self.routes)


accounting = RouteTable()
