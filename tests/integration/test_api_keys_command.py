"""`python -m functions.api.api_keys create --name NAME` issues a key into a stage's table, printed once."""

from __future__ import annotations

import json

import boto3
import pytest

from functions.api.api_keys import main
from shared.adapters.dynamodb_state import DynamoDbState
from shared.usecases.api_keys import authenticate_api_key
from tests.integration.conftest import Stage


def issued_key(output: str) -> str:
    """The key is the last line the command prints."""
    return output.strip().splitlines()[-1]


def test_command_prints_a_key_the_stage_accepts(stage: Stage, capsys: pytest.CaptureFixture[str]) -> None:
    # When the operator creates a key for the stage
    assert main(["create", "--name", "platform backend"]) == 0
    key = issued_key(capsys.readouterr().out)
    # Then the key authenticates against the stage's table
    keys = DynamoDbState.for_table(stage.names.state_table).api_keys
    assert authenticate_api_key(keys, key) == key.split("_")[1]


def test_command_stores_no_part_of_the_secret(stage: Stage, capsys: pytest.CaptureFixture[str]) -> None:
    # When the operator creates a key
    main(["create", "--name", "platform backend"])
    secret = issued_key(capsys.readouterr().out).split("_", 2)[2]
    # Then nothing in the table holds the secret
    items = boto3.client("dynamodb").scan(TableName=stage.names.state_table)["Items"]
    assert items
    assert secret not in json.dumps(items)
