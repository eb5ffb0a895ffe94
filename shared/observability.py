"""The one place that owns Logger, Tracer and Metrics, and keeps secrets out of logs.

Tenant ids are log keys (cleared per invocation by `inject_lambda_context(clear_state=True)`),
never metric dimensions (docs/notes: high cardinality). Tokens, codes, verifiers, signatures and
secrets are erased from every log record by key, whatever the nesting, before it is written.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.logging.types import LogRecord

SERVICE = "xero-sync"
METRICS_NAMESPACE = "XeroSync"
REDACTED = "***"

# Keys whose values are secrets wherever they appear (compared lower-case, without - and _).
SECRET_KEYS = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "code",
        "codeverifier",
        "clientsecret",
        "authorization",
        "xxerosignature",
        "apikey",
        "xapikey",
        "token",
        "secret",
        "secretstring",
        "password",
        "webhookkey",
        "state",
        "session",
        "sessionid",
        "cookie",
    }
)
# Bearer tokens and JWTs that slip into free text.
_SECRET_TEXT = re.compile(r"(Bearer\s+)[A-Za-z0-9\-._~+/]+=*|eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")


def _normalised(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def redact(value: Any) -> Any:
    """A copy of `value` with secret-named keys erased and bearer tokens or JWTs masked in text."""
    if isinstance(value, dict):
        return {k: REDACTED if _normalised(str(k)) in SECRET_KEYS else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _SECRET_TEXT.sub(lambda m: (m.group(1) or "") + REDACTED, value)
    return value


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter that erases secrets first (Logger has no redaction of its own)."""

    def serialize(self, log: LogRecord) -> str:
        redacted: LogRecord = redact(log)
        return super().serialize(redacted)


# HTTP and AWS client libraries log URLs, headers and bodies at DEBUG and INFO (a redirect's code, a
# token request's form): they only speak here when something is wrong.
for _chatty in ("httpx", "httpcore", "botocore", "boto3", "urllib3"):
    logging.getLogger(_chatty).setLevel(logging.WARNING)

logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
