# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
.PHONY: run test lint bench setup

setup:
	@scripts/bootstrap

run: setup
	.venv/bin/python -m xero_simulator --host 127.0.0.1 --port 8790 --demo

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
