"""hat login / whoami / get / post / sources / delete against a sandbox HAT."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hat_sdk import keyring_service

from .conftest import Hat


def _write(path: Path, values: list[dict[str, object]], *, lines: bool) -> Path:
    text = "\n".join(json.dumps(v) for v in values) if lines else json.dumps(values)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_login_stores_the_password_in_the_keyring_only(hat: Hat) -> None:
    result = hat("login", input="sandbox\n")
    assert result.code == 0, result.stderr
    service = keyring_service(hat.sandbox.url)
    assert hat.keyring.store == {(service, "sandbox"): "sandbox"}
    assert "sandbox" not in result.stdout.replace("as sandbox", "")  # the password is not echoed


def test_login_with_a_wrong_password_says_so_and_stores_nothing(hat: Hat) -> None:
    result = hat("login", input="wrong\n")
    assert result.code == 3
    assert "hat login" in result.stderr
    assert "wrong" not in result.stderr
    assert hat.keyring.store == {}


def test_commands_before_login_explain_what_to_do(hat: Hat) -> None:
    result = hat("whoami")
    assert result.code == 3
    assert "hat login" in result.stderr


def test_whoami_shows_the_verified_owner_claims(hat: Hat) -> None:
    hat.login()
    result = hat("whoami", "--json")
    assert result.code == 0, result.stderr
    claims = json.loads(result.stdout)
    assert claims["accessScope"] == "owner"
    assert claims["hat"] == hat.sandbox.url
    assert "jti" not in claims


def test_whoami_as_an_application(hat: Hat) -> None:
    hat.login()
    result = hat("whoami", app_id="sandbox-app")
    assert result.code == 0, result.stderr
    assert "application: sandbox-app" in result.stdout


def test_post_get_sources_delete(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    records = [{"n": i, "label": f"item {i}"} for i in range(5)]
    posted = hat(
        "post", "sandbox-app/items", str(_write(tmp_path / "r.jsonl", records, lines=True))
    )
    assert posted.code == 0, posted.stderr
    assert "Stored 5 records in sandbox-app/items." in posted.stdout

    got = hat(
        "get", "sandbox-app/items", "--order-by", "n", "--descending", "--take", "2", "--json"
    )
    assert got.code == 0, got.stderr
    assert [r["data"] for r in json.loads(got.stdout)] == [records[4], records[3]]

    table = hat("get", "sandbox-app/items", "--skip", "4")
    assert "item 4" in table.stdout
    assert "item 3" not in table.stdout

    sources = hat("sources", "--json")
    assert json.loads(sources.stdout)["sandbox-app"] == ["items"]

    first = json.loads(got.stdout)[0]["recordId"]
    elsewhere = hat("delete", "sandbox-app/other", "--record-id", first)
    assert elsewhere.code == 2, elsewhere.stderr
    assert f"{first} is in sandbox-app/items; nothing was deleted" in elsewhere.stderr
    not_an_id = hat("delete", "sandbox-app/items", "--record-id", "not-an-id")
    assert not_an_id.code == 2
    assert "is not a record id" in not_an_id.stderr
    assert len(json.loads(hat("get", "sandbox-app/items", "--json").stdout)) == 5
    one = hat("delete", "sandbox-app/items", "--record-id", first)
    assert one.code == 0, one.stderr
    assert len(json.loads(hat("get", "sandbox-app/items", "--json").stdout)) == 4

    assert hat("delete", "sandbox-app/items", input="n\n").code == 1  # declined: nothing deleted
    assert hat("delete", "sandbox-app/items", "--yes").code == 0
    assert json.loads(hat("get", "sandbox-app/items", "--json").stdout) == []


def test_post_of_duplicates_fails_clearly_unless_skipped(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = _write(tmp_path / "r.json", [{"a": 1}, {"a": 2}], lines=False)
    assert hat("post", "sandbox-app/dups", str(source)).code == 0
    again = hat("post", "sandbox-app/dups", str(source))
    assert again.code == 5
    assert "--skip-duplicates" in again.stderr
    assert "skip_duplicates" not in again.stderr  # the shell's spelling, not Python's
    more = _write(tmp_path / "more.json", [{"a": 1}, {"a": 3}], lines=False)
    skipped = hat("post", "sandbox-app/dups", str(more), "--skip-duplicates")
    assert skipped.code == 0, skipped.stderr
    assert "Stored 1 record in sandbox-app/dups (1 duplicate skipped)." in skipped.stdout


def test_an_app_without_the_namespace_is_refused(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = _write(tmp_path / "r.json", [{"a": 1}], lines=False)
    result = hat("post", "other-ns/items", str(source), app_id="sandbox-app")
    assert result.code == 6, result.stderr
    assert "omit --app" in result.stderr


def test_bad_input_is_explained(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\nnot json\n', encoding="utf-8")
    result = hat("post", "sandbox-app/items", str(bad))
    assert result.code == 2
    assert "line 2" in result.stderr
    no_slash = hat("get", "no-slash")
    assert no_slash.code == 2
    assert "NAMESPACE/ENDPOINT" in no_slash.stderr
    assert "HAT_NAMESPACE" in no_slash.stderr
    upper = hat("get", "Upper/x")
    assert upper.code == 2
    assert "lowercase" in upper.stderr


def test_files_that_are_not_utf8_json_are_bad_input_naming_the_line(
    hat: Hat, tmp_path: Path
) -> None:
    hat.login()
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"a": 1}\n{"name": "caf\xe9"}\n')
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"a": 1}\n' + "[" * 100_000 + "\n", encoding="utf-8")
    whole = tmp_path / "latin.json"
    whole.write_bytes(b'[{"name": "caf\xe9"}]')
    nan = tmp_path / "nan.jsonl"
    nan.write_text('{"a": 1}\n{"a": NaN}\n', encoding="utf-8")
    huge = tmp_path / "huge.jsonl"
    huge.write_text('{"a": 1}\n{"a": 1e999}\n', encoding="utf-8")
    for source, said in [
        (latin, "line 2: not UTF-8"),
        (deep, "line 2: JSON nested too deeply"),
        (nan, "line 2: invalid JSON (NaN is not a JSON number)"),
        (huge, "line 2: its data holds inf at a,"),
    ]:
        for command in (["post", "sandbox-app/items"], ["import", "--to", "sandbox-app/items"]):
            result = hat(*command, str(source))
            assert result.code == 2, result.stderr
            assert said in result.stderr
            assert "Traceback" not in result.stderr
    result = hat("post", "sandbox-app/items", str(whole))
    assert result.code == 2
    assert "not UTF-8" in result.stderr
    assert json.loads(hat("get", "sandbox-app/items", "--json").stdout) == []  # nothing sent


def test_an_endpoint_alone_is_in_the_namespace_given_or_the_apps(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = _write(tmp_path / "r.json", [{"a": 1}], lines=False)
    assert hat("post", "items", str(source), app_id="sandbox-app").code == 0
    as_owner = hat("--namespace", "sandbox-app", "get", "items", "--json")
    assert as_owner.code == 0, as_owner.stderr
    assert [r["endpoint"] for r in json.loads(as_owner.stdout)] == ["sandbox-app/items"]
    as_app = hat("get", "sandbox-app/items", "--json", app_id="sandbox-app")
    assert json.loads(as_app.stdout) == json.loads(as_owner.stdout)


def test_plain_http_to_another_machine_is_refused_in_shell_words(hat: Hat) -> None:
    result = hat("--hat-url", "http://example.invalid", "get", "sandbox-app/x")
    assert result.code == 2
    assert "Use https://" in result.stderr
    assert "allow_insecure_http" not in result.stderr  # no such option for hat


def test_an_unknown_hat_is_reported(hat: Hat) -> None:
    # Nothing listens on port 9 (discard) of the loopback interface.
    result = hat("--hat-url", "http://127.0.0.1:9", "login", input="sandbox\n")
    assert result.code == 4, result.stderr
    assert "--hat-url" in result.stderr
    assert hat.keyring.store == {}


def test_help_is_available_everywhere(hat: Hat) -> None:
    for command in ("login", "whoami", "get", "post", "delete", "sources", "export", "import"):
        result = hat(command, "--help")
        assert result.code == 0, command
        assert "Usage" in result.stdout
    assert "generate" in hat("models", "--help").stdout


#: What `hat --help` must not import: it would start twice as slowly.
_HEAVY_MODULES = (
    "httpx",
    "pydantic",
    "keyring",
    "rich.progress",
    "hat_sdk._auth.tokens",
    "hat_sdk._client",
    "hat_sdk._records",
    "hat_sdk.sandbox",
)

_SHOW_HELP_AND_LIST_HEAVY_MODULES = f"""
import json, sys
from typer.testing import CliRunner
from hat_sdk.cli._app import app
for args in (["--help"], ["--version"], ["get", "--help"], ["models", "generate", "--help"]):
    result = CliRunner().invoke(app, args, env={{"HAT_LOG": None}})
    assert result.exit_code == 0 and result.stdout, (args, result.output)
print(json.dumps(sorted(name for name in {_HEAVY_MODULES!r} if name in sys.modules)))
"""


def test_help_and_version_import_neither_the_sdk_client_nor_its_dependencies() -> None:
    # A fresh interpreter: this test process has imported them all already.
    shown = subprocess.run(
        [sys.executable, "-c", _SHOW_HELP_AND_LIST_HEAVY_MODULES],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(shown.stdout) == []
