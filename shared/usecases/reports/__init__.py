"""Reports and actions through the platform API (issue 5 §5): a tenant's financial reports read from
Xero, marking an invoice or bill paid, and the bank transactions no platform record accounts for.
Every call goes to Xero through the tenant's rate budget at a user's priority (tenant_calls.py)."""
