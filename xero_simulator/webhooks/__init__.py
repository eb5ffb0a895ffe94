"""Xero's webhooks: change events batched per app, signed, delivered and retried, and Intent to Receive."""
