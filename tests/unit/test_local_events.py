"""The local stack's events have the shapes AWS sends: Powertools' own models and data classes parse them."""

from __future__ import annotations

import base64
import json
import time

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2, EventBridgeEvent, SQSEvent
from aws_lambda_powertools.utilities.parser import envelopes, parse
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventV2Model,
    EventBridgeModel,
    SqsModel,
)
from pydantic import BaseModel

from tests.events import (
    LocalLambdaContext,
    http_api_event,
    queue_arn,
    rule_arn,
    scheduled_event,
    sqs_event,
    sqs_record,
    sqs_record_from_message,
)


class _Greeting(BaseModel):
    hello: str


def test_http_api_event_parses_with_the_powertools_model() -> None:
    # Given a JSON POST with a query string and a path parameter
    event = http_api_event(
        "POST",
        "/v1/tenants/t-1",
        query="a=1",
        headers={"Content-Type": "application/json"},
        body='{"hello": "world"}',
        route_key="POST /v1/tenants/{tenant_id}",
        path_parameters={"tenant_id": "t-1"},
    )

    # When Powertools parses it
    parsed = APIGatewayProxyEventV2Model.model_validate(event)

    # Then every part is where payload format 2.0 puts it
    assert parsed.version == "2.0"
    assert parsed.routeKey == "POST /v1/tenants/{tenant_id}"
    assert parsed.requestContext.http.method == "POST"
    assert parsed.requestContext.stage == "$default"
    assert parsed.pathParameters == {"tenant_id": "t-1"}
    assert parsed.body == '{"hello": "world"}'
    assert parsed.isBase64Encoded is False


def test_json_body_arrives_as_text_through_the_api_gateway_envelope() -> None:
    # Given a JSON body
    event = http_api_event("POST", "/v1/x", headers={"content-type": "application/json"}, body='{"hello": "world"}')

    # When Powertools parses the body through the HTTP API envelope
    greeting = parse(event=event, model=_Greeting, envelope=envelopes.ApiGatewayV2Envelope)

    # Then the body is the JSON sent
    assert isinstance(greeting, _Greeting)
    assert greeting.hello == "world"


def test_form_post_body_arrives_base64_encoded_as_http_apis_deliver_it() -> None:
    # Given an HTML form post (HTTP APIs base64-encode application/x-www-form-urlencoded)
    event = http_api_event(
        "POST", "/oauth/pick", headers={"content-type": "application/x-www-form-urlencoded"}, body="org=abc"
    )

    # When the data class decodes it
    decoded = APIGatewayProxyEventV2(event).decoded_body

    # Then the event was encoded and decodes to the form
    assert event["isBase64Encoded"] is True
    assert decoded == "org=abc"


def test_body_without_content_type_arrives_base64_encoded() -> None:
    # Given a body with no Content-Type header
    event = http_api_event("POST", "/webhooks/xero", body=b"\x00\x01raw")

    # Then it is base64-encoded, as HTTP APIs treat it as binary
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01raw"


def test_force_base64_encodes_even_a_json_body() -> None:
    # Given a JSON body and the flag that forces base64
    event = http_api_event(
        "POST", "/webhooks/xero", headers={"content-type": "application/json"}, body="{}", force_base64=True
    )

    # Then the body is encoded and decodes back to the JSON
    assert event["isBase64Encoded"] is True
    assert APIGatewayProxyEventV2(event).decoded_body == "{}"


def test_repeated_headers_are_lower_cased_and_joined_with_commas() -> None:
    # Given a header sent twice with mixed case
    event = http_api_event("GET", "/v1/x", headers=[("X-Thing", "a"), ("x-thing", "b")])

    # Then payload 2.0 has one lower-cased header with both values
    assert event["headers"]["x-thing"] == "a,b"


def test_cookie_header_becomes_the_cookies_list() -> None:
    # Given a Cookie header with two cookies
    event = http_api_event("GET", "/oauth/callback", headers={"Cookie": "a=1; b=2"})

    # Then the cookies are a list and the header is gone, as in payload 2.0
    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]


def test_repeated_query_parameters_are_decoded_and_joined_with_commas() -> None:
    # Given a query string with a repeated, percent-encoded parameter
    event = http_api_event("GET", "/v1/x", query="tag=a%20b&tag=c&single=1")

    # Then the raw string is kept and the parameters are decoded and joined
    assert event["rawQueryString"] == "tag=a%20b&tag=c&single=1"
    assert APIGatewayProxyEventV2(event).query_string_parameters == {"tag": "a b,c", "single": "1"}


def test_get_without_query_has_no_query_parameters_or_body() -> None:
    # Given a bare GET
    event = http_api_event("GET", "/_platform/return")

    # Then the optional fields are absent, as API Gateway leaves them out
    assert "queryStringParameters" not in event
    assert "body" not in event


def test_fifo_sqs_record_parses_with_the_powertools_model() -> None:
    # Given a record of a FIFO queue with a message attribute
    record = sqs_record(
        '{"job": 1}',
        source_arn=queue_arn("work.fifo"),
        message_group_id="tenant-1",
        deduplication_id="d-1",
        message_attributes={"correlation_id": "c-1"},
    )

    # When Powertools parses the event
    parsed = SqsModel.model_validate(sqs_event([record]))

    # Then the FIFO attributes and the message attribute are there
    only = parsed.Records[0]
    assert only.attributes.MessageGroupId == "tenant-1"
    assert only.attributes.MessageDeduplicationId == "d-1"
    assert only.messageAttributes["correlation_id"].stringValue == "c-1"
    assert only.eventSourceARN.endswith(":work.fifo")


def test_sqs_record_from_a_received_message_keeps_attributes_and_binary_values() -> None:
    # Given a message as boto3's ReceiveMessage returns it
    message = {
        "MessageId": "m-1",
        "ReceiptHandle": "rh-1",
        "Body": "hello",
        "MD5OfBody": "5d41402abc4b2a76b9719d911017c592",
        "Attributes": {
            "ApproximateReceiveCount": "2",
            "SentTimestamp": "1700000000000",
            "SenderId": "AIDA",
            "ApproximateFirstReceiveTimestamp": "1700000000001",
            "MessageGroupId": "g",
            "MessageDeduplicationId": "d",
            "SequenceNumber": "1",
        },
        "MessageAttributes": {"blob": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}},
    }

    # When it becomes an event record and the data class reads it
    record = SQSEvent(sqs_event([sqs_record_from_message(message, source_arn=queue_arn("q.fifo"))]))
    only = next(iter(record.records))

    # Then Lambda's names and encodings are used
    assert only.receipt_handle == "rh-1"
    assert only.attributes.approximate_receive_count == "2"
    blob = only.message_attributes["blob"]
    assert blob is not None
    assert blob.binary_value == base64.b64encode(b"\x01\x02").decode()
    assert SqsModel.model_validate(record.raw_event).Records[0].attributes.MessageGroupId == "g"


def test_scheduled_event_parses_with_the_powertools_model() -> None:
    # Given a scheduled event of a rule
    arn = rule_arn("xero-sync-local-keep-alive")
    event = scheduled_event(arn)

    # When Powertools parses it
    parsed = EventBridgeModel.model_validate(event)

    # Then it is EventBridge's scheduled event shape
    assert parsed.detail_type == "Scheduled Event"
    assert parsed.source == "aws.events"
    assert parsed.resources == [arn]
    assert parsed.detail == {}
    assert EventBridgeEvent(event).detail_type == "Scheduled Event"


def test_scheduled_event_is_json_serialisable() -> None:
    # Given a scheduled event
    event = scheduled_event(rule_arn("r"))

    # Then it round-trips through JSON as EventBridge delivers it
    assert json.loads(json.dumps(event)) == event


def test_lambda_context_counts_down_to_its_deadline() -> None:
    # Given a context with a short timeout
    context = LocalLambdaContext("api", timeout_seconds=0.2)
    first = context.get_remaining_time_in_millis()

    # When time passes beyond the deadline
    time.sleep(0.25)

    # Then the remaining time fell to zero and never below
    assert 0 < first <= 200
    assert context.get_remaining_time_in_millis() == 0


def test_lambda_context_carries_what_the_powertools_logger_reads() -> None:
    # Given a context
    context = LocalLambdaContext("webhook", memory_limit_in_mb=512)

    # Then it names the function, its ARN, memory and a request id
    assert context.function_name == "webhook"
    assert context.invoked_function_arn.endswith(":function:webhook")
    assert context.memory_limit_in_mb == 512
    assert len(context.aws_request_id) == 36
