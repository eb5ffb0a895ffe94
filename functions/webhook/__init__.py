"""The webhook function: Xero's deliveries at POST /webhooks/xero."""
