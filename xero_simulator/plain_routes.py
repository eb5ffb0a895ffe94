"""Routes outside the Accounting API (identity, connections, control): werkzeug request in, response out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

PlainHandler = Callable[["Simulator", Request, dict[str, str]], Response]


@dataclass(frozen=True)
class PlainRoute:
    method: str
    pattern: re.Pattern[str]
    handler: PlainHandler


class PlainRouteTable:
    def __init__(self) -> None:
        self.routes: list[PlainRoute] = []

    def route(self, method: str, template: str) -> Callable[[PlainHandler], PlainHandler]:
        pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$", re.IGNORECASE)

        def register(handler: PlainHandler) -> PlainHandler:
            self.routes.append(PlainRoute(method, pattern, handler))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[PlainHandler, dict[str, str]] | None:
        """The handler and path params, or None when no route has this method and path."""
        for route in self.routes:
            found = route.pattern.match(path)
            if found and route.method == method:
                return route.handler, found.groupdict()
        return None

    def knows_path(self, path: str) -> bool:
        return any(route.pattern.match(path) for route in self.routes)


identity = PlainRouteTable()
control = PlainRouteTable()
