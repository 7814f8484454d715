"""Runs every benchmark and writes bench/RESULTS.md with the machine, the commit and the command.

    .venv/bin/python bench/run_all.py          (or: make bench)
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import ROOT  # noqa: E402

import generation  # noqa: E402
import ingest  # noqa: E402
import memory  # noqa: E402
import retrieval  # noqa: E402


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory_kib = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
    return f"{cpu}, {os.cpu_count()} cores, {memory_kib / 2**20:.0f} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT).stdout
    sections = []
    for name, run in [("ingest", ingest.main), ("retrieval", lambda: retrieval.main([10_000, 100_000])),
                      ("generation", generation.main), ("memory", memory.main)]:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        sections.append(run())
        print(sections[-1], flush=True)
    header = (
        "# Benchmark results\n\n"
        f"- Date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}\n"
        f"- Machine: {machine()}\n"
        f"- Commit: {commit}{' (with uncommitted changes)' if dirty else ''}\n"
        "- Command: `make bench` (= `.venv/bin/python bench/run_all.py`)\n\n"
        "Ratios compare against a baseline measured in the same run, since absolute times drift on shared machines.\n\n"
    )
    (ROOT / "bench" / "RESULTS.md").write_text(header + "\n".join(sections), encoding="utf-8")
    print("bench: wrote bench/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
