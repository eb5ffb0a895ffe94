"""Xero's OAuth scopes: the broad ones, the granular 2026 ones, and which of them open which endpoint.

Sources: FACTS.md §1.7 (the OAS security scheme, FAQ-GS, xero-mcp-server's V2 scopes, and the
secondary mapping of accounting.transactions onto granular scopes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

OPENID_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})

BROAD_SCOPES = frozenset(
    {
        "accounting.transactions",
        "accounting.transactions.read",
        "accounting.reports.read",
    }
)

GRANULAR_SCOPES = frozenset(
    {
        "accounting.invoices",
        "accounting.invoices.read",
        "accounting.payments",
        "accounting.payments.read",
        "accounting.banktransactions",
        "accounting.banktransactions.read",
        "accounting.manualjournals",
        "accounting.manualjournals.read",
        "accounting.classicexpenses",
        "accounting.classicexpenses.read",
        "accounting.reports.aged.read",
        "accounting.reports.balancesheet.read",
        "accounting.reports.banksummary.read",
        "accounting.reports.budgetsummary.read",
        "accounting.reports.executivesummary.read",
        "accounting.reports.profitandloss.read",
        "accounting.reports.trialbalance.read",
        "accounting.reports.taxreports.read",
    }
)

# Scopes that neither the 2026 change renamed nor split.
UNCHANGED_SCOPES = frozenset(
    {
        "accounting.settings",
        "accounting.settings.read",
        "accounting.contacts",
        "accounting.contacts.read",
        "accounting.attachments",
        "accounting.attachments.read",
        "accounting.budgets.read",
        "accounting.journals.read",
        "accounting.reports.tenninetynine.read",
        "paymentservices",
        "app.connections",
        "marketplace.billing",
    }
)

KNOWN_SCOPES = OPENID_SCOPES | BROAD_SCOPES | GRANULAR_SCOPES | UNCHANGED_SCOPES


class ScopeFamily(StrEnum):
    """What an endpoint touches; the method decides whether the read or the write scope is needed."""

    SETTINGS = "settings"
    CONTACTS = "contacts"
    INVOICES = "invoices"
    PAYMENTS = "payments"
    BANKTRANSACTIONS = "banktransactions"
    REPORT_AGED = "reports.aged"
    REPORT_BALANCESHEET = "reports.balancesheet"
    REPORT_PROFITANDLOSS = "reports.profitandloss"
    REPORT_TRIALBALANCE = "reports.trialbalance"


@dataclass(frozen=True)
class ScopeRule:
    write: frozenset[str]
    read: frozenset[str]


def _rule(broad: str | None, granular: str | None) -> ScopeRule:
    write = {s for s in (broad, granular) if s}
    read = {f"{s}.read" for s in write} | write
    return ScopeRule(write=frozenset(write), read=frozenset(read))


def _report_rule(granular: str) -> ScopeRule:
    read = frozenset({"accounting.reports.read", f"accounting.{granular}.read"})
    return ScopeRule(write=frozenset(), read=read)


RULES: dict[ScopeFamily, ScopeRule] = {
    ScopeFamily.SETTINGS: _rule("accounting.settings", None),
    ScopeFamily.CONTACTS: _rule("accounting.contacts", None),
    ScopeFamily.INVOICES: _rule("accounting.transactions", "accounting.invoices"),
    ScopeFamily.PAYMENTS: _rule("accounting.transactions", "accounting.payments"),
    ScopeFamily.BANKTRANSACTIONS: _rule("accounting.transactions", "accounting.banktransactions"),
    ScopeFamily.REPORT_AGED: _report_rule("reports.aged"),
    ScopeFamily.REPORT_BALANCESHEET: _report_rule("reports.balancesheet"),
    ScopeFamily.REPORT_PROFITANDLOSS: _report_rule("reports.profitandloss"),
    ScopeFamily.REPORT_TRIALBALANCE: _report_rule("reports.trialbalance"),
}


def allows(granted: frozenset[str] | set[str], family: ScopeFamily, *, write: bool) -> bool:
    """True when one of the granted scopes opens this family for reading or writing."""
    rule = RULES[family]
    return bool(granted & (rule.write if write else rule.read))


def refused_for_app(requested: set[str], *, granular_only: bool) -> set[str]:
    """The requested scopes this app may not ask for: unknown ones, and broad ones for post-2026 apps."""
    refused = {s for s in requested if s not in KNOWN_SCOPES}
    if granular_only:
        refused |= requested & BROAD_SCOPES
    return refused
