"""GET lists as Xero serves them: filters, If-Modified-Since, where, order, and paging.

The `where` language is the C#-like subset the spec's examples and common clients use:
`Status=="ACTIVE" AND Type=="BANK"`, `IsSold==true`, `Contact.ContactID==Guid("...")`,
`Date>=DateTime(2024,01,01)`, `Name.Contains("Ltd")`, with AND, OR and parentheses. Anything else
is refused with a 400, as Xero refuses a filter it cannot parse.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from xero_simulator.errors import ValidationError
from xero_simulator.msjson import parse_if_modified_since
from xero_simulator.routing import ApiRequest

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # secondary sources say 1..1000 (FACTS.md §4.2); larger requests are clamped

Predicate = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class ListRules:
    """How one collection lists: its id field, its comma-separated filters, what paging strips."""

    id_field: str
    # Query parameter (lower-case) -> record field it filters on, e.g. {"contactids": "Contact.ContactID"}.
    id_filters: dict[str, str] = field(default_factory=dict)
    status_field: str | None = None  # filtered by Statuses=
    pageable: bool = False
    # Fields only returned on paged lists and single GETs (Xero omits line items on unpaged lists).
    detail_fields: tuple[str, ...] = ()
    # None for collections that ignore If-Modified-Since (TaxRates, TrackingCategories: FACTS.md §4.3).
    modified_field: str | None = "UpdatedDateUTC"
    # Records hidden unless includeArchived=true.
    archived: Predicate | None = None
    default_order: str | None = None


def field_value(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
    return value


def list_records(
    req: ApiRequest, records: Iterable[dict[str, Any]], rules: ListRules
) -> tuple[list[dict[str, Any]], dict[str, int] | None]:
    """Apply Xero's list rules to `records`; returns the page and the pagination object (None when unpaged)."""
    selected = list(records)
    if rules.archived is not None and not req.flag("includeArchived"):
        selected = [r for r in selected if not rules.archived(r)]
    for param, dotted in {"ids": rules.id_field, **rules.id_filters}.items():
        wanted = _csv(req.query.get(param))
        if wanted:
            lowered = {w.lower() for w in wanted}
            selected = [r for r in selected if str(field_value(r, dotted)).lower() in lowered]
    statuses = _csv(req.query.get("statuses"))
    if statuses and rules.status_field:
        selected = [r for r in selected if field_value(r, rules.status_field) in statuses]
    since_header = req.headers.get("If-Modified-Since")
    if since_header and rules.modified_field:
        since = _since(since_header)
        modified = rules.modified_field
        # Accurate to the second (REQRESP): a record changed within the same second is not "since".
        selected = [r for r in selected if _second(r.get(modified)) > since]
    where = req.query.get("where")
    if where:
        predicate = parse_where(where)
        selected = [r for r in selected if predicate(r)]
    order = req.query.get("order") or rules.default_order
    if order:
        selected = _ordered(selected, order)

    page = req.int_param("page") if rules.pageable else None
    if page is None:
        if rules.detail_fields:
            selected = [{k: v for k, v in r.items() if k not in rules.detail_fields} for r in selected]
        return selected, None
    size = min(req.int_param("pageSize") or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if page < 1 or size < 1:
        raise ValidationError(["page and pageSize must be positive"])
    count = len(selected)
    pagination = {"page": page, "pageSize": size, "pageCount": -(-count // size), "itemCount": count}
    return selected[(page - 1) * size : page * size], pagination


def _csv(value: str | None) -> list[str]:
    return [v.strip().strip('"') for v in value.split(",") if v.strip()] if value else []


def _since(header: str) -> datetime:
    try:
        return parse_if_modified_since(header)
    except ValueError as exc:
        raise ValidationError([f"The If-Modified-Since header '{header}' is not a valid date"]) from exc


def _second(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0)
    return datetime.min.replace(tzinfo=UTC)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float | Decimal):
        return (1, Decimal(str(value)))
    if isinstance(value, datetime):
        return (2, value.timestamp())
    if isinstance(value, date):
        return (2, datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())
    return (3, str(value).lower())


def _record_key(dotted: str, record: dict[str, Any]) -> tuple[int, Any]:
    return _sort_key(field_value(record, dotted))


def _ordered(records: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    keys = []
    for part in reversed([p.strip() for p in order.split(",") if p.strip()]):
        match = re.fullmatch(r"([\w.]+)(?:\s+(ASC|DESC))?", part, re.IGNORECASE)
        if not match:
            raise ValidationError([f"The order clause '{order}' is not valid"])
        keys.append((match.group(1), (match.group(2) or "ASC").upper() == "DESC"))
    ordered = list(records)
    for dotted, descending in keys:  # stable sorts, last key first
        ordered.sort(key=functools.partial(_record_key, dotted), reverse=descending)
    return ordered


# --- where ------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<op>==|!=|>=|<=|>|<|&&|\|\|)
    | (?P<paren>[(),])
    | (?P<word>[A-Za-z_][\w.]*)
    | (?P<number>-?\d+(?:\.\d+)?)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    position, found = 0, []
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValidationError([f"The where clause '{text}' could not be parsed"])
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return found


class _WhereParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def fail(self) -> ValidationError:
        return ValidationError([f"The where clause '{self.text}' could not be parsed"])

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.fail()
        self.at += 1
        return token

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise self.fail()

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.peek() is not None:
            raise self.fail()
        return predicate

    def disjunction(self) -> Predicate:
        terms = [self.conjunction()]
        while self.peek() in {("word", "OR"), ("word", "or"), ("op", "||")}:
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else (lambda r: any(t(r) for t in terms))

    def conjunction(self) -> Predicate:
        terms = [self.atom()]
        while self.peek() in {("word", "AND"), ("word", "and"), ("op", "&&")}:
            self.take()
            terms.append(self.atom())
        return terms[0] if len(terms) == 1 else (lambda r: all(t(r) for t in terms))

    def atom(self) -> Predicate:
        kind, value = self.take()
        if (kind, value) == ("paren", "("):
            inner = self.disjunction()
            self.expect(")")
            return inner
        if kind != "word":
            raise self.fail()
        for method in ("Contains", "StartsWith", "EndsWith"):
            if value.endswith(f".{method}"):
                return self.string_method(value[: -len(method) - 1], method)
        op_kind, op = self.take()
        if op_kind != "op" or op in {"&&", "||"}:
            raise self.fail()
        literal = self.literal()
        return _comparison(value, op, literal)

    def string_method(self, dotted: str, method: str) -> Predicate:
        self.expect("(")
        kind, raw = self.take()
        if kind != "string":
            raise self.fail()
        self.expect(")")
        needle = _unquote(raw).lower()
        checks: dict[str, Callable[[str], bool]] = {
            "Contains": lambda s: needle in s,
            "StartsWith": lambda s: s.startswith(needle),
            "EndsWith": lambda s: s.endswith(needle),
        }
        check = checks[method]
        return lambda r: check(str(field_value(r, dotted) or "").lower())

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return _unquote(value)
        if kind == "number":
            return Decimal(value)
        if kind == "word" and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        if kind == "word" and value.lower() == "null":
            return None
        if kind == "word" and value.lower() in {"guid", "datetime", "datetimeoffset"}:
            self.expect("(")
            args = []
            while True:
                arg_kind, arg = self.take()
                if arg_kind not in {"string", "number"}:
                    raise self.fail()
                args.append(arg)
                if self.take()[1] == ")":
                    break
            if value.lower() == "guid":
                return _unquote(args[0]).lower()
            try:
                if len(args) == 1:
                    return date.fromisoformat(_unquote(args[0])[:10])
                return date(*(int(a) for a in args[:3]))
            except ValueError as exc:
                raise self.fail() from exc
        raise self.fail()


def _unquote(token: str) -> str:
    return token[1:-1].replace('\\"', '"')


def _comparable(value: Any, literal: Any) -> tuple[Any, Any]:
    if isinstance(literal, date) and not isinstance(literal, datetime):
        if isinstance(value, datetime):
            return value.date(), literal
        return value, literal
    if isinstance(literal, Decimal) and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)), literal
    if isinstance(literal, str) and value is not None:
        return str(value).lower(), literal.lower()
    return value, literal


def _comparison(dotted: str, op: str, literal: Any) -> Predicate:
    def check(record: dict[str, Any]) -> bool:
        value, wanted = _comparable(field_value(record, dotted), literal)
        if op == "==":
            return bool(value == wanted)
        if op == "!=":
            return bool(value != wanted)
        if value is None or wanted is None:
            return False
        try:
            return bool({">": value > wanted, "<": value < wanted, ">=": value >= wanted, "<=": value <= wanted}[op])
        except TypeError:
            return False

    return check


def parse_where(text: str) -> Predicate:
    """A predicate over stored records for Xero's `where` parameter, or a 400 when it cannot be parsed."""
    return _WhereParser(text).parse()
