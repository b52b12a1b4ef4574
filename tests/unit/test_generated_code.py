"""The Protobuf contracts: buf lint passes, and the committed stubs are exactly what buf generates now."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATED = "conversely/*/v1/*_pb2*.py*"


def buf() -> str:
    found = shutil.which("buf") or shutil.which("buf", path=str(ROOT / "node_modules" / ".bin"))
    if found is None:
        pytest.fail("buf is missing: `make test` installs it from the npm package @bufbuild/buf")
    return found


def run_buf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # buf.gen.yaml runs `python -m grpc_tools.protoc`: the Python of this test run, which has grpcio-tools.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([buf(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_buf_lint_passes() -> None:
    result = run_buf("lint", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_stubs_are_what_buf_generates(tmp_path: Path) -> None:
    for name in ("protos", "tools"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("buf.yaml", "buf.gen.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    result = run_buf("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.glob(GENERATED)}
    committed = {p.relative_to(ROOT): p.read_bytes() for p in ROOT.glob(GENERATED)}
    assert fresh, "buf generated nothing"
    assert sorted(committed) == sorted(fresh), "stubs missing or left over: run `make generate`"
    stale = [str(path) for path in fresh if fresh[path] != committed[path]]
    assert not stale, f"stale generated code, run `make generate`: {stale}"


def test_every_generated_file_says_it_is_generated() -> None:
    for path in ROOT.glob("conversely/*/v1/*_pb2*.py"):
        assert "DO NOT EDIT" in path.read_text().split("\n", 3)[1] + path.read_text().split("\n", 3)[0], path
