"""Sending the platform's pending records to Xero (issue 4, §3): the sync worker's push."""
