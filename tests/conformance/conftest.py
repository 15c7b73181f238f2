"""Reporting for the schemathesis conformance run: failures counted, figures printed at the end."""

from __future__ import annotations

import pytest

from tests.conformance._stats import RUN

_MODULE = "test_schemathesis.py"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember failed conformance tests for the summary."""
    if report.failed and _MODULE in report.nodeid:
        RUN.failed_tests.append(report.nodeid.split("::", 1)[-1])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print operations covered, cases sent and failures (also without ``-s``)."""
    if not RUN.operations and not RUN.failed_tests:
        return
    terminalreporter.section("schemathesis conformance")
    for line in RUN.summary_lines():
        terminalreporter.write_line(line)
