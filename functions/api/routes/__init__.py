"""The platform API's routes, one Powertools Router per resource, mounted under /v1 by the handler."""
