from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from assistant.settings import ROOT, Settings

CORPUS = ROOT / "articles"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may change."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", _env_file=None)


def real_assistant(folder: Path, **overrides):
    """(Assistant, IndexReport): the real default models over a private copy of the sample corpus in folder,
    indexed, for end-to-end tests; seeded; fails with the fix when the models are missing."""
    from assistant.api import Assistant

    shutil.copytree(CORPUS, folder / "articles")
    settings = Settings(corpus_dir=folder / "articles", index_dir=folder / "index", seed=0, _env_file=None, **overrides)
    if not settings.llm_path.is_file() or not settings.embedder_path.is_dir():
        pytest.fail("the default models are missing: run `bash scripts/setup.sh`")
    assistant = Assistant(settings)
    return assistant, assistant.index()


def pytest_terminal_summary(terminalreporter):
    """Screenshots the browser tests saved (record_property("screenshot", path)), so CI logs show where."""
    shots = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "screenshot"
    ]
    for path in dict.fromkeys(shots):
        terminalreporter.write_line(f"screenshot: {path}")


@contextmanager
def running(app) -> Iterator[str]:
    """An ASGI app served by uvicorn in a thread on a free loopback port; yields its URL, stops it at the end."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start within 10 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], ready_url: str, log: Path, timeout_s: float = 180) -> subprocess.Popen:
    """A server process, returned once ready_url answers 200; its output goes to log, shown if it fails to start."""
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.kill()
    process.wait()
    pytest.fail(f"{command[:3]} was not ready within {timeout_s:.0f} s:\n{log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="session")
def engine_servers(tmp_path_factory):
    """Settings overrides for the real server backends, started once per session on loopback: llama-cpp-python's
    OpenAI-compatible server with the shipped model, and a Chroma server; both stopped at the end."""
    settings = Settings(_env_file=None)
    if not settings.llm_path.is_file():
        pytest.fail("the default models are missing: run `bash scripts/setup.sh`")
    folder = tmp_path_factory.mktemp("servers")
    llm_port, chroma_port = free_port(), free_port()
    bin_dir = Path(sys.executable).parent
    processes = [
        _start(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(settings.llm_path), "--host", "127.0.0.1",
             "--port", str(llm_port), "--n_ctx", str(settings.n_ctx), "--seed", "0",
             "--n_threads", str(settings.n_threads)],
            f"http://127.0.0.1:{llm_port}/v1/models",
            folder / "llama-server.log",
        ),
        _start(
            [str(bin_dir / "chroma"), "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1",
             "--port", str(chroma_port)],
            f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat",
            folder / "chroma.log",
        ),
    ]  # fmt: skip
    try:
        yield {
            "llm_base_url": f"http://127.0.0.1:{llm_port}/v1",
            "chroma_host": "127.0.0.1",
            "chroma_port": chroma_port,
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
