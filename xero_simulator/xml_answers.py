"""Xero answers XML unless the client asks for JSON (FACTS.md §1.8): the same answer, as XML.

A client that forgets `Accept: application/json` gets XML from Xero, so it gets XML here too and
fails in a test rather than in production. Element names follow Xero's XML: a `<Response>` root
and plural collections holding singular elements (`<Invoices><Invoice>`).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET


def wants_json(accept: str | None) -> bool:
    return bool(accept) and "json" in (accept or "").lower()


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, singular(element.tag)), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def json_to_xml(body: bytes) -> bytes:
    """Xero's XML form of a JSON answer body."""
    root = ET.Element("Response")
    _fill(root, json.loads(body))
    encoded: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return encoded
