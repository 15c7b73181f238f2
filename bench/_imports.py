"""Import time of ``hat_sdk`` in fresh interpreters, and which heavy modules it loads.

The interpreters run with bytecode caching on (in a scratch ``PYTHONPYCACHEPREFIX``), after one
warm-up run, as an installed wheel does: pip compiles a wheel's modules when it installs it, but
this checkout's sources would otherwise be compiled again on every import whenever
``PYTHONDONTWRITEBYTECODE`` is set, and the dependencies (installed, so compiled) would not.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report_types import Finding, ms

GOAL_SECONDS = 0.150
#: Modules only some uses need; importing ``hat_sdk`` should not load them.
HEAVY = ("hishel", "cryptography", "jwt", "starlette", "uvicorn", "rich", "typer", "keyring")

EAGER = "import hat_sdk"
TYPICAL = "from hat_sdk import HatClient, HatModel, AppToken"
#: What sending a request and building models needs whatever hat_sdk does.
FLOOR = "import httpx, pydantic"
#: The floor once a first pydantic model class exists, its schema deferred as ``HatModel``'s
#: is (defining any model class loads pydantic's machinery), for reading the ratio.
FLOOR_MODEL = (
    "import httpx, pydantic\nclass M(pydantic.BaseModel):\n"
    "    model_config = pydantic.ConfigDict(defer_build=True)\n    x: int"
)
#: ``TYPICAL`` within this ratio of ``FLOOR``, measured in the same run.
RATIO_GOAL = 1.3

_PROBE = """
import json, sys, time
start = time.perf_counter()
{statement}
elapsed = time.perf_counter() - start
heavy = sorted(name for name in {heavy!r} if name in sys.modules)
print(json.dumps({{"seconds": elapsed, "heavy": heavy}}))
"""


_PYCACHE = tempfile.mkdtemp(prefix="hat-bench-pyc-")
_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _PYCACHE,
}


def _import_time(statement: str, repeat: int) -> tuple[float, list[str]]:
    times, heavy = [], []
    code = _PROBE.format(statement=statement, heavy=HEAVY)
    for run in range(repeat + 1):
        result = json.loads(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=_ENV
            ).stdout
        )
        if run:  # run 0 writes the bytecode
            times.append(result["seconds"])
            heavy = result["heavy"]
    return statistics.median(times), heavy


def _process_time(args: list[str], repeat: int) -> float:
    """Median wall time of a whole process (start-up and exit included)."""
    times = []
    for run in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=_ENV)
        if run:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cli_help(repeat: int) -> Finding:
    hat = shutil.which("hat", path=str(Path(sys.executable).parent))
    if hat is None:
        return Finding(
            "Import time", "`hat --help`", "not measured: the cli extra is not installed"
        )
    cli = _process_time([hat, "--help"], repeat)
    floor = _process_time([sys.executable, "-c", FLOOR], repeat)
    return Finding(
        "Import time",
        f"`hat --help` vs `python -c '{FLOOR}'` (whole processes, same run)",
        f"{ms(cli)} vs {ms(floor)} = {cli / floor:.2f}x",
        {"ratio": cli / floor, "seconds": cli},
        goal=f"<= {RATIO_GOAL:g}x",
        met=cli / floor <= RATIO_GOAL,
    )


def import_time(repeat: int) -> list[Finding]:
    """Rows: ``import hat_sdk`` (with the goal), the typical first import of a client, and the
    floor set by the dependencies every request needs."""
    floor, floor_heavy = _import_time(FLOOR, repeat)
    findings = []
    for statement, goal in ((EAGER, True), (TYPICAL, False), (FLOOR, False)):
        seconds, heavy = (
            (floor, floor_heavy) if statement == FLOOR else _import_time(statement, repeat)
        )
        loaded = ", ".join(heavy) or "none"
        findings.append(
            Finding(
                "Import time",
                f"`{statement}` (fresh interpreter)",
                f"{ms(seconds)}; heavy modules loaded: {loaded}",
                {"seconds": seconds},
                goal=f"< {GOAL_SECONDS * 1000:.0f} ms" if goal else "",
                met=seconds < GOAL_SECONDS if goal else None,
                note=f"{FLOOR} alone: {ms(floor)}" if goal and seconds >= GOAL_SECONDS else "",
            )
        )
    typical = next(f for f in findings if TYPICAL in f.case).figures["seconds"]
    with_model, _ = _import_time(FLOOR_MODEL, repeat)
    ratio = typical / floor
    findings.append(
        Finding(
            "Import time",
            f"`{TYPICAL}` vs `{FLOOR}` (fresh interpreters, same run)",
            f"{ms(typical)} vs {ms(floor)} = {ratio:.2f}x",
            {"ratio": ratio},
            goal=f"<= {RATIO_GOAL:g}x",
            met=ratio <= RATIO_GOAL,
            note=f"{FLOOR} and one pydantic model class (HatModel is one): {ms(with_model)}"
            f" ({with_model / floor:.2f}x the floor; hat_sdk adds {typical / with_model:.2f}x)",
        )
    )
    findings.append(_cli_help(repeat))
    return findings
