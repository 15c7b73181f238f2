"""Dataswift's own JavaScript client, @dataswift/hat-js (pinned in ``hat_js/package.json``), run
against the sandbox: what it expects of a HAT, the sandbox does.

Needs Node.js and npm, which install the client from the npm registry (skipped without them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

HERE = Path(__file__).parent / "hat_js"
NODE, NPM = shutil.which("node"), shutil.which("npm")

pytestmark = pytest.mark.skipif(
    NODE is None or NPM is None, reason="Node.js and npm run the official JavaScript client"
)


@pytest.fixture(scope="module")
def hat_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the pinned client installed (``npm ci``: exactly the lockfile's)."""
    folder = tmp_path_factory.mktemp("hat-js")
    for name in ("package.json", "package-lock.json", "scenario.mjs"):
        shutil.copy(HERE / name, folder / name)
    assert NPM is not None
    installed = subprocess.run(
        [NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if installed.returncode != 0:
        pytest.skip(f"npm could not install @dataswift/hat-js: {installed.stderr[-500:]}")
    return folder


@pytest.fixture(scope="module")
def steps(hat_js: Path) -> dict[str, dict[str, Any]]:
    """What each step of ``scenario.mjs`` gave, run once against a fresh sandbox."""
    with Sandbox() as url:
        login = httpx.get(
            f"{url}/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
        )
        env = {"HAT": httpx.URL(url).netloc.decode(), "TOKEN": login.json()["accessToken"]}
        assert NODE is not None
        ran = subprocess.run(
            [NODE, "scenario.mjs"],
            cwd=hat_js,
            env={"PATH": str(Path(NODE).parent), **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert ran.returncode == 0, ran.stderr
    results: dict[str, dict[str, Any]] = json.loads(ran.stdout)
    return results


def _value(steps: dict[str, dict[str, Any]], name: str) -> Any:
    assert "error" not in steps[name], steps[name]
    return steps[name]["value"]


def test_it_reads_the_hat_from_the_token(steps: dict[str, dict[str, Any]]) -> None:
    assert _value(steps, "domain").startswith("http://127.0.0.1:")
    assert _value(steps, "expired") is False
    assert _value(steps, "registered") is True  # GET /publickey answers
    # Another Host names no HAT of the server: 404 (HAT2.0 hat/app/org/hatdex/hat/
    # resourceManagement/HatServerProvider.scala:98-117, utils/ErrorHandler.scala:114-123).
    assert _value(steps, "registered-other-host") is False


def test_it_stores_pages_updates_and_deletes_records(steps: dict[str, dict[str, Any]]) -> None:
    created = _value(steps, "create")
    assert created["endpoint"] == "sandbox-app/hat-js"
    assert created["data"] == {"n": 1, "text": "one"}  # as the HAT answers: JSONB key order
    assert [record["data"]["n"] for record in _value(steps, "create-array")] == [2, 3]
    assert steps["create-duplicate"]["status"] == 400
    assert _value(steps, "newest-two") == [3, 2]
    assert _value(steps, "after-first") == [2, 3]
    (updated,) = _value(steps, "update")
    assert (updated["recordId"], updated["data"]["text"]) == (created["recordId"], "one!")
    assert "message" in _value(steps, "delete")
    assert steps["delete-unknown"]["status"] == 400  # "Data Missing"
    assert _value(steps, "left") == ["one!", "two"]
    # An option other than orderBy/ordering/skip/take filters by string values found anywhere in
    # the data (HAT2.0 hat/app/org/hatdex/hat/api/controllers/RichData.scala:100-107, 652-668): a
    # number never matches.
    assert _value(steps, "filtered") == ["two"]
    assert _value(steps, "filtered-number") == 0
    # No row updated: RichDataMissingException (RichDataService.scala:281-295), a 400 (RichData
    # .scala:380-382).
    assert steps["update-unknown"]["status"] == 400


def test_it_finds_applications(steps: dict[str, dict[str, Any]]) -> None:
    assert _value(steps, "application") == "sandbox-app"
    assert steps["application-unknown"]["status"] == 404
    assert _value(steps, "applications") >= 1
    ids = _value(steps, "applications-ids")
    # getAll(options) sends them as a query the HAT ignores: Applications.applications() takes no
    # parameters (HAT2.0 hat/conf/v26.routes:55, Applications.scala:71-108).
    assert _value(steps, "applications-options") == ids
    assert {"sandbox-app", "spotify"} <= set(ids)
    # The enabled App is set up, enabled and active (ApplicationsService.scala:482-492): "goto";
    # a plug never set up is setup=false, enabled=false (ApplicationsService.scala:512-525).
    assert _value(steps, "application-status") == "goto"
    assert _value(steps, "plug-status") == "untouched"
    domain = _value(steps, "domain")
    assert _value(steps, "setup-url") == (
        f"{domain}/#/hatlogin?name=sandbox-app&fallback=https://f.example"
        "&redirect=https://sandbox-app.example.com/authenticate%3Fredirect=https://r.example"
    )


def test_it_reads_data_debits(steps: dict[str, dict[str, Any]]) -> None:
    # HAT2.0 hat/app/org/hatdex/hat/api/controllers/DataDebits.scala (routes: v26.routes:43-48).
    assert _value(steps, "debit-register") == 201  # l.72
    assert steps["debit-values-disabled"]["status"] == 400  # not enabled yet: l.168-171
    assert _value(steps, "debit-enable") == 200  # l.211-212
    assert _value(steps, "debits") == [["hat-js-debit", True]]  # l.185-190
    assert _value(steps, "debits-options") == ["hat-js-debit"]  # listDataDebits() takes no query
    assert _value(steps, "debit") == {
        "key": "hat-js-debit",
        "active": True,
        "accepted": True,
        "bundle": "hat-js-bundle",
    }
    assert steps["debit-unknown"]["status"] == 404  # l.117-119
    # No conditions: DataDebitData(None, bundle), "conditions" left out (l.157-161); the bundle's
    # records in its orderBy order: the ones the data steps left.
    assert _value(steps, "debit-values") == {
        "conditions": None,
        "texts": [["sandbox-app/hat-js", "one!"], ["sandbox-app/hat-js", "two"]],
    }
    assert steps["debit-values-unknown"]["status"] == 404  # l.172-175


def test_it_uploads_publishes_serves_and_deletes_files(steps: dict[str, dict[str, Any]]) -> None:
    uploaded = _value(steps, "upload")
    assert uploaded["status"]["status"] == "Completed"
    assert _value(steps, "public") is True
    # restrictAccessPublic is routed with public = true (HAT2.0 hat/conf/v26.routes:25, Files.scala
    # :230-245): markFileAsPrivate leaves the file public, and its content readable without a token.
    assert _value(steps, "private") is True
    # The HAT updates the file the body's fileId names, and hat-js sends only the metadata given:
    # no fileId is "file id required", a 400 (FileUploadServiceImpl.scala:80-94, Files.scala
    # :143-155); with one, name, tags, title and description change, the source does not (l.84-90).
    assert steps["update-file"]["status"] == 400
    assert _value(steps, "update-file-with-id") == {
        "fileId": True,
        "name": "renamed.txt",
        "source": "hat-js",
        "tags": ["new"],
        "title": "T",
    }
    assert steps["update-file-unknown"]["status"] == 404  # FileNotFoundException: Files.scala:150
    assert _value(steps, "content") == {"status": 200, "body": "hello from hat-js"}
    assert _value(steps, "search") == ["renamed.txt"]
    assert steps["mark-unknown"]["status"] == 404  # Files.scala:246-253
    assert _value(steps, "delete-file") is True
    assert steps["delete-file-unknown"]["status"] == 404  # FileUploadServiceImpl.scala:184


def test_it_keeps_the_refreshed_token_and_builds_urls(steps: dict[str, dict[str, Any]]) -> None:
    # Every authenticated answer carries the re-signed token (Silhouette's sliding refresh, HAT2.0
    # hat/conf/application.conf:75-79); hat-js adopts it: same claims but a later (or equal) iat.
    assert _value(steps, "token") == {"sameClaims": True, "notEarlier": True}
    domain = _value(steps, "domain")
    assert _value(steps, "login-url") == (
        f"{domain}/#/hatlogin?name=sandbox-app&redirect=https://r.example&fallback=https://f.example"
    )
    assert _value(steps, "baas-url").startswith(
        "https://hatters.dataswift.io/services/baas/signup?"
    )
    assert _value(steps, "daas-url").endswith("&tags=a,b")
    assert _value(steps, "sign-out") == ""
    assert steps["signed-out"]["error"] == "NOT_AUTHENTICATED"
