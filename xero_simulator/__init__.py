"""A Xero simulator: identity, Accounting API, rate limits and webhooks on a real loopback HTTP server.

It exists so that every test, demo and benchmark of xero-sync runs against something that rejects
what Xero rejects. See docs/simulator.md for what it models and what it does not.
"""
