"""The OAuth callback function: the hosted authorise URL, Xero's redirect back, and the organisation picker."""
