"""One tenant's calls to Xero during a push: its token, its organisation, its priority, its budget.

Every call goes through the rate-budgeted client (shared/usecases/rate_budgeted_xero.py), which
takes from the tenant's and the app's budgets first and raises MustWaitError instead of waiting.
A 401 or 403 is reported to the token custodian once, which turns a connection removed on
Xero's side into NEEDS_REAUTH; the push then stops with the records still pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.domain.rate_limits import Priority
from shared.ports.xero_accounting import XeroAnswer, XeroApiError, XeroRequest
from shared.usecases.rate_budgeted_xero import MustWaitError, RateBudgetedXero
from shared.usecases.token_custody import TokenCustodian

# Xero answers 401 to an expired or revoked token and 403 to a missing scope or tenant (FACTS.md §1.7).
_REJECTED = frozenset({401, 403})


class ConnectionRejectedError(Exception):
    """Xero refused the tenant's token: nothing more can be sent until the tenant reconnects."""


@dataclass
class TenantXero:
    tenant_id: str
    xero_tenant_id: str
    priority: Priority
    custodian: TokenCustodian
    xero: RateBudgetedXero
    calls: int = field(default=0)  # calls made (not those the budget held back)

    def call(self, request: XeroRequest) -> XeroAnswer:
        """Make one budgeted call for the tenant; raises as RateBudgetedXero.call does, and
        ConnectionRejectedError once Xero has refused the token."""
        access_token = self.custodian.access_token(self.tenant_id)
        try:
            answer = self.xero.call(access_token, self.xero_tenant_id, request, self.priority)
        except MustWaitError:
            raise  # the budget said wait: no call was made
        except XeroApiError as refused:
            self.calls += 1
            if refused.status in _REJECTED and not refused.insufficient_scope:
                self.custodian.report_rejected(self.tenant_id, refused.status, refused.detail)
                raise ConnectionRejectedError(refused.detail) from refused
            raise
        except Exception:
            self.calls += 1  # made, its answer lost or refused
            raise
        self.calls += 1
        return answer
