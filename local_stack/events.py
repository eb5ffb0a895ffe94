"""Lambda events shaped exactly as AWS sends them, and a Lambda context stand-in.

The local gateway, the SQS poller, the scheduler and the integration tests all build their events
here, so a handler sees locally what it sees in AWS:

- API Gateway HTTP API, payload format 2.0: lower-cased headers with duplicates joined by commas,
  the Cookie header moved into `cookies`, URL-decoded `queryStringParameters` with duplicates joined
  by commas, and the body base64-encoded unless its content type is text-like. HTTP APIs have no
  binaryMediaTypes setting; checked against real AWS, only text/*, application/json,
  application/xml and application/javascript arrive as text; everything else, including a missing
  Content-Type and application/x-www-form-urlencoded (HTML form posts), arrives base64-encoded
  (ministackorg/ministack PR #766; middyjs/middy PR #603 shows a form post arriving base64-encoded).
- SQS event source mapping: records with string attributes, camel-cased message attributes and
  binary values base64-encoded.
- EventBridge scheduled rule: "detail-type" "Scheduled Event", source "aws.events", the rule's
  ARN in `resources`, an empty `detail`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.utilities.typing import LambdaContext

# moto's default account, so ARNs built here match the ones moto returns.
ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "eu-west-1"
LOCAL_API_ID = "local0api1"

_TEXT_CONTENT_TYPES = frozenset({"application/json", "application/xml", "application/javascript"})

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


def is_text_content_type(content_type: str | None) -> bool:
    """Whether an HTTP API passes a request body of this content type to Lambda as text (else base64)."""
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in _TEXT_CONTENT_TYPES


def http_api_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: Headers = (),
    body: bytes | str | None = None,
    route_key: str = "$default",
    path_parameters: Mapping[str, str] | None = None,
    source_ip: str = "127.0.0.1",
    domain_name: str = f"{LOCAL_API_ID}.execute-api.{DEFAULT_REGION}.amazonaws.com",
    api_id: str = LOCAL_API_ID,
    force_base64: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API payload format 2.0 event for one request.

    `query` is the raw query string (without "?"), `headers` a mapping or a list of (name, value)
    pairs (repeat a name to send it twice). A Cookie header becomes the `cookies` list, as API
    Gateway does. `route_key` is "$default" or "METHOD /path" as the matched route says;
    `force_base64` encodes even a text body, to prove a handler decodes what it is given.
    """
    at = now or datetime.now(UTC)
    joined = _joined_headers(headers)
    cookies = [part.strip() for part in joined.pop("cookie", "").split(";") if part.strip()]
    joined.setdefault("host", domain_name)
    joined.setdefault("x-forwarded-for", source_ip)
    joined.setdefault("x-forwarded-proto", "https")
    joined.setdefault("x-amzn-trace-id", f"Root=1-{int(at.timestamp()):08x}-{secrets.token_hex(12)}")
    raw_body = body.encode() if isinstance(body, str) else body
    if raw_body is not None:
        joined.setdefault("content-length", str(len(raw_body)))
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": joined,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": api_id,
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".", 1)[0],
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": base64.b64encode(secrets.token_bytes(10)).decode(),
            "routeKey": route_key,
            "stage": "$default",
            "time": at.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(at.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    parameters = _joined_query(query)
    if parameters:
        event["queryStringParameters"] = parameters
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if raw_body is not None:
        if force_base64 or not is_text_content_type(joined.get("content-type")):
            event["body"] = base64.b64encode(raw_body).decode()
            event["isBase64Encoded"] = True
        else:
            event["body"] = raw_body.decode()
    return event


def _joined_headers(headers: Headers) -> dict[str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    joined: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        # Payload 2.0 has no multiValueHeaders: repeated headers are joined with commas.
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    return joined


def _joined_query(query: str) -> dict[str, str]:
    joined: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def queue_arn(queue_name: str, region: str = DEFAULT_REGION) -> str:
    """The ARN of an SQS queue of the local account."""
    return f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{queue_name}"


def sqs_record(
    body: str,
    *,
    source_arn: str,
    message_group_id: str | None = None,
    deduplication_id: str | None = None,
    receive_count: int = 1,
    message_attributes: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One record of an SQS event, as Lambda's event source mapping delivers a freshly sent message.

    Message attributes given here are String attributes. A FIFO record (with a group id) carries the
    group, deduplication id and sequence number that FIFO queues add.
    """
    at_ms = str(int((now or datetime.now(UTC)).timestamp() * 1000))
    attributes = {
        "ApproximateReceiveCount": str(receive_count),
        "SentTimestamp": at_ms,
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "ApproximateFirstReceiveTimestamp": at_ms,
    }
    if message_group_id is not None:
        attributes["MessageGroupId"] = message_group_id
        attributes["MessageDeduplicationId"] = deduplication_id or hashlib.sha256(body.encode()).hexdigest()
        attributes["SequenceNumber"] = str(time.time_ns())
    return {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": base64.b64encode(secrets.token_bytes(48)).decode(),
        "body": body,
        "attributes": attributes,
        "messageAttributes": {
            name: _message_attribute({"DataType": "String", "StringValue": value})
            for name, value in (message_attributes or {}).items()
        },
        "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": source_arn,
        "awsRegion": source_arn.split(":")[3],
    }


def sqs_record_from_message(message: Mapping[str, Any], *, source_arn: str) -> dict[str, Any]:
    """The event record Lambda builds from one message of an SQS ReceiveMessage answer (boto3 shape).

    Receive the message with AttributeNames=["All"] and MessageAttributeNames=["All"] so the
    record carries everything Lambda passes on.
    """
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _message_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": source_arn,
        "awsRegion": source_arn.split(":")[3],
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    attribute: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return attribute


def sqs_event(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An SQS event carrying the given records (one batch of an event source mapping)."""
    return {"Records": [dict(record) for record in records]}


def rule_arn(rule_name: str, *, event_bus: str = "default", region: str = DEFAULT_REGION) -> str:
    """The ARN of an EventBridge rule; a rule on the default bus has no bus segment, as in AWS."""
    bus = "" if event_bus == "default" else f"{event_bus}/"
    return f"arn:aws:events:{region}:{ACCOUNT_ID}:rule/{bus}{rule_name}"


def scheduled_event(rule: str, *, now: datetime | None = None, region: str = DEFAULT_REGION) -> dict[str, Any]:
    """The event an EventBridge schedule rule sends its target; `rule` is the rule's ARN."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule],
        "detail": {},
    }


class LocalLambdaContext(LambdaContext):
    """A Lambda context for one local invocation: the fields Powertools reads and a real deadline.

    `get_remaining_time_in_millis` counts down from `timeout_seconds` after construction, so
    code that budgets its work against the deadline behaves as in Lambda.
    """

    def __init__(
        self,
        function_name: str,
        *,
        memory_limit_in_mb: int = 256,
        timeout_seconds: float = 30.0,
        region: str = DEFAULT_REGION,
    ) -> None:
        self._function_name = function_name
        self._function_version = "$LATEST"
        self._invoked_function_arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{function_name}"
        self._memory_limit_in_mb = memory_limit_in_mb
        self._aws_request_id = str(uuid.uuid4())
        self._log_group_name = f"/aws/lambda/{function_name}"
        self._log_stream_name = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{secrets.token_hex(16)}"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]
        """Milliseconds left before this invocation's deadline (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
