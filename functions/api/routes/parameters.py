"""The parameters every route module declares the same way: the dependencies, and the path's ids."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path

from functions.api.dependencies import ApiDependencies, api_dependencies
from functions.api.record_models import PLATFORM_ID_MAX_LENGTH, PLATFORM_ID_PATTERN
from shared.domain.records import Entity

Deps = Annotated[ApiDependencies, Depends(api_dependencies)]
TenantId = Annotated[str, Path(min_length=1, max_length=100, description="xero-sync's id of the tenant")]
EntityName = Annotated[Entity, Path(description="the kind of record")]
PlatformId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=PLATFORM_ID_MAX_LENGTH,
        pattern=PLATFORM_ID_PATTERN,
        description="the platform's own id of the record (letters, digits and `-._~:@`)",
    ),
]
