"""The real ``hat`` process, as a user runs it: on a host without a keyring, credentials from the
environment, exit codes and advice that follow the real cause, the truth about partial reads,
progress and interruptions, the User-Agent and the log switch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, HatClient, HatModel, __version__
from hat_sdk.sandbox import Sandbox

from .conftest import default_sigint

ROOT = Path(__file__).resolve().parents[2]
HAT = Path(sys.executable).with_name("hat")
NO_KEYRING = "keyring.backends.fail.Keyring"
FILE_KEYRING = "tests.cli.plaintext_keyring.PlaintextTestKeyring"
TIMEOUT = 120  # seconds: bounds a hung process, never a pass condition


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


@dataclass
class Hat:
    """Runs the installed ``hat`` script against one HAT, with no keyring unless told."""

    url: str
    tmp: Path

    def env(self, extra: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HAT_")}
        env.update(
            PYTHON_KEYRING_BACKEND=NO_KEYRING,
            PYTHONPATH=str(ROOT),  # for the test keyring backend
            HAT_URL=self.url,
            HAT_USERNAME="sandbox",
            HAT_TEST_KEYRING=str(self.tmp / "keyring.json"),
            COLUMNS="200",
        )
        env.update(extra)
        return env

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Ran:
        done = subprocess.run(
            [str(HAT), *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.env(env),
            cwd=ROOT,
            timeout=TIMEOUT,
            check=False,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(HAT), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(env),
            cwd=ROOT,
            preexec_fn=default_sigint,
        )


@pytest.fixture
def hat(hat_sandbox: Sandbox, tmp_path: Path) -> Hat:
    assert HAT.exists(), f"{HAT}: install the package (make install)"
    return Hat(hat_sandbox.url, tmp_path)


def _seed(url: str, endpoint: str, count: int) -> None:
    owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=url)
    with HatClient(owner, "sandbox-app") as client:
        records = [HatModel.model_validate({"endpoint": endpoint, "n": n}) for n in range(count)]
        client.post(*records)


# --- help, version -----------------------------------------------------------------------


def test_help_version_and_short_help(hat: Hat) -> None:
    assert hat("--version").stdout.strip() == f"hat (hat-sdk) {__version__}"
    for args in (["-h"], ["--help"], ["get", "-h"], ["login", "-h"]):
        ran = hat(*args)
        assert ran.code == 0, (args, ran.stderr)
        assert "Usage: hat" in ran.stdout


def test_hat_sandbox_help_names_itself_and_the_default_login(hat: Hat) -> None:
    ran = hat("sandbox", "--help")
    assert ran.code == 0, ran.stderr
    assert ran.stdout.startswith("usage: hat sandbox")
    assert "sandbox / sandbox" in ran.stdout


# --- credentials without a keyring ---------------------------------------------------------


def test_without_a_keyring_login_refuses_before_asking_and_names_the_alternative(
    hat: Hat,
) -> None:
    ran = hat("login", "--password-stdin", input="sandbox\n")
    assert ran.code == 3
    assert "Logged in" not in ran.stdout
    assert "HAT_PASSWORD" in ran.stderr
    assert "--password-stdin COMMAND" in ran.stderr
    assert "skip it" in ran.stderr  # login itself cannot work without a keyring


def test_without_a_keyring_or_password_whoami_names_the_alternative(hat: Hat) -> None:
    ran = hat("whoami")
    assert ran.code == 3
    assert "HAT_PASSWORD" in ran.stderr
    assert "SimpleCredential" not in ran.stderr  # a Python class is no advice for a shell user


def test_whoami_with_the_password_from_the_environment_shows_hat_and_user(hat: Hat) -> None:
    ran = hat("whoami", HAT_PASSWORD="sandbox")
    assert ran.code == 0, ran.stderr
    assert f"hat: {hat.url}" in ran.stdout.splitlines()
    assert "user: sandbox" in ran.stdout.splitlines()


def test_whoami_with_the_password_on_stdin_as_an_application(hat: Hat) -> None:
    ran = hat("--password-stdin", "whoami", "--json", input="sandbox\n", HAT_APP="sandbox-app")
    assert ran.code == 0, ran.stderr
    shown = json.loads(ran.stdout)
    assert (shown["user"], shown["application"]) == ("sandbox", "sandbox-app")


def test_login_says_where_a_plaintext_backend_keeps_the_password_and_logout_forgets_it(
    hat: Hat,
) -> None:
    keyring_file = hat.tmp / "keyring.json"
    ran = hat("login", "--password-stdin", input="sandbox\n", PYTHON_KEYRING_BACKEND=FILE_KEYRING)
    assert ran.code == 0, ran.stderr
    assert str(keyring_file) in ran.stdout
    assert "NOT encrypted" in ran.stdout
    assert "system keyring" not in ran.stdout
    assert hat("whoami", PYTHON_KEYRING_BACKEND=FILE_KEYRING).code == 0

    ran = hat("logout", PYTHON_KEYRING_BACKEND=FILE_KEYRING)
    assert ran.code == 0, ran.stderr
    assert json.loads(keyring_file.read_text()) == {}
    assert hat("whoami", PYTHON_KEYRING_BACKEND=FILE_KEYRING).code == 3
    again = hat("logout", PYTHON_KEYRING_BACKEND=FILE_KEYRING)
    assert (again.code, "nothing to forget" in again.stdout) == (0, True)


# --- exit codes follow the real cause ------------------------------------------------------


def test_an_unknown_application_is_not_found_not_a_login_problem(hat: Hat) -> None:
    ran = hat("whoami", HAT_PASSWORD="sandbox", HAT_APP="no-such-app")
    assert ran.code == 7, ran.stderr
    assert "HAT_APP" in ran.stderr
    assert "hat login" not in ran.stderr


class _NotAHat(BaseHTTPRequestHandler):
    """Answers every request 200 with an HTML page, and records the User-Agent."""

    agents: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        body = b"<html>not a HAT</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def not_a_hat() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotAHat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _NotAHat.agents.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_is_not_a_hat_is_a_format_error_sent_as_hat_sdk(
    hat: Hat, not_a_hat: str
) -> None:
    ran = hat("whoami", HAT_URL=not_a_hat, HAT_PASSWORD="sandbox")
    assert ran.code == 1, ran.stderr
    assert "HAT_URL" in ran.stderr
    assert "hat login" not in ran.stderr
    assert _NotAHat.agents
    assert all(agent == f"hat-sdk/{__version__}" for agent in _NotAHat.agents)


# --- reads, progress and interruptions tell the truth --------------------------------------


def test_a_read_cut_short_by_the_hat_default_says_how_to_read_everything(hat: Hat) -> None:
    _seed(hat.url, "many", 1001)
    ran = hat("get", "sandbox-app/many", "--json", HAT_PASSWORD="sandbox")
    assert ran.code == 0, ran.stderr
    assert len(json.loads(ran.stdout)) == 1000
    assert "--all" in ran.stderr
    assert "hat export" in ran.stderr

    everything = hat("get", "sandbox-app/many", "--all", "--json", HAT_PASSWORD="sandbox")
    assert everything.code == 0, everything.stderr
    assert len(json.loads(everything.stdout)) == 1001
    assert everything.stderr == ""


def test_a_complete_read_of_exactly_the_default_size_claims_nothing_more(hat: Hat) -> None:
    _seed(hat.url, "exact", 1000)
    ran = hat("get", "sandbox-app/exact", HAT_PASSWORD="sandbox")
    assert ran.code == 0, ran.stderr
    assert "1000 records" in ran.stdout
    assert "more" not in ran.stdout + ran.stderr


def test_post_progress_shows_the_known_total(hat: Hat) -> None:
    data = hat.tmp / "three.json"
    data.write_text(json.dumps([{"n": 1}, {"n": 2}, {"n": 3}]))
    ran = hat("post", "sandbox-app/three", str(data), HAT_PASSWORD="sandbox")
    assert ran.code == 0, ran.stderr
    assert "3/3" in ran.stderr
    assert "?" not in ran.stderr


def _interrupt_once_progress_is_saved(process: subprocess.Popen[str], checkpoint: Path) -> str:
    """Wait until the checkpoint records done work, send SIGINT as Ctrl-C does; return stderr."""
    deadline = time.monotonic() + TIMEOUT
    while not (checkpoint.exists() and json.loads(checkpoint.read_text() or "{}").get("done")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no progress was saved"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130, stderr
    return " ".join(stderr.split())


def test_ctrl_c_during_an_export_says_how_to_resume(hat: Hat, hat_sandbox: Sandbox) -> None:
    _seed(hat.url, "slow", 400)  # 80 pages, read 4 at a time: seconds to interrupt in
    hat_sandbox.knobs.latency = 0.2
    output = hat.tmp / "slow.jsonl"
    checkpoint = hat.tmp / "slow.jsonl.checkpoint"
    process = hat.start(
        "export", "sandbox-app/slow", "-o", str(output), "--page-size", "5", HAT_PASSWORD="sandbox"
    )
    said = _interrupt_once_progress_is_saved(process, checkpoint)
    assert "interrupted" in said
    assert "same command again" in said
    assert str(checkpoint) in said.replace(" ", "")  # the path may be wrapped


def test_ctrl_c_during_an_import_says_how_to_resume(hat: Hat, hat_sandbox: Sandbox) -> None:
    source = hat.tmp / "many.jsonl"
    source.write_text("".join(json.dumps({"n": n}) + "\n" for n in range(400)))
    hat_sandbox.knobs.latency = 0.2
    process = hat.start(
        "import",
        str(source),
        "--to",
        "sandbox-app/imported",
        "--batch-size",
        "5",
        HAT_PASSWORD="sandbox",
    )
    said = _interrupt_once_progress_is_saved(process, hat.tmp / "many.jsonl.checkpoint")
    assert "interrupted" in said
    assert "same command again" in said


# --- logging -------------------------------------------------------------------------------


def test_verbose_and_hat_log_show_what_happens_with_secrets_masked(tmp_path: Path) -> None:
    secret = "pw-7f3a9c"
    with Sandbox(password=secret) as url:
        hat = Hat(url, tmp_path)
        quiet = hat("whoami", HAT_PASSWORD=secret)
        info = hat("-v", "whoami", HAT_PASSWORD=secret)
        debug = hat("whoami", HAT_PASSWORD=secret, HAT_LOG="debug")
    assert quiet.code == info.code == debug.code == 0, (info.stderr, debug.stderr)
    assert "Logging in" not in quiet.stderr
    assert "Logging in" in info.stderr
    assert "hat_sdk" in debug.stderr
    assert "HTTP Request" in debug.stderr  # httpx's request lines at debug
    for ran in (info, debug):
        assert secret not in ran.stderr
        assert "eyJ" not in ran.stderr


def test_a_post_that_fails_part_way_says_what_was_stored(hat: Hat) -> None:
    data = hat.tmp / "records.jsonl"
    lines = [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 1}]  # the last duplicates the first
    data.write_text("".join(json.dumps(line) + "\n" for line in lines))
    ran = hat("post", "sandbox-app/part", str(data), "--batch-size", "2", HAT_PASSWORD="sandbox")
    assert ran.code == 5, ran.stderr
    said = " ".join(ran.stderr.split())
    assert f"Lines 1-2 of {data} are stored" in said
    assert "lines 3-4 were refused, none of them stored" in said  # the HAT refused the batch
    assert "--skip-duplicates" in said
