"""The whole service on loopback: moto, the stage's resources, the Xero simulator, gateway, poller and scheduler.

Start order matters: moto first, and the environment pointing at it, before any boto3 client
exists; the functions' environment (their settings) before the gateway serves a request, because a
function reads its settings and composes its adapters on its first invocation. Stop runs in
reverse, each part stopped even if another failed to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import httpx

from local_stack import functions
from local_stack.events import DEFAULT_REGION, rule_arn
from local_stack.functions import LocalFunction
from local_stack.gateway import PLATFORM_RETURN_PATH, GatewayServer, LocalGateway
from local_stack.moto_server import FAKE_CREDENTIALS, MotoServer
from local_stack.resources import StageResources, create_resources
from local_stack.scheduler import Scheduler
from local_stack.sqs_poller import EventSourceMapping, SqsPoller
from local_stack.work_consumer import WorkConsumer
from shared.resources import TICK_CONCURRENCY, ResourceNames
from xero_simulator.demo import DemoWorld, seed_demo
from xero_simulator.server import Simulator, SimulatorServer

_log = logging.getLogger(__name__)

Say = Callable[[str], None]


class StackStartError(Exception):
    """A part of the local stack could not start; the message says which and why."""


@contextmanager
def _starting(part: str) -> Iterator[None]:
    try:
        yield
    except StackStartError:
        raise
    except (Exception, SystemExit) as failure:  # werkzeug exits the process when a port is taken
        raise StackStartError(f"{part} could not start: {type(failure).__name__}: {failure}") from failure


@dataclass(frozen=True)
class StackSettings:
    """Ports, stage and event-source settings of one local stack (port 0 picks a free port)."""

    stage: str = "local"
    host: str = "127.0.0.1"
    gateway_port: int = 8780
    moto_port: int = 8781
    simulator_port: int = 8790
    region: str = DEFAULT_REGION
    sync_due_seconds: float = 60.0
    keep_alive_seconds: float = 86_400.0
    batch_size: int = 10
    maximum_concurrency: int = 2
    functions_log_level: str = "WARNING"


class LocalStack:
    """Starts and stops every part; after start() its attributes say where each part is."""

    def __init__(self, settings: StackSettings, say: Say) -> None:
        self.settings = settings
        self.names = ResourceNames(settings.stage)
        self._say = say
        self._stops: list[Callable[[], None]] = []
        self.aws_endpoint = ""
        self.simulator_url = ""
        self.gateway_url = ""
        self.simulator: Simulator | None = None
        self.demo_world: DemoWorld | None = None
        self.resources: StageResources | None = None
        self.consumer = WorkConsumer(LocalFunction(functions.SYNC_WORKER))

    @property
    def return_url(self) -> str:
        """The stand-in for the platform's return URL, on the gateway."""
        return f"{self.gateway_url}{PLATFORM_RETURN_PATH}"

    def start(self) -> None:
        """Start every part, printing one line each; raises StackStartError naming the part that failed."""
        with _starting("moto"):
            self._start_moto()
        with _starting("the Xero simulator"):
            simulator, world = self._start_simulator()
        with _starting("the gateway"):
            gateway = GatewayServer(
                LocalGateway(function_prefix=self.names.prefix), self.settings.host, self.settings.gateway_port
            )
            self._stops.append(gateway.stop)
            self.gateway_url = gateway.base_url
            self._admit_redirect_uri(simulator, world)
        with _starting(f"the resources of stage {self.settings.stage!r}"):
            resources = self._create_resources(world)
        self._set_function_environment()
        gateway.start()
        self._say(f"gateway (API Gateway HTTP API) on {self.gateway_url}: /v1/*, /oauth/*, /webhooks/xero")
        with _starting("the webhook subscription"):
            self._subscribe_webhooks(world)
        with _starting("the SQS poller"):
            self._start_poller(resources)
        with _starting("the scheduler"):
            self._start_scheduler()

    def stop(self) -> None:
        """Stop every part that started, the last started first."""
        while self._stops:
            stop = self._stops.pop()
            try:
                stop()
            except Exception:
                _log.exception("stopping a part of the local stack failed")

    def _start_moto(self) -> None:
        moto = MotoServer(self.settings.host, self.settings.moto_port)
        self.aws_endpoint = moto.start()
        self._stops.append(moto.stop)
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.aws_endpoint,
                "AWS_REGION": self.settings.region,
                "AWS_DEFAULT_REGION": self.settings.region,
                **FAKE_CREDENTIALS,
                # Never let a developer's profile or credential files reach moto, or AWS by mistake.
                "AWS_CONFIG_FILE": "/nonexistent/aws-config",
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
                # botocore's account-based endpoints are not routed by moto (shared/notes/aws.md §4).
                "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            }
        )
        os.environ.pop("AWS_PROFILE", None)
        self._say(f"moto (AWS: DynamoDB, SQS, Secrets Manager, KMS, EventBridge) on {self.aws_endpoint}")

    def _start_simulator(self) -> tuple[Simulator, DemoWorld]:
        simulator = self.simulator = Simulator(strict=True)
        server = SimulatorServer(simulator, self.settings.host, self.settings.simulator_port)
        self.simulator_url = server.start()
        self._stops.append(server.stop)
        world = self.demo_world = seed_demo(simulator)
        names = ", ".join(org.name for org in world.organisations)
        self._say(f"Xero simulator on {self.simulator_url}: user {world.user.email}, organisations {names}")
        return simulator, world

    def _admit_redirect_uri(self, simulator: Simulator, world: DemoWorld) -> None:
        # The demo app knows the default gateway's callback; on another port (tests) register that one
        # too, as an operator adds a redirect URI in Xero's developer portal (FACTS.md §1.2: exact match).
        redirect_uri = f"{self.gateway_url}/oauth/callback"
        with simulator.world.lock:
            if redirect_uri not in world.app.redirect_uris:
                world.app.redirect_uris.append(redirect_uri)

    def _create_resources(self, world: DemoWorld) -> StageResources:
        resources = self.resources = create_resources(
            self.names,
            xero_client_id=world.app.client_id,
            xero_client_secret=world.app.client_secret or "",
            webhook_key=world.app.webhook_key,
        )
        self._say(
            f"stage {self.settings.stage!r} created on moto: table {self.names.state_table}, "
            f"queue {self.names.work_queue}, bus {self.names.event_bus}, Xero app and webhook key secrets"
        )
        return resources

    def _set_function_environment(self) -> None:
        os.environ.update(
            {
                "STAGE": self.settings.stage,
                "XERO_LOGIN_URL": self.simulator_url,
                "XERO_IDENTITY_URL": self.simulator_url,
                "XERO_API_URL": self.simulator_url,
                "PUBLIC_BASE_URL": self.gateway_url,
                "RETURN_URL_ALLOWLIST": f"{self.gateway_url}/_platform/",
                "POWERTOOLS_LOG_LEVEL": self.settings.functions_log_level,
                # EMF metric lines on stdout would bury the demo's output; CloudWatch reads them in AWS.
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_TRACE_DISABLED": "true",
            }
        )

    def _subscribe_webhooks(self, world: DemoWorld) -> None:
        webhook_url = f"{self.gateway_url}/webhooks/xero"
        self._say(
            f"Xero runs Intent to Receive against {webhook_url}: the webhook function must refuse "
            "the incorrectly signed requests (it logs a warning for each)"
        )
        with httpx.Client(base_url=f"{self.simulator_url}/_sim", timeout=30) as control:
            answer = control.put(f"/apps/{world.app.client_id}/webhook", json={"url": webhook_url})
            if answer.status_code != 200:
                raise StackStartError(f"registering the webhook URL failed: {answer.status_code} {answer.text[:300]}")
            answer = control.post(f"/apps/{world.app.client_id}/webhook/intent-to-receive")
        result: dict[str, Any] = answer.json() if answer.status_code == 200 else {}
        if not result.get("passed"):
            raise StackStartError(
                f"Intent to Receive failed at {webhook_url}: {result.get('reason') or answer.text[:300]}"
            )
        self._say("Intent to Receive passed: Xero's webhooks are enabled")

    def _start_poller(self, resources: StageResources) -> None:
        mapping = EventSourceMapping(
            queue_url=resources.work_queue_url,
            function_name=f"{self.names.prefix}-sync-worker",
            batch_size=self.settings.batch_size,
            maximum_concurrency=self.settings.maximum_concurrency,
        )
        poller = SqsPoller(boto3.client("sqs"), mapping, self.consumer)
        poller.start()
        self._stops.append(poller.stop)
        self._say(
            f"SQS poller on {self.names.work_queue}: batch size {mapping.batch_size}, "
            f"maximum concurrency {mapping.maximum_concurrency}, consumer: the sync worker"
        )
        # The accounts watch's delayed ticks: the worker's second event source, a standard queue.
        ticks = EventSourceMapping(
            queue_url=resources.tick_queue_url,
            function_name=f"{self.names.prefix}-sync-worker",
            maximum_concurrency=TICK_CONCURRENCY,
        )
        tick_poller = SqsPoller(boto3.client("sqs"), ticks, self.consumer)
        tick_poller.start()
        self._stops.append(tick_poller.stop)
        self._say(f"SQS poller on {self.names.tick_queue}: the accounts watch's ticks, consumer: the sync worker")

    def _start_scheduler(self) -> None:
        for rule, seconds in (
            (self.names.sync_due_schedule, self.settings.sync_due_seconds),
            (self.names.keep_alive_schedule, self.settings.keep_alive_seconds),
        ):
            scheduler = Scheduler(
                rule_arn(rule, region=self.settings.region),
                LocalFunction(functions.SCHEDULED_SYNC),
                function_name=f"{self.names.prefix}-scheduled-sync",
                period_seconds=seconds,
                report=self._report_scheduled,
            )
            scheduler.start()
            self._stops.append(scheduler.stop)
            self._say(f"scheduler fires scheduled_sync for {rule} every {seconds:g} s")

    def _report_scheduled(self, answer: Any) -> None:
        # A minute's run that found nothing due is not news (None: the run failed, and was logged).
        if answer is not None and any(answer.values()):
            self._say(f"scheduled_sync ran: {answer}")
