"""Shared by the benchmark scripts: timing, percentiles, peak memory of a child process, Markdown tables."""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@contextmanager
def stopwatch():
    result = {}
    started = time.perf_counter()
    yield result
    result["s"] = time.perf_counter() - started


def run_measured(command: list[str], env: dict | None = None, timeout: float = 1800) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, stdout) of a child process; wait4 reports that child's own peak."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return wall, usage.ru_maxrss / 1024, output


def table(title: str, header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        return f"{value:,.3f}" if isinstance(value, float) else str(value)

    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
