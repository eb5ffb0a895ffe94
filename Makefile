# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
.PHONY: run test lint bench setup openapi

setup:
	@scripts/bootstrap

run: setup
	.venv/bin/python -m local_stack

test: setup
	scripts/install-chromium
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .
	.venv/bin/pytest -n 2

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .

# Regenerate docs/openapi.json from the platform API's routes (a unit test fails when it is stale).
openapi: setup
	.venv/bin/python -m functions.api.openapi

# Figures, not tests: webhook latency in process against moto, and each handler module's import time;
# the push to the Xero simulator with Xero's limits (one tenant's 11,100 records, then ten tenants at once).
# Printed, and saved as JSON (and the push's chart as PNG) in bench/results/ (git-ignored).
bench: setup
	.venv/bin/python -m bench.webhook_latency
	.venv/bin/python -m bench.sync_push
