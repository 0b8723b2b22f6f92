"""Shared paths and helpers of the Python tests."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent


@pytest.fixture(scope="session")
def reference():
    """Outputs and states of every model's Rust standalone type for a fixed input sequence
    (written and kept equal to the Rust types by `tests/python_reference.rs`)."""
    with open(HERE / "data" / "standalone_reference.json") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def neurocore_cli():
    """The `neurocore` command: $NEUROCORE_BIN, else the one on PATH, else built with cargo."""
    exe = os.environ.get("NEUROCORE_BIN") or shutil.which("neurocore")
    if exe:
        return exe
    subprocess.run(
        ["cargo", "build", "--quiet", "--bin", "neurocore"], cwd=REPO, check=True
    )
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return str(pathlib.Path(target) / "debug" / "neurocore")
