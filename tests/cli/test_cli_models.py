"""hat models generate (from schemas, samples and a live endpoint) and hat sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Hat

REPO = Path(__file__).resolve().parents[2]
PAYLOADS = REPO / "tests" / "codegen" / "payloads"


@pytest.mark.parametrize(
    ("payload", "class_name"),
    [
        ("post-data-locations-array-request.json", "Location"),
        ("post-data-notable-request.json", "Notable"),
        ("post-data-profile-object-request.json", "Profile"),
        ("post-data-nudge-request.json", "Nudge"),
        ("she-feed-response.json", "FeedItem"),
    ],
)
def test_generate_from_the_shared_payloads_to_stdout(
    hat: Hat, payload: str, class_name: str
) -> None:
    result = hat(
        "models", "generate", "--samples", str(PAYLOADS / payload), "--class-name", class_name
    )
    assert result.code == 0, result.stderr
    assert f"class {class_name}(HatModel):" in result.stdout
    assert "from hat_sdk import HatModel" in result.stdout
    compile(result.stdout, f"{class_name}.py", "exec")


def test_generate_from_a_schema_to_a_file(hat: Hat, tmp_path: Path) -> None:
    out = tmp_path / "nudge.py"
    schema = REPO / "generator" / "record-schemas" / "nudge.json"
    result = hat("models", "generate", "--schema", str(schema), "-o", str(out))
    assert result.code == 0, result.stderr
    assert "class Nudge(HatModel):" in out.read_text(encoding="utf-8")


def test_generate_from_a_live_endpoint(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        "\n".join(json.dumps({"title": f"t{n}", "rating": n}) for n in range(3)), encoding="utf-8"
    )
    assert hat("post", "sandbox-app/reviews", str(samples)).code == 0
    result = hat("models", "generate", "--endpoint", "sandbox-app/reviews", "--sample", "2")
    assert result.code == 0, result.stderr
    assert "class Reviews(HatModel):" in result.stdout
    assert "rating: int" in result.stdout


def test_generate_needs_exactly_one_source(hat: Hat) -> None:
    result = hat("models", "generate")
    assert result.code == 2
    assert "exactly one of --schema, --samples or --endpoint" in result.stderr


def test_sandbox_command_hands_over_to_hat_sandbox(hat: Hat) -> None:
    result = hat("sandbox", "--help")
    assert result.code == 0
    assert "--fault-rate" in result.stdout
