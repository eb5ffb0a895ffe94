# The two commands of the README: `make run` and `make test`. Each installs what it needs first.
.PHONY: run test lint bench setup openapi cdk-cli assets synth cdk-bootstrap diff deploy destroy

# The AWS CDK app (infra/cdk): which stage `make synth`, `make diff` and `make deploy` work on, and any
# further `cdk` arguments (for example CDK_ARGS="-c alarmEmail=ops@example.com").
STAGE ?= dev
CDK_ARGS ?=
CDK = cd infra/cdk && node_modules/.bin/cdk
# jsii (aws-cdk-lib's bridge to Node) warns at every start on this machine's Node 20.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = 20

setup:
	@scripts/bootstrap

run: setup
	.venv/bin/python -m local_stack

test: setup cdk-cli
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
# The sync from Xero: an organisation imported, 1,000 webhook events fetched, an idle tenant's calls an hour,
# and edit to event on the local stack (bench/sync_pull.py).
# Printed, and saved as JSON (and the push's chart as PNG) in bench/results/ (git-ignored).
bench: setup
	.venv/bin/python -m bench.webhook_latency
	.venv/bin/python -m bench.sync_push
	.venv/bin/python -m bench.sync_pull

# The pinned AWS CDK command line (infra/cdk/package-lock.json), installed by npm ci when the lock changes.
cdk-cli: infra/cdk/node_modules/.bin/cdk

infra/cdk/node_modules/.bin/cdk: infra/cdk/package.json infra/cdk/package-lock.json
	cd infra/cdk && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Build the Lambda assets (wheels for Lambda from uv.lock, each function's code) and print their sizes.
assets: setup
	.venv/bin/python -m infra.cdk.assets

# Synthesise the stack offline (cdk-nag's gate included), show what a deploy would change, deploy it.
synth: setup cdk-cli
	$(CDK) synth --quiet -c stage=$(STAGE) $(CDK_ARGS)

# Once per AWS account and region: the bucket and roles `cdk deploy` publishes assets with.
cdk-bootstrap: setup cdk-cli
	$(CDK) bootstrap -c stage=$(STAGE) $(CDK_ARGS)

diff: setup cdk-cli
	$(CDK) diff -c stage=$(STAGE) $(CDK_ARGS)

deploy: setup cdk-cli
	$(CDK) deploy -c stage=$(STAGE) $(CDK_ARGS)

# prod keeps its tables, keys and secrets (infra/cdk/README.md); other stages delete them.
destroy: setup cdk-cli
	$(CDK) destroy -c stage=$(STAGE) $(CDK_ARGS)
