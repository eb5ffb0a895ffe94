"""prod keeps its tables, keys and secrets when the stack goes; dev is disposable. Every log group
has a retention, so no log is kept (and paid for) forever."""

from __future__ import annotations

from tests.infra.conftest import Synthesised

DATA = ("AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::SecretsManager::Secret")


def test_prod_retains_its_tables_keys_and_secrets(prod: Synthesised) -> None:
    for resource_type in DATA:
        for logical, resource in prod.of_type(resource_type).items():
            assert resource["DeletionPolicy"] == "Retain", logical
            assert resource["UpdateReplacePolicy"] == "Retain", logical


def test_prod_tables_refuse_to_be_deleted(prod: Synthesised) -> None:
    for logical, table in prod.of_type("AWS::DynamoDB::Table").items():
        assert table["Properties"]["DeletionProtectionEnabled"] is True, logical


def test_dev_is_deleted_with_its_stack(dev: Synthesised) -> None:
    for resource_type in DATA:
        for logical, resource in dev.of_type(resource_type).items():
            assert resource["DeletionPolicy"] == "Delete", logical


def test_every_log_group_has_a_retention_longer_in_prod(dev: Synthesised, prod: Synthesised) -> None:
    def retentions(synthesised: Synthesised) -> set[int]:
        return {g["Properties"]["RetentionInDays"] for g in synthesised.of_type("AWS::Logs::LogGroup").values()}

    assert retentions(dev) == {14}
    assert retentions(prod) == {90}


def test_every_function_logs_to_its_own_explicit_log_group(either: Synthesised) -> None:
    groups = set(either.of_type("AWS::Logs::LogGroup"))
    used = {
        f["Properties"]["LoggingConfig"]["LogGroup"]["Ref"] for f in either.of_type("AWS::Lambda::Function").values()
    }

    assert len(used) == 5
    assert used <= groups
