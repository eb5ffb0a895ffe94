"""The Lambda assets hold the locked runtime wheels built for python3.13 on x86_64 Linux, and each
function's code; a handler imports from its assets alone, as Lambda will import it."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from infra.cdk.assets import FUNCTIONS, REPO_ROOT, BuiltAsset, dependencies_layer, function_code, function_packages
from tests.infra.conftest import Synthesised

X86_64_ELF = 62  # e_machine of an x86-64 ELF file
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024  # a function and its layers together
NEVER_SHIPPED = ("moto", "pytest", "aws_cdk", "cdk_nag", "jsii", "werkzeug", "playwright", "mypy", "ruff")


@pytest.fixture(scope="module")
def layer() -> BuiltAsset:
    return dependencies_layer()


@pytest.fixture(scope="module")
def code() -> dict[str, BuiltAsset]:
    return {name: function_code(name) for name in FUNCTIONS}


def test_pydantic_cores_extension_is_built_for_cpython_313_on_x86_64_linux(layer: BuiltAsset) -> None:
    extension = layer.path / "python" / "pydantic_core" / "_pydantic_core.cpython-313-x86_64-linux-gnu.so"

    assert extension.is_file()
    assert int.from_bytes(extension.read_bytes()[18:20], "little") == X86_64_ELF


def test_every_compiled_extension_in_the_layer_is_for_this_runtime(layer: BuiltAsset) -> None:
    extensions = list(layer.path.rglob("*.so"))

    assert extensions
    for extension in extensions:
        assert "cpython-313-x86_64-linux-gnu" in extension.name or "abi3" in extension.name, extension.name
        assert extension.read_bytes()[:4] == b"\x7fELF", extension.name
        assert int.from_bytes(extension.read_bytes()[18:20], "little") == X86_64_ELF, extension.name


def test_the_layer_holds_exactly_the_locked_versions_of_the_runtime_packages(layer: BuiltAsset) -> None:
    lock = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
    locked = {package["name"].replace("_", "-").lower(): package["version"] for package in lock["package"]}
    installed = {
        "-".join(info.name.removesuffix(".dist-info").split("-")[:-1])
        .replace("_", "-")
        .lower(): info.name.removesuffix(".dist-info").split("-")[-1]
        for info in (layer.path / "python").glob("*.dist-info")
    }

    assert {"aws-lambda-powertools", "pydantic", "pydantic-core", "httpx", "boto3", "aws-xray-sdk"} <= set(installed)
    for name, version in installed.items():
        assert locked[name] == version, name


def test_nothing_of_the_tests_the_simulator_or_the_infrastructure_is_shipped(
    layer: BuiltAsset, code: dict[str, BuiltAsset]
) -> None:
    for package in NEVER_SHIPPED:
        assert not (layer.path / "python" / package).exists(), package
    assert not (layer.path / "python" / "bin").exists()
    for asset in code.values():
        tops = {path.name for path in asset.path.iterdir()}
        assert tops == {"functions", "shared"}
        assert not (asset.path / "shared" / "fakes").exists()


def test_each_function_ships_its_package_the_packages_it_imports_and_shared(code: dict[str, BuiltAsset]) -> None:
    for name, asset in code.items():
        shipped = {p.name for p in (asset.path / "functions").iterdir() if p.is_dir() and p.name != "__pycache__"}

        assert shipped == set(function_packages(name))
        assert (asset.path / "functions" / name / "handler.py").is_file()
        assert (asset.path / "shared" / "adapters" / "aws_client.py").is_file()
    assert function_packages("api") == ["api", "sync_worker"]
    assert function_packages("webhook") == ["webhook"]


def test_sources_come_with_their_bytecode_for_python_313(layer: BuiltAsset, code: dict[str, BuiltAsset]) -> None:
    assert (layer.path / "python" / "pydantic" / "__pycache__" / "main.cpython-313.pyc").is_file()
    assert (code["webhook"].path / "functions" / "webhook" / "__pycache__" / "handler.cpython-313.pyc").is_file()


def test_every_handler_imports_from_its_assets_alone(layer: BuiltAsset, code: dict[str, BuiltAsset]) -> None:
    # -I -S: no site-packages, no user site, no PYTHONPATH: only the standard library and the assets.
    script = (
        "import importlib, sys; sys.path[:0] = sys.argv[1:3]; "
        "handler = importlib.import_module(f'functions.{sys.argv[3]}.handler'); "
        "import pydantic_core; "
        "assert handler.__file__.startswith(sys.argv[1]), handler.__file__; "
        "assert pydantic_core.__file__.startswith(sys.argv[2]), pydantic_core.__file__; "
        "assert callable(handler.lambda_handler)"
    )
    environment = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": "eu-west-1"}
    running = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-I", "-S", "-c", script, str(asset.path), str(layer.path / "python"), name],
            cwd="/",
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, asset in code.items()
    ]
    for name, process in zip(code, running, strict=True):
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, f"{name}:\n{output}"


def test_a_function_and_the_layer_fit_lambdas_size_limit(layer: BuiltAsset, code: dict[str, BuiltAsset]) -> None:
    for name, asset in code.items():
        assert layer.size_bytes() + asset.size_bytes() < LAMBDA_UNZIPPED_LIMIT, name


def test_a_second_build_reuses_the_first(layer: BuiltAsset) -> None:
    first = function_code("webhook")
    built_at = first.path.stat().st_mtime_ns

    again = function_code("webhook")

    assert again == first
    assert again.path.stat().st_mtime_ns == built_at
    assert dependencies_layer() == layer


def test_the_synthesised_assembly_stages_the_built_layer(dev: Synthesised) -> None:
    staged = list(Path(dev.outdir).glob("asset.*/python/pydantic_core/_pydantic_core.cpython-313-x86_64-linux-gnu.so"))

    assert len(staged) == 1
