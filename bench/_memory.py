"""Memory: peak memory of ``iter`` over 100,000 records vs ``get`` of all of them.

Each measurement runs in a fresh interpreter (this file run as a script), so one run's
allocations cannot hide another's peak. The figure is the ``tracemalloc`` peak of the read
alone (started after imports and a warm-up read); the growth of the peak RSS (``VmHWM``) over
the read is recorded too, but it hides reads smaller than what imports already peaked at.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tracemalloc
from pathlib import Path

from _report_types import Finding

BULK_ENDPOINT = "bulk"
PAGE = 1_000
#: "A few pages": the page being yielded, the answers read ahead (iter's prefetch, 4) and slack.
PAGES_ALLOWED = 6
_TOKEN_VARIABLE = "HAT_BENCH_TOKEN"


def _peak_kib() -> int:
    """This process's peak RSS in KiB. ``VmHWM`` rather than ``ru_maxrss``: Linux carries
    ``ru_maxrss`` over from the parent across ``exec``, so a child would report the parent's."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _child(url: str, mode: str, count: int) -> None:
    token_value = os.environ[_TOKEN_VARIABLE]
    from _workload import NAMESPACE, Reading

    from hat_sdk import GetOpts, HatClient, WebOwnerToken

    with HatClient(WebOwnerToken(token_value, hat_url=url), NAMESPACE) as client:
        client.get(Reading, BULK_ENDPOINT, GetOpts(take=1))
        before = _peak_kib()
        tracemalloc.start()
        if mode == "iter":
            records = sum(1 for _ in client.iter(Reading, BULK_ENDPOINT, page_size=PAGE))
        else:
            records = len(client.get(Reading, BULK_ENDPOINT, GetOpts(take=count)))
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        growth = _peak_kib() - before
    print(json.dumps({"records": records, "peak_kib": traced // 1024, "rss_growth_kib": growth}))


def _measure(url: str, token_value: str, mode: str, count: int, repeat: int) -> dict[str, int]:
    """Records read and median peaks in KiB over ``repeat`` fresh processes."""
    results = []
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, str(Path(__file__)), url, mode, str(count)],
            env={**os.environ, _TOKEN_VARIABLE: token_value},  # not in argv: ps shows argv
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output))
    return {key: round(statistics.median(r[key] for r in results)) for key in results[0]}


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.1f} MiB"


def memory(url: str, token_value: str, count: int, repeat: int) -> list[Finding]:
    """Rows: peak memory of one page, of ``iter`` over ``count`` records, of ``get`` of all.

    The long reads run once (``tracemalloc`` peaks hardly vary, and ``iter`` over 100,000
    records takes the sandbox most of a minute); one page is measured ``repeat`` times.
    """
    page = _measure(url, token_value, "get", PAGE, repeat)
    walk = _measure(url, token_value, "iter", count, 1)
    whole = _measure(url, token_value, "get", count, 1)
    bound = PAGES_ALLOWED * page["peak_kib"]
    rows = [
        (f"get of one page ({page['records']:,} records)", page, "", None),
        (
            f"iter over {walk['records']:,} records (pages of {PAGE:,})",
            walk,
            f"a few pages (<= {PAGES_ALLOWED}x one page's peak)",
            walk["peak_kib"] <= bound and walk["records"] == count,
        ),
        (f"get of all {whole['records']:,} records", whole, "", None),
    ]
    return [
        Finding(
            "Memory",
            f"peak memory of {case}",
            f"{_mib(figures['peak_kib'])} (RSS growth {_mib(figures['rss_growth_kib'])})",
            {key: float(value) for key, value in figures.items()},
            goal=goal,
            met=met,
        )
        for case, figures, goal, met in rows
    ]


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
