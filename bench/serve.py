"""`assistant serve`: a one-shot `assistant ask --server URL` against the warm in-process latency of the same
questions (target: at most 1.3x), and throughput and p95 latency for 1, 2 and 4 concurrent clients, with the local
model and with llama-cpp-python's server as the LLM backend. Everything runs on loopback and stops at the end.

Requests take turns on one model (one lock per process), so more clients should raise latency, not throughput:
the 1-client row is the baseline of each backend.

    .venv/bin/python bench/serve.py [--requests 4]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402

from _util import ROOT, percentile, table  # noqa: E402

QUESTIONS = [
    "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
    "Wann brachen die aktuellen Kämpfe aus?",
    "What did the Russian foreign ministry publish?",
    "Wen sieht Armenien als seine Schutzmacht an?",
]
CLIENTS = [1, 2, 4]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], ready: str, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(ready, timeout=5)
            return process
        except OSError:
            time.sleep(1)
    process.kill()
    raise RuntimeError(f"{command[:3]} did not start: {log.read_text(errors='replace')[-1000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ask(url: str, question: str) -> float:
    request = urllib.request.Request(
        f"{url}/v1/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=900) as response:
        json.load(response)
    return time.perf_counter() - started


def concurrency(url: str, clients: int, requests: int) -> tuple[float, float, float]:
    """(requests per minute, p50 s, p95 s) of `requests` asks shared by `clients` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    work = [QUESTIONS[n % len(QUESTIONS)] for n in range(requests)]

    def client() -> None:
        while True:
            with lock:
                if not work:
                    return
                question = work.pop()
            latency = ask(url, question)
            with lock:
                latencies.append(latency)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return 60 * requests / wall, percentile(latencies, 0.5), percentile(latencies, 0.95)


def main(requests: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {"ASSISTANT_INDEX_DIR": str(workdir / "index")}
    processes: list[subprocess.Popen] = []
    try:
        settings = Settings(index_dir=workdir / "index", _env_file=None)
        assistant = Assistant(settings)
        assistant.index()
        assistant.warm_up()
        warm = []
        for question in QUESTIONS:
            started = time.perf_counter()
            assistant.ask(question)
            warm.append(time.perf_counter() - started)
        del assistant  # its models would compete with the server's for the two cores' memory bandwidth

        rows = []
        one_shot_rows = []
        llm_port = free_port()
        backends = [
            ("local model (llama-cpp in process)", {}),
            ("llama-cpp-python server", {"ASSISTANT_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1"}),
        ]
        for backend, extra in backends:
            if extra:
                processes.append(
                    start(
                        [sys.executable, "-m", "llama_cpp.server", "--model", str(settings.llm_path),
                         "--host", "127.0.0.1", "--port", str(llm_port), "--n_ctx", str(settings.n_ctx),
                         "--seed", "0", "--n_threads", str(settings.n_threads)],
                        f"http://127.0.0.1:{llm_port}/v1/models",
                        env,
                        workdir / "llama-server.log",
                    )
                )  # fmt: skip
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            server = start(
                [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
                f"{url}/health",
                {**env, **extra},
                workdir / "serve.log",
            )
            if not extra:
                for question in QUESTIONS:
                    started = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-m", "assistant.cli", "ask", "--server", url, question],
                        cwd=ROOT,
                        env={**os.environ, **env},
                        check=True,
                        capture_output=True,
                    )
                    one_shot_rows.append(time.perf_counter() - started)
            baseline = None
            for clients in CLIENTS:
                per_minute, p50, p95 = concurrency(url, clients, requests)
                baseline = baseline or per_minute
                rows.append([backend, clients, requests, per_minute, f"{per_minute / baseline:.2f}", p50, p95])
            stop(server)

        one_shot = percentile(one_shot_rows, 0.5)
        in_process = percentile(warm, 0.5)
        return (
            table(
                f"One-shot `assistant ask --server` against warm in-process `Assistant.ask` (n={len(QUESTIONS)} "
                "questions each)",
                ["path", "p50 s", "max s", "ratio to warm in-process"],
                [
                    ["warm in-process (baseline)", in_process, max(warm), "1.00"],
                    [
                        "`assistant ask --server URL` (new process)",
                        one_shot,
                        max(one_shot_rows),
                        f"{one_shot / in_process:.2f}",
                    ],
                ],
            )  # fmt: skip
            + "\n"
            + table(
                "`assistant serve` under concurrent clients (POST /v1/ask; requests take turns on one model)",
                ["LLM backend", "clients", "requests", "requests/min", "ratio to 1 client", "p50 s", "p95 s"],
                rows,
            )
        )
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4, help="requests per concurrency level")
    print(main(parser.parse_args().requests))
