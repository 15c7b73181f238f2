"""The ``python -m hat_sdk.sandbox`` command line."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def test_cli_serves_until_sigterm() -> None:
    command = [
        sys.executable,
        "-m",
        "hat_sdk.sandbox",
        "--port",
        "0",
        "--app",
        "notes:rumpel,notes",
    ]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("HAT sandbox listening on http://127.0.0.1:")
            url = line.split()[-1]
            assert not url.endswith(":0")
            assert httpx.get(f"{url}/healthz").json() == {"Status": "OK"}
            login = httpx.get(
                f"{url}/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
            )
            assert login.status_code == 200
            apps = httpx.get(
                f"{url}/api/v2.6/applications",
                headers={"X-Auth-Token": login.json()["accessToken"]},
            )
            assert "notes" in {a["application"]["id"] for a in apps.json()}
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out == ""


def test_cli_rejects_bad_owner() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hat_sdk.sandbox", "--owner", "nopassword"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 2
    assert "USER:PASSWORD" in result.stderr


def test_importing_the_package_does_not_load_starlette() -> None:
    code = (
        "import sys, hat_sdk, hat_sdk.sandbox, hat_sdk.sandbox.pytest_plugin;"
        "sys.exit('starlette' in sys.modules or 'uvicorn' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=20, check=False).returncode == 0


def test_console_script_stops_on_sigint_and_leaves_no_process() -> None:
    # The installed `hat-sandbox` entry point (next to this interpreter in the venv).
    script = Path(sys.executable).with_name("hat-sandbox")
    with subprocess.Popen(
        [str(script), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split()[-1]
            assert httpx.get(f"{url}/api/v2.6/version").json() == {"Version": "v2.8.18"}
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    with pytest.raises(httpx.ConnectError):  # the port is released: nothing serves it any more
        httpx.get(f"{url}/healthz")


def test_cli_serves_extra_hats() -> None:
    command = [sys.executable, "-m", "hat_sdk.sandbox", "--port", "0", "--hat", "localhost"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline().split()[-1]
            line = process.stdout.readline()
            assert line.startswith("HAT sandbox also serving http://localhost:")
            second = line.split()[-1]
            assert second.rsplit(":", 1)[1] == first.rsplit(":", 1)[1]
            keys = {httpx.get(f"{url}/publickey").text for url in (first, second)}
            assert len(keys) == 2
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
