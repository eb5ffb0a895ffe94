"""The scheduled function: what runs on EventBridge's schedule (keep-alive today; reconciliation later)."""
