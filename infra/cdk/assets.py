"""The Lambda assets, built without Docker and reproducible from uv.lock.

- The dependencies layer: the runtime packages of uv.lock (`uv export`, the project's own
  dependencies only, with their hashes) installed as wheels built for Lambda's platform and
  CPython 3.13, never from source, then compiled to bytecode. One build per lock file, platform
  and recipe, under infra/cdk/build/ (git-ignored): a synth after the first takes no install.
- One code asset per function: `functions/__init__.py`, the function's package and the function
  packages it imports (the API composes the sync worker's push), and `shared/`; compiled to
  bytecode. One build per content of those files.

Every build is made in a temporary directory and renamed into place, so parallel test workers and
repeated synths share one build. The asset hash CDK sees is the build's key (the lock or the
sources), not the files: bytecode is not byte-for-byte reproducible, what it is compiled from is.

`python -m infra.cdk.assets` builds them and prints each asset's size.
"""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_ROOT = REPO_ROOT / "infra" / "cdk" / "build"
FUNCTIONS = ("api", "oauth_callback", "webhook", "scheduled_sync", "sync_worker")
# Bump when the way an asset is made changes, so cached builds made the old way are not reused.
RECIPE = "1"
_SKIPPED = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
# The in-memory fakes are for tests; no function composes them.
_NOT_SHIPPED = (Path("shared/fakes"),)


class AssetBuildError(Exception):
    """An asset could not be built; the message says which step failed and why."""


@dataclass(frozen=True)
class LambdaPlatform:
    """What the functions run on, and so which wheels the layer must hold."""

    # Lambda's name for the architecture; the machines that test the code are x86_64 (docs/decisions.md).
    architecture: str = "x86_64"
    # The python3.13 runtime runs on Amazon Linux 2023 (glibc 2.34): any manylinux wheel up to 2.34 loads.
    wheel_platform: str = "x86_64-manylinux_2_34"
    python_version: str = "3.13"

    @property
    def abi_tag(self) -> str:
        return "cp" + self.python_version.replace(".", "")


PLATFORM = LambdaPlatform()


@dataclass(frozen=True)
class BuiltAsset:
    """A directory ready for Code.from_asset, and the key that names its content."""

    path: Path
    key: str

    def size_bytes(self) -> int:
        return sum(file.stat().st_size for file in self.path.rglob("*") if file.is_file())

    def zipped_bytes(self) -> int:
        """About what Lambda receives: the directory zipped with deflate."""
        with tempfile.TemporaryFile() as archive:
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
                for file in sorted(self.path.rglob("*")):
                    if file.is_file():
                        zipped.write(file, file.relative_to(self.path))
            return archive.tell()


def dependencies_layer(platform: LambdaPlatform = PLATFORM, build_root: Path = BUILD_ROOT) -> BuiltAsset:
    """The layer of runtime packages (`python/` inside it, as Lambda layers are laid out), built once per lock."""
    lock = (REPO_ROOT / "uv.lock").read_bytes()
    key = _digest([RECIPE.encode(), platform.architecture.encode(), platform.wheel_platform.encode(), lock])

    def fill(directory: Path) -> None:
        requirements = directory.parent / f"{directory.name}.requirements.txt"
        try:
            export = ["export", "--frozen", "--no-default-groups", "--no-emit-project", "--quiet"]
            _run([_uv(), *export, "--format", "requirements.txt", "--output-file", str(requirements)])
            install = ["pip", "install", "--quiet", "--target", str(directory / "python"), "--python", sys.executable]
            wheels = ["--python-platform", platform.wheel_platform, "--python-version", platform.python_version]
            _run(
                [
                    _uv(),
                    *install,
                    *wheels,
                    "--only-binary",
                    ":all:",
                    "--require-hashes",
                    "--no-deps",
                    "--requirements",
                    str(requirements),
                ]
            )
        finally:
            requirements.unlink(missing_ok=True)
        # Console scripts are never run in Lambda, and their shebangs name this machine's interpreter.
        shutil.rmtree(directory / "python" / "bin", ignore_errors=True)
        _compile(directory, platform)

    return BuiltAsset(_built(build_root, f"deps-{platform.architecture}-{key[:20]}", fill), key)


def function_code(name: str, platform: LambdaPlatform = PLATFORM, build_root: Path = BUILD_ROOT) -> BuiltAsset:
    """The code asset of function `name`: its packages and shared/, built once per content."""
    if not (REPO_ROOT / "functions" / name / "handler.py").is_file():
        raise AssetBuildError(f"functions/{name}/handler.py does not exist")
    sources = sorted(source_files(name))
    parts = [RECIPE.encode(), platform.python_version.encode()]
    for source in sources:
        parts += [str(source).encode(), (REPO_ROOT / source).read_bytes()]
    key = _digest(parts)

    def fill(directory: Path) -> None:
        for source in sources:
            target = directory / source
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO_ROOT / source, target)
        _compile(directory, platform)

    return BuiltAsset(_built(build_root, f"code-{name}-{key[:20]}", fill), key)


def source_files(name: str) -> Iterator[Path]:
    """The files (relative to the repository) of function `name`'s code asset."""
    yield Path("functions/__init__.py")
    for package in function_packages(name):
        yield from _files_under(Path("functions") / package)
    yield from _files_under(Path("shared"))


def function_packages(name: str) -> list[str]:
    """`name` and every package under functions/ that it (or shared/) imports, transitively."""
    wanted, seen = [name], set[str]()
    shared_imports = _imported_function_packages(Path("shared"))
    while wanted:
        package = wanted.pop()
        if package in seen:
            continue
        seen.add(package)
        wanted += sorted(_imported_function_packages(Path("functions") / package) | shared_imports)
    return sorted(seen)


def _imported_function_packages(folder: Path) -> set[str]:
    found: set[str] = set()
    for source in _files_under(folder):
        if source.suffix != ".py":
            continue
        tree = ast.parse((REPO_ROOT / source).read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "functions" and (REPO_ROOT / "functions" / parts[1]).is_dir():
                    found.add(parts[1])
    return found


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted((REPO_ROOT / folder).rglob("*")):
        relative = path.relative_to(REPO_ROOT)
        if not path.is_file() or path.suffix == ".pyc" or _SKIPPED.intersection(relative.parts):
            continue
        if not any(relative.is_relative_to(excluded) for excluded in _NOT_SHIPPED):
            yield relative


def _compile(directory: Path, platform: LambdaPlatform) -> None:
    """Bytecode beside the sources: Lambda's file system is read-only, so without it every cold start
    compiles every module it imports. Unchecked hashes: the directory's content never changes."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != platform.python_version:
        raise AssetBuildError(f"bytecode for Python {platform.python_version} needs that Python, not {running}")
    _run([sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(directory)])


def _built(build_root: Path, name: str, fill: Callable[[Path], None]) -> Path:
    """`build_root/name`, filled by `fill` unless an earlier build already made it."""
    final = build_root / name
    if final.is_dir():
        return final
    build_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=build_root))
    try:
        fill(scratch)
        try:
            scratch.rename(final)
        except OSError:
            if not final.is_dir():
                raise
            # Another process finished the same build first: its directory has the same content.
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def _uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not os.access(found, os.X_OK):
        raise AssetBuildError("uv was not found: run scripts/bootstrap first")
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise AssetBuildError(f"{' '.join(command[:3])} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def _digest(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def main() -> None:
    """Build every asset and print its size, unzipped and zipped."""
    assets = {"dependencies layer": dependencies_layer()} | {name: function_code(name) for name in FUNCTIONS}
    print(f"{'asset':<20} {'unzipped':>10} {'zipped':>10}  directory")
    for label, asset in assets.items():
        unzipped, zipped = asset.size_bytes() / 1e6, asset.zipped_bytes() / 1e6
        print(f"{label:<20} {unzipped:>8.1f}MB {zipped:>8.1f}MB  {asset.path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
