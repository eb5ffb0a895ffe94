"""`python -m functions.api.api_keys create --name NAME`: issue a platform API key for a deployed stage.

Run by an operator with AWS credentials for the account (the usual boto3 environment: AWS_PROFILE or
keys, AWS_REGION; AWS_ENDPOINT_URL for the local stack). The stage is STAGE or `--stage`. The key
is printed once and never stored: the table keeps only the SHA-256 of its secret part.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from shared.adapters.dynamodb_state import DynamoDbState
from shared.clock import SystemClock
from shared.resources import ResourceNames
from shared.settings import FunctionSettings
from shared.usecases.api_keys import create_api_key


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m functions.api.api_keys", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="issue a new key and print it (once)")
    create.add_argument("--name", required=True, help="who the key is for, e.g. the platform's backend")
    create.add_argument("--stage", help="the stage whose table holds the key (default: STAGE, else dev)")
    arguments = parser.parse_args(argv)

    settings = FunctionSettings()
    names = ResourceNames(arguments.stage) if arguments.stage else settings.names
    keys = DynamoDbState.for_table(names.state_table, region_name=settings.aws_region).api_keys
    issued = create_api_key(keys, arguments.name, SystemClock().now())
    sys.stdout.write(
        f"Created API key {issued.key_id} ({arguments.name}) in {names.state_table}.\n"
        "Send it in the x-api-key header. It is shown only now; store it in the platform's secrets:\n"
        f"{issued.key}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
