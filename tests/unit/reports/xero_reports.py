"""Xero's answers as the Accounting API gives them (FACTS.md §4.12, the spec's examples): a Profit and
Loss, an aged receivables report, invoices and bank transactions, for the reports' unit tests."""

from __future__ import annotations

from typing import Any

SALES_ACCOUNT = "5040915e-8ce7-4177-8d08-fde416232f18"


def cell(value: str, **attributes: str) -> dict[str, Any]:
    found: dict[str, Any] = {"Value": value}
    if attributes:
        found["Attributes"] = [{"Id": key, "Value": val} for key, val in attributes.items()]
    return found


def profit_and_loss(income: str = "1000.00", expenses: str = "250.00", net: str = "750.00") -> dict[str, Any]:
    return {
        "Reports": [
            {
                "ReportID": "ProfitAndLoss",
                "ReportName": "Profit and Loss",
                "ReportType": "ProfitAndLoss",
                "ReportTitles": ["Profit & Loss", "Demo Company (AU)", "1 October 2026 to 31 October 2026"],
                "ReportDate": "5 January 2026",
                "UpdatedDateUTC": "/Date(1767603600000)/",
                "Fields": [],
                "Rows": [
                    {"RowType": "Header", "Cells": [cell(""), cell("31 Oct 26")]},
                    {
                        "RowType": "Section",
                        "Title": "Income",
                        "Rows": [
                            {"RowType": "Row", "Cells": [cell("Sales", account=SALES_ACCOUNT), cell(income)]},
                            {"RowType": "SummaryRow", "Cells": [cell("Total Income"), cell(income)]},
                        ],
                    },
                    {
                        "RowType": "Section",
                        "Title": "Less Operating Expenses",
                        "Rows": [
                            {"RowType": "Row", "Cells": [cell("Rent"), cell(expenses)]},
                            {"RowType": "SummaryRow", "Cells": [cell("Total Operating Expenses"), cell(expenses)]},
                        ],
                    },
                    {
                        "RowType": "Section",
                        "Title": "",
                        "Rows": [{"RowType": "Row", "Cells": [cell("Net Profit"), cell(net)]}],
                    },
                ],
            }
        ]
    }


def aged_receivables(number: str = "1042", due: str = "150.00") -> dict[str, Any]:
    tag = {"invoiceID": "ca0483ce-fa43-4335-8512-751e655337b8"}
    return {
        "Reports": [
            {
                "ReportName": "Aged Receivables By Contact",
                "ReportType": "AgedReceivablesByContact",
                "ReportTitles": ["Invoices", "Bayside Cafe", "From 1 October 2026 to 5 January 2026"],
                "ReportDate": "5 January 2026",
                "Rows": [
                    {
                        "RowType": "Header",
                        "Cells": [
                            cell(v) for v in ("Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due")
                        ],
                    },
                    {
                        "RowType": "Section",
                        "Title": "",
                        "Rows": [
                            {
                                "RowType": "Row",
                                "Cells": [
                                    cell(v, **tag)
                                    for v in (
                                        "2026-10-01T00:00:00",
                                        number,
                                        "2026-10-15T00:00:00",
                                        "82 days overdue",
                                        due,
                                        "0.00",
                                        "0.00",
                                        due,
                                    )
                                ],
                            },
                            {
                                "RowType": "SummaryRow",
                                "Cells": [cell(v) for v in ("Total", "", "", "", due, "0.00", "0.00", due)],
                            },
                        ],
                    },
                ],
            }
        ]
    }


def invoice(xero_id: str, status: str = "AUTHORISED", amount_due: float = 110.0) -> dict[str, Any]:
    return {
        "Invoices": [
            {"InvoiceID": xero_id, "Type": "ACCREC", "Status": status, "AmountDue": amount_due, "Total": 110.0}
        ]
    }


def bank_transaction(
    transaction_id: str,
    total: float,
    on: str = "2026-01-02",
    *,
    kind: str = "RECEIVE",
    account_code: str = "090",
    reference: str | None = None,
    reconciled: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "BankTransactionID": transaction_id,
        "Type": kind,
        "Status": "AUTHORISED",
        "Date": f"{on}T00:00:00",
        "Total": total,
        "CurrencyCode": "AUD",
        "BankAccount": {
            "AccountID": "bd9e85e0-0478-433d-ae9f-0b3c4f04bfe4",
            "Code": account_code,
            "Name": "Business Bank",
        },
        "Contact": {"ContactID": "c1", "Name": "Bayside Cafe"},
        "IsReconciled": reconciled,
    }
    if reference is not None:
        element["Reference"] = reference
    return element
