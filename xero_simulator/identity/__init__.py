"""Xero's identity service: OAuth 2.0 authorisation, tokens, revocation and connections."""
