"""Each function has a role of its own with exactly the calls its code makes, each on a named resource."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import botocore.session
from botocore import xform_name

from infra.cdk.access import FUNCTION_ACCESS
from tests.infra.conftest import Synthesised

REPO = Path(__file__).resolve().parents[2]
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# The services the adapters call, by boto3 name and IAM prefix.
SERVICES = {"dynamodb": "dynamodb", "secretsmanager": "secretsmanager", "sqs": "sqs", "events": "events"}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _flat(value: Any) -> str:
    """A template value as text: references as <Name>, joins joined."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_flat(part) for part in parts)
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    return str(value)


def _actions(synthesised: Synthesised, function: str) -> set[str]:
    return {action for s in synthesised.role_statements(function) for action in _listed(s["Action"])}


def _statements_with(synthesised: Synthesised, function: str, action: str) -> list[dict[str, Any]]:
    return [s for s in synthesised.role_statements(function) if action in _listed(s["Action"])]


def test_no_statement_grants_every_resource_except_x_rays_which_takes_none(either: Synthesised) -> None:
    for function in FUNCTION_ACCESS:
        for statement in either.role_statements(function):
            if "*" in _listed(statement["Resource"]):
                assert set(_listed(statement["Action"])) <= XRAY, f"{function}: {statement}"


def test_no_statement_grants_a_wildcard_action(either: Synthesised) -> None:
    for function in FUNCTION_ACCESS:
        assert not [action for action in _actions(either, function) if "*" in action], function


def test_each_function_has_a_role_of_its_own_without_managed_policies(dev: Synthesised) -> None:
    roles = {dev.resources[dev.function_id(f)]["Properties"]["Role"]["Fn::GetAtt"][0] for f in FUNCTION_ACCESS}

    assert len(roles) == len(FUNCTION_ACCESS)
    for role in roles:
        assert "ManagedPolicyArns" not in dev.resources[role]["Properties"]


def test_token_secrets_are_granted_by_their_name_prefix_and_nothing_wider(prod: Synthesised) -> None:
    prefix = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:xero-sync-prod/tokens/*"
    for function in ("api", "oauth_callback", "scheduled_sync", "sync_worker"):
        [statement] = _statements_with(prod, function, "secretsmanager:PutSecretValue")

        assert [_flat(resource) for resource in _listed(statement["Resource"])] == [prefix]


def test_only_the_oauth_callback_creates_token_secrets_and_only_the_api_deletes_them(dev: Synthesised) -> None:
    creators = {f for f in FUNCTION_ACCESS if "secretsmanager:CreateSecret" in _actions(dev, f)}
    deleters = {f for f in FUNCTION_ACCESS if "secretsmanager:DeleteSecret" in _actions(dev, f)}

    assert creators == {"oauth_callback"}
    assert deleters == {"api"}


def test_the_webhook_reads_only_the_webhook_key_and_never_a_token(dev: Synthesised) -> None:
    [key_secret] = [
        logical
        for logical, r in dev.of_type("AWS::SecretsManager::Secret").items()
        if r["Properties"]["Name"] == "xero-sync-dev/xero-webhook-key"
    ]
    secret_statements = [
        s for s in dev.role_statements("webhook") if any(a.startswith("secretsmanager:") for a in _listed(s["Action"]))
    ]

    assert [(s["Action"], s["Resource"]) for s in secret_statements] == [
        ("secretsmanager:GetSecretValue", {"Ref": key_secret})
    ]


def test_only_keep_alive_scans_the_state_table(dev: Synthesised) -> None:
    assert {f for f in FUNCTION_ACCESS if "dynamodb:Scan" in _actions(dev, f)} == {"scheduled_sync"}


def test_dynamodb_actions_name_the_two_tables_or_the_state_tables_index(dev: Synthesised) -> None:
    tables = set(dev.of_type("AWS::DynamoDB::Table"))
    for function in FUNCTION_ACCESS:
        for statement in dev.role_statements(function):
            if any(a.startswith("dynamodb:") for a in _listed(statement["Action"])):
                text = _flat(statement["Resource"])
                assert re.fullmatch(r"<(\w+)\.Arn>(/index/gsi1)?", text), text
                assert text[1:].split(".")[0] in tables


def test_the_tokens_key_is_used_only_through_secrets_manager_for_the_granted_secrets(prod: Synthesised) -> None:
    for function in FUNCTION_ACCESS:
        [statement] = _statements_with(prod, function, "kms:Decrypt")
        secret_arns = [
            _flat(arn)
            for s in prod.role_statements(function)
            if "secretsmanager:GetSecretValue" in _listed(s["Action"])
            for arn in _listed(s["Resource"])
        ]

        via = _flat(statement["Condition"]["StringEquals"]["kms:ViaService"])
        assert via == "secretsmanager.eu-west-1.<AWS::URLSuffix>"
        allowed = [_flat(arn) for arn in statement["Condition"]["StringLike"]["kms:EncryptionContext:SecretARN"]]
        assert sorted(allowed) == sorted(secret_arns)


def test_only_functions_that_write_secrets_may_make_data_keys(dev: Synthesised) -> None:
    makers = {f for f in FUNCTION_ACCESS if "kms:GenerateDataKey" in _actions(dev, f)}
    writers = {f for f in FUNCTION_ACCESS if "secretsmanager:PutSecretValue" in _actions(dev, f)}

    assert makers == writers


def test_every_aws_operation_the_adapters_make_is_granted_to_some_function(dev: Synthesised) -> None:
    granted = set().union(*(_actions(dev, f) for f in FUNCTION_ACCESS))

    missing = _adapter_operations() - granted

    assert missing == set(), f"add these to infra/cdk/access.py for the functions that call them: {missing}"


def test_the_scan_of_adapters_finds_operations_it_should() -> None:
    assert {"dynamodb:GetItem", "dynamodb:PutItem", "sqs:SendMessage", "events:PutEvents"} <= _adapter_operations()


def _adapter_operations() -> set[str]:
    """The IAM action of every boto3 operation named in shared/adapters (a method call or a paginator's
    name), plus GetSecretValue for Powertools' SecretsProvider."""
    text = "\n".join(path.read_text() for path in sorted((REPO / "shared" / "adapters").glob("*.py")))
    session = botocore.session.get_session()
    found: set[str] = set()
    for service, prefix in SERVICES.items():
        for operation in session.get_service_model(service).operation_names:
            if re.search(rf"[.\"']{xform_name(operation)}[(\"']", text):
                found.add(f"{prefix}:{operation}")
    # TransactWriteItems is authorised per item: the rate budget's items are conditional puts.
    if "dynamodb:TransactWriteItems" in found:
        found = (found - {"dynamodb:TransactWriteItems"}) | {"dynamodb:PutItem"}
    # SQS authorises its batch calls as the single call: SendMessageBatch is sqs:SendMessage (there is no
    # IAM action sqs:SendMessageBatch).
    batched = {operation for operation in found if operation.startswith("sqs:") and operation.endswith("Batch")}
    found = (found - batched) | {operation.removesuffix("Batch") for operation in batched}
    if "SecretsProvider" in text:
        found.add("secretsmanager:GetSecretValue")
    return found
