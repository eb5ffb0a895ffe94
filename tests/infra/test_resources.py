"""The stack creates what the local stack creates on moto, with the names of shared/resources.py,
and deploys every function as the code is tested: Python 3.13 on x86_64, JSON logs, tracing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from infra.cdk.access import FUNCTION_ACCESS
from infra.cdk.app import build_app
from infra.cdk.stage import StageConfig, StageConfigError
from local_stack import resources as local
from local_stack.gateway import SERVICE_ROUTES
from shared.resources import STATE_TABLE_INDEX, TICK_CONCURRENCY, ResourceNames
from tests.infra.conftest import Synthesised, acknowledgements_of

FUNCTIONS = ("api", "oauth_callback", "webhook", "scheduled_sync", "sync_worker")


def _one(synthesised: Synthesised, resource_type: str, **properties: Any) -> dict[str, Any]:
    found = [
        r["Properties"]
        for r in synthesised.of_type(resource_type).values()
        if all(r["Properties"].get(key) == value for key, value in properties.items())
    ]
    assert len(found) == 1, f"{len(found)} {resource_type} with {properties}"
    one: dict[str, Any] = found[0]
    return one


def test_the_state_table_has_the_local_stacks_keys_index_ttl_and_point_in_time_recovery(dev: Synthesised) -> None:
    table = _one(dev, "AWS::DynamoDB::Table", TableName=ResourceNames("dev").state_table)

    assert table["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": local.TTL_ATTRIBUTE, "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    [index] = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == STATE_TABLE_INDEX
    assert [key["AttributeName"] for key in index["KeySchema"]] == ["gsi1pk", "gsi1sk"]
    assert index["Projection"] == {"ProjectionType": "ALL"}


def test_the_rate_budget_table_expires_its_items_by_ttl(dev: Synthesised) -> None:
    table = _one(dev, "AWS::DynamoDB::Table", TableName=ResourceNames("dev").rate_budget_table)

    assert table["TimeToLiveSpecification"] == {"AttributeName": local.TTL_ATTRIBUTE, "Enabled": True}
    assert "GlobalSecondaryIndexes" not in table


def test_the_work_queue_is_fifo_with_the_local_stacks_visibility_and_dead_letter_queue(dev: Synthesised) -> None:
    names = ResourceNames("dev")
    queues = dev.of_type("AWS::SQS::Queue")
    [dlq_id] = [
        logical for logical, r in queues.items() if r["Properties"]["QueueName"] == names.work_dead_letter_queue
    ]
    queue = _one(dev, "AWS::SQS::Queue", QueueName=names.work_queue)

    assert queue["FifoQueue"] is True
    assert queue["ContentBasedDeduplication"] is False
    assert queue["VisibilityTimeout"] == local.VISIBILITY_TIMEOUT_SECONDS
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": local.MAX_RECEIVE_COUNT,
    }
    assert queue["SqsManagedSseEnabled"] is True
    assert queues[dlq_id]["Properties"]["FifoQueue"] is True


def _id_of(dev: Synthesised, queue_name: str) -> str:
    [queue_id] = [q for q, r in dev.of_type("AWS::SQS::Queue").items() if r["Properties"]["QueueName"] == queue_name]
    return queue_id


def _mapping_of(dev: Synthesised, queue_name: str) -> dict[str, Any]:
    arn = {"Fn::GetAtt": [_id_of(dev, queue_name), "Arn"]}
    [mapping] = [
        r["Properties"]
        for r in dev.of_type("AWS::Lambda::EventSourceMapping").values()
        if r["Properties"]["EventSourceArn"] == arn
    ]
    found: dict[str, Any] = mapping
    return found


def test_the_sync_worker_consumes_the_queue_reporting_item_failures_at_bounded_concurrency(dev: Synthesised) -> None:
    mapping = _mapping_of(dev, ResourceNames("dev").work_queue)

    assert mapping["FunctionName"] == {"Ref": dev.function_id("sync_worker")}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == 10
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": StageConfig().worker_max_concurrency}


def test_the_watch_s_ticks_have_a_standard_queue_that_the_worker_consumes_and_alone_may_send_to(
    dev: Synthesised,
) -> None:
    names = ResourceNames("dev")
    dlq_id = _id_of(dev, names.tick_dead_letter_queue)
    queue = _one(dev, "AWS::SQS::Queue", QueueName=names.tick_queue)
    mapping = _mapping_of(dev, names.tick_queue)

    # A standard queue: only it delays one message (a FIFO queue delays the whole queue)
    assert "FifoQueue" not in queue
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": local.MAX_RECEIVE_COUNT,
    }
    assert queue["SqsManagedSseEnabled"] is True
    assert mapping["FunctionName"] == {"Ref": dev.function_id("sync_worker")}
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": TICK_CONCURRENCY}
    tick_arn = {"Fn::GetAtt": [_id_of(dev, names.tick_queue), "Arn"]}
    senders = {
        function
        for function in FUNCTION_ACCESS
        for statement in dev.role_statements(function)
        if "sqs:SendMessage" in statement["Action"] and tick_arn in _listed(statement["Resource"])
    }
    assert senders == {"sync_worker"}


def test_the_queue_outlasts_the_worker_so_lambda_accepts_the_mapping(dev: Synthesised) -> None:
    queue = _one(dev, "AWS::SQS::Queue", QueueName=ResourceNames("dev").work_queue)
    worker = dev.resources[dev.function_id("sync_worker")]["Properties"]

    assert queue["VisibilityTimeout"] >= worker["Timeout"]


def test_scheduled_sync_nudges_every_minute_and_keeps_alive_daily_from_rules_named_as_locally(
    dev: Synthesised,
) -> None:
    names = ResourceNames("dev")
    sync_due = _one(dev, "AWS::Events::Rule", Name=names.sync_due_schedule)
    keep_alive = _one(dev, "AWS::Events::Rule", Name=names.keep_alive_schedule)

    assert (sync_due["ScheduleExpression"], keep_alive["ScheduleExpression"]) == ("rate(1 minute)", "rate(1 day)")
    for rule in (sync_due, keep_alive):
        [target] = rule["Targets"]
        assert target["Arn"] == {"Fn::GetAtt": [dev.function_id("scheduled_sync"), "Arn"]}
    assert len(dev.of_type("AWS::Events::Rule")) == 2


def test_the_bus_secrets_and_key_have_the_stage_names(dev: Synthesised) -> None:
    names = ResourceNames("dev")
    [key_id] = [
        r["Properties"]["TargetKeyId"]["Fn::GetAtt"][0]
        for r in dev.of_type("AWS::KMS::Alias").values()
        if r["Properties"]["AliasName"] == names.tokens_key_alias
    ]

    _one(dev, "AWS::Events::EventBus", Name=names.event_bus)
    assert dev.resources[key_id]["Properties"]["EnableKeyRotation"] is True
    for secret_name in (names.xero_app_secret, names.webhook_key_secret):
        secret = _one(dev, "AWS::SecretsManager::Secret", Name=secret_name)
        assert secret["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert "SecretString" not in secret, "a secret's value is the operator's, never the template's"


def test_every_function_runs_python_313_on_x86_64_with_json_logs_tracing_and_limits(dev: Synthesised) -> None:
    for function in FUNCTIONS:
        properties = dev.resources[dev.function_id(function)]["Properties"]

        assert properties["Runtime"] == "python3.13"
        assert properties["Architectures"] == ["x86_64"]
        assert properties["Handler"] == f"functions.{function}.handler.lambda_handler"
        assert properties["TracingConfig"] == {"Mode": "Active"}
        assert properties["LoggingConfig"]["LogFormat"] == "JSON"
        assert "Ref" in properties["LoggingConfig"]["LogGroup"]
        assert properties["MemorySize"] >= 512
        assert 0 < properties["Timeout"] <= 180
        assert properties["Environment"]["Variables"]["STAGE"] == "dev"
        assert len(properties["Layers"]) == 1


def test_the_functions_behind_api_gateway_answer_within_its_30_second_limit(dev: Synthesised) -> None:
    for function in ("api", "oauth_callback", "webhook"):
        assert dev.resources[dev.function_id(function)]["Properties"]["Timeout"] < 30


def test_the_hosted_pages_know_their_public_url_and_it_is_the_apis(dev: Synthesised) -> None:
    [api_id] = dev.of_type("AWS::ApiGatewayV2::Api")
    for function in ("api", "oauth_callback"):
        variables = dev.resources[dev.function_id(function)]["Properties"]["Environment"]["Variables"]

        assert {"Ref": api_id} in variables["PUBLIC_BASE_URL"]["Fn::Join"][1]
        assert "RETURN_URL_ALLOWLIST" in variables


def test_the_http_api_has_exactly_the_local_gateways_routes_with_payload_2(dev: Synthesised) -> None:
    routes = {r["Properties"]["RouteKey"] for r in dev.of_type("AWS::ApiGatewayV2::Route").values()}
    integrations = dev.of_type("AWS::ApiGatewayV2::Integration").values()

    assert routes == {route.route_key for route in SERVICE_ROUTES}
    assert {i["Properties"]["PayloadFormatVersion"] for i in integrations} == {"2.0"}


def test_the_api_stage_is_throttled_and_logs_json_access_lines_without_query_strings(dev: Synthesised) -> None:
    [stage] = [r["Properties"] for r in dev.of_type("AWS::ApiGatewayV2::Stage").values()]

    assert stage["StageName"] == "$default"
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] == StageConfig().api_rate_limit
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == StageConfig().api_burst_limit
    fields = json.loads(stage["AccessLogSettings"]["Format"])
    assert "$context.path" in fields.values()
    assert not [value for value in fields.values() if "querystring" in value.lower() or "header" in value.lower()]


def test_the_outputs_give_the_urls_for_xeros_portal_and_the_names_to_fill_never_a_value(dev: Synthesised) -> None:
    outputs = dev.template["Outputs"]

    assert {
        "ApiUrl",
        "OAuthRedirectUri",
        "WebhookUrl",
        "EventBusName",
        "XeroAppSecretName",
        "WebhookKeySecretName",
    } <= set(outputs)
    assert outputs["OAuthRedirectUri"]["Value"]["Fn::Join"][1][-1].endswith("/oauth/callback")
    assert outputs["WebhookUrl"]["Value"]["Fn::Join"][1][-1].endswith("/webhooks/xero")
    assert outputs["XeroAppSecretName"]["Value"] == ResourceNames("dev").xero_app_secret
    rendered = json.dumps(outputs)
    assert "resolve:secretsmanager" not in rendered
    assert "SecretString" not in rendered


def test_every_optional_setting_synthesises_through_the_gate(tmp_path: Path) -> None:
    context = {
        "domainName": "xero.example.com",
        "certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x",
        "alarmEmail": "ops@example.com",
        "xeroScopes": "openid offline_access accounting.contacts",
        "returnUrlAllowlist": "https://app.example.com/xero/, https://admin.example.com/",
    }
    _, stack = build_app({"stage": "dev", **context}, outdir=str(tmp_path))

    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.com"})
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "XERO_SCOPES": "openid offline_access accounting.contacts",
                        "RETURN_URL_ALLOWLIST": "https://app.example.com/xero/,https://admin.example.com/",
                    }
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"PUBLIC_BASE_URL": "https://xero.example.com"})}},
    )
    template.has_resource_properties("AWS::ApiGatewayV2::ApiMapping", {"DomainName": Match.any_value()})
    template.has_output("CustomDomainTarget", Match.any_value())
    readme = (Path(__file__).resolve().parents[2] / "infra" / "cdk" / "README.md").read_text()
    assert {a.rule for a in acknowledgements_of(stack) if a.rule.split("[")[0] not in readme} == set()


@pytest.mark.parametrize(
    ("context", "problem"),
    [
        ({"stage": "Prod"}, "stage"),
        ({"domainName": "xero.example.com"}, "certificateArn"),
        ({"workerMaxConcurrency": "1"}, "workerMaxConcurrency"),
        ({"xeroScopes": "openid accounting.contacts"}, "offline_access"),
        ({"retainData": "maybe"}, "retainData"),
    ],
)
def test_a_context_value_that_cannot_be_deployed_is_refused_before_synthesis(
    context: dict[str, str], problem: str
) -> None:
    class Node:
        def try_get_context(self, key: str) -> str | None:
            return context.get(key)

    with pytest.raises(StageConfigError, match=problem):
        StageConfig.from_context(Node())


def test_only_prod_keeps_its_data_unless_told_otherwise() -> None:
    class Node:
        def __init__(self, **context: str) -> None:
            self._context = context

        def try_get_context(self, key: str) -> str | None:
            return self._context.get(key)

    assert StageConfig.from_context(Node(stage="prod")).retain_data is True
    assert StageConfig.from_context(Node(stage="dev")).retain_data is False
    assert StageConfig.from_context(Node(stage="staging", retainData="true")).retain_data is True


def test_no_resource_depends_on_itself_through_others(either: Synthesised) -> None:
    # CloudFormation refuses a circular dependency only at deploy time; the functions' PUBLIC_BASE_URL
    # names the API, whose routes name the functions.
    edges = {logical: _references(resource) & set(either.resources) for logical, resource in either.resources.items()}
    done: set[str] = set()
    while len(done) < len(edges):
        ready = {logical for logical, needs in edges.items() if logical not in done and needs <= done}
        assert ready, f"circular dependencies among {sorted(set(edges) - done)}"
        done |= ready


def _references(value: Any) -> set[str]:
    if isinstance(value, dict):
        found: set[str] = set()
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                found.add(item[0])
            elif key == "DependsOn":
                found |= set(_listed(item))
            else:
                found |= _references(item)
        return found
    if isinstance(value, list):
        return set().union(*(_references(item) for item in value)) if value else set()
    return set()


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
