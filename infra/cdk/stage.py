"""A deployment's settings, read from CDK context (`cdk deploy -c stage=prod -c key=value`).

Every key is optional: `stage` defaults to dev. Only a stage named prod (or any stage deployed with
`-c retainData=true`) keeps its tables, keys and secrets when the stack is deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_logs as logs

# ResourceNames puts the stage in every resource name; SQS queue names stop at 80 characters.
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class ContextReader(Protocol):
    def try_get_context(self, key: str) -> Any: ...


class StageConfigError(ValueError):
    """A context value that cannot be deployed."""


@dataclass(frozen=True)
class StageConfig:
    """What differs between deployments; the names of resources come from shared/resources.py."""

    stage: str = "dev"
    retain_data: bool = False
    # The platform's return URLs a connect session may send the tenant back to (prefixes; empty refuses all).
    return_url_allowlist: tuple[str, ...] = ()
    # Space-separated OAuth scopes; None keeps the functions' default (functions/oauth_callback/settings.py).
    xero_scopes: str | None = None
    # A custom domain for the API (its ACM certificate in the stack's region); None uses execute-api's URL.
    domain_name: str | None = None
    certificate_arn: str | None = None
    # Where alarms are emailed; None leaves the topic without subscribers.
    alarm_email: str | None = None
    # The sync worker's concurrent invocations: bounds the whole app's pressure on Xero (shared/notes/aws.md §2.1).
    worker_max_concurrency: int = 5
    # The API stage's steady rate and burst (requests per second), for every route together.
    api_rate_limit: int = 50
    api_burst_limit: int = 100

    def __post_init__(self) -> None:
        if not _STAGE_NAME.match(self.stage):
            raise StageConfigError(f"stage {self.stage!r} must be lower case letters, digits and -, at most 20")
        if (self.domain_name is None) != (self.certificate_arn is None):
            raise StageConfigError("domainName and certificateArn go together")
        if not 2 <= self.worker_max_concurrency <= 1000:
            raise StageConfigError("workerMaxConcurrency must be between 2 and 1000 (Lambda's limits)")
        if self.xero_scopes is not None and "offline_access" not in self.xero_scopes.split():
            raise StageConfigError("xeroScopes must include offline_access, or no connection outlives 30 minutes")

    @classmethod
    def from_context(cls, node: ContextReader) -> StageConfig:
        """The settings given as context; a missing key keeps its default."""
        stage = _text(node, "stage") or "dev"
        retain = _flag(node, "retainData")
        allowlist = _text(node, "returnUrlAllowlist") or ""
        return cls(
            stage=stage,
            retain_data=stage == "prod" if retain is None else retain,
            return_url_allowlist=tuple(prefix.strip() for prefix in allowlist.split(",") if prefix.strip()),
            xero_scopes=_text(node, "xeroScopes"),
            domain_name=_text(node, "domainName"),
            certificate_arn=_text(node, "certificateArn"),
            alarm_email=_text(node, "alarmEmail"),
            worker_max_concurrency=_number(node, "workerMaxConcurrency", cls.worker_max_concurrency),
            api_rate_limit=_number(node, "apiRateLimit", cls.api_rate_limit),
            api_burst_limit=_number(node, "apiBurstLimit", cls.api_burst_limit),
        )

    @property
    def removal_policy(self) -> RemovalPolicy:
        """For what holds data (tables, keys, secrets): kept when the stack goes, unless the stage is disposable."""
        return RemovalPolicy.RETAIN if self.retain_data else RemovalPolicy.DESTROY

    @property
    def log_retention(self) -> logs.RetentionDays:
        return logs.RetentionDays.THREE_MONTHS if self.retain_data else logs.RetentionDays.TWO_WEEKS

    @property
    def key_pending_window(self) -> Duration:
        return Duration.days(30 if self.retain_data else 7)


def _text(node: ContextReader, key: str) -> str | None:
    value = node.try_get_context(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(node: ContextReader, key: str) -> bool | None:
    value = node.try_get_context(key)
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise StageConfigError(f"{key} must be true or false, not {value!r}")


def _number(node: ContextReader, key: str, default: int) -> int:
    value = node.try_get_context(key)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise StageConfigError(f"{key} must be a whole number, not {value!r}") from error
