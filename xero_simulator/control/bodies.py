"""Control API requests and answers: JSON in, JSON out, and a 400 that says exactly what was wrong.

Handlers take `(sim, ControlRequest, path_params)` and return a JSON-able value (answered 200) or a
`(status, value)` pair; they raise ControlError for bad input. Field names are snake_case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from xero_simulator.plain_routes import control

if TYPE_CHECKING:
    from xero_simulator.server import Simulator

PREFIX = "/_sim"  # no Xero path starts with it

Answer = Any
ControlHandler = Callable[["Simulator", "ControlRequest", dict[str, str]], Answer]


class ControlError(Exception):
    """Bad control input: answered `status` (400 unless said) with `{"message": ...}`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ControlRequest:
    """A control call's JSON body (an object; an empty body reads as `{}`) and query string."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.query = request.args
        raw = request.get_data()
        if not raw.strip():
            self.body: dict[str, Any] = {}
            return
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise ControlError(f"the body is not valid JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise ControlError("the body must be a JSON object")
        self.body = parsed


def json_response(status: int, value: Any) -> Response:
    """A JSON answer with `status`."""
    return Response(json.dumps(value), status=status, content_type="application/json")


def control_route(method: str, template: str) -> Callable[[ControlHandler], ControlHandler]:
    """Register a control handler at PREFIX + template, turning ControlError into its JSON answer."""

    def register(handler: ControlHandler) -> ControlHandler:
        def answer(sim: Simulator, request: Request, params: dict[str, str]) -> Response:
            try:
                result = handler(sim, ControlRequest(request), params)
            except ControlError as error:
                return json_response(error.status, {"message": error.message})
            if isinstance(result, tuple):
                status, value = result
                return json_response(status, value)
            return json_response(200, result)

        control.route(method, PREFIX + template)(answer)
        return handler

    return register


# --- reading fields ------------------------------------------------------------------------------


def text(body: dict[str, Any], name: str, default: str | None = None) -> str:
    """A required string field (or `default` when given and the field is absent)."""
    value = body.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise ControlError(f"'{name}' must be a non-empty string")
    return value


def optional_text(body: dict[str, Any], name: str) -> str | None:
    """A string field that may be absent or null."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ControlError(f"'{name}' must be a string or null")
    return value


def number(body: dict[str, Any], name: str, default: float | None = None, *, minimum: float | None = None) -> float:
    """A numeric field (or `default` when absent), at least `minimum` when given."""
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"'{name}' must be a number")
    if minimum is not None and value < minimum:
        raise ControlError(f"'{name}' must be at least {minimum:g}")
    return float(value)


def integer(body: dict[str, Any], name: str, default: int | None = None, *, minimum: int | None = None) -> int:
    """An integer field (or `default` when absent), at least `minimum` when given."""
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError(f"'{name}' must be an integer")
    if minimum is not None and value < minimum:
        raise ControlError(f"'{name}' must be at least {minimum}")
    return value


def optional_integer(body: dict[str, Any], name: str, *, minimum: int | None = None) -> int | None:
    """An integer field that may be absent or null."""
    return None if body.get(name) is None else integer(body, name, minimum=minimum)


def boolean(body: dict[str, Any], name: str, default: bool) -> bool:
    """A true/false field, `default` when absent."""
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise ControlError(f"'{name}' must be true or false")
    return value


def string_list(body: dict[str, Any], name: str) -> list[str]:
    """A list of strings, empty when absent."""
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ControlError(f"'{name}' must be a list of strings")
    return value


def optional_date(body: dict[str, Any], name: str) -> date | None:
    """An ISO date field; null or absent reads as None."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ControlError(f"'{name}' must be a date such as 2026-06-30, or null")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ControlError(f"'{name}' must be a date such as 2026-06-30, or null") from exc


def choice(body: dict[str, Any], name: str, allowed: list[str], default: str | None = None) -> str:
    """A field whose value must be one of `allowed` (`default` when absent)."""
    value = body.get(name, default)
    if value not in allowed:
        raise ControlError(f"'{name}' must be one of {', '.join(allowed)}")
    return str(value)


def query_seed(request: ControlRequest) -> int | None:
    """The optional `?seed=` that makes a cleared fault plan's random draws start over."""
    raw = request.query.get("seed")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ControlError("'seed' must be an integer") from exc
