"""HAT_LOG / enable_logging: hat-sdk's logs on stderr, idempotent, secrets masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from hat_sdk._logging import enable_logging, enable_logging_from_env, mask

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


@pytest.fixture(autouse=True)
def _restore_loggers() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in ("hat_sdk", "httpx")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers


def test_masks_tokens_and_secret_fields() -> None:
    text = f'X-Auth-Token: {JWT} password=hunter2 {{"password": "hunter2"}} token={JWT}'
    masked = mask(text)
    assert "hunter2" not in masked
    assert "eyJ" not in masked


def test_hat_log_info_shows_sdk_lines_once_with_secrets_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    enable_logging_from_env({"HAT_LOG": "info"})
    enable_logging_from_env({"HAT_LOG": "INFO"})  # a second call adds no second handler
    logging.getLogger("hat_sdk.tokens").info("renewed %s with password=%s", JWT, "hunter2")
    logging.getLogger("hat_sdk.tokens").debug("not shown at info")
    err = capsys.readouterr().err
    assert err.count("renewed") == 1
    assert "hunter2" not in err
    assert JWT not in err
    assert "not shown" not in err


def test_debug_also_shows_httpx_request_lines(capsys: pytest.CaptureFixture[str]) -> None:
    enable_logging("debug")
    logging.getLogger("httpx").info("HTTP Request: GET http://h/?token=%s", JWT)
    err = capsys.readouterr().err
    assert "HTTP Request" in err
    assert JWT not in err


def test_without_hat_log_nothing_changes(capsys: pytest.CaptureFixture[str]) -> None:
    enable_logging_from_env({})
    logging.getLogger("hat_sdk.tokens").warning("a warning")
    assert "a warning" not in capsys.readouterr().err


def test_hat_log_warning_shows_only_warnings_and_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    enable_logging_from_env({"HAT_LOG": "warning"})
    logging.getLogger("hat_sdk.client").info("retrying")
    logging.getLogger("hat_sdk.client").warning("ignored a setting")
    err = capsys.readouterr().err
    assert "ignored a setting" in err
    assert "retrying" not in err


def test_an_unknown_level_is_a_warning_not_an_error() -> None:
    with pytest.warns(UserWarning, match="HAT_LOG"):
        enable_logging_from_env({"HAT_LOG": "verbose"})
    with pytest.raises(ValueError, match="debug, info"):
        enable_logging("verbose")
