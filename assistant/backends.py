"""The one place where backends are chosen from the settings; everything else receives the objects."""

from __future__ import annotations

from .chunking import CHUNKER_VERSION
from .embed import Embedder, SentenceTransformerEmbedder
from .errors import BackendUnreachableError, IndexMissingError, ModelMissingError
from .generate import LLM, LlamaCppLLM, OpenAICompatibleLLM
from .settings import Settings
from .store import ChunkStore, index_exists


def chunker_id(settings: Settings) -> str:
    return f"{CHUNKER_VERSION}:max{settings.chunk_max_tokens}:min{settings.chunk_min_tokens}"


def load_embedder(settings: Settings) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedder_path, threads=settings.n_threads)


def check_llm(settings: Settings) -> None:
    """A missing model file, reported without loading anything."""
    if not settings.llm_base_url and not settings.llm_path.is_file():
        raise ModelMissingError(
            f"no model file at {settings.llm_path}; run `bash scripts/setup.sh` or set ASSISTANT_LLM_PATH to a local "
            ".gguf file"
        )


def load_llm(settings: Settings) -> LLM:
    """The local model file, or an OpenAI-compatible server where llm_base_url is set."""
    if settings.llm_base_url:
        return OpenAICompatibleLLM(
            settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            seed=settings.seed,
            temperature=settings.temperature,
            timeout=settings.llm_timeout_s,
        )
    check_llm(settings)
    return LlamaCppLLM(
        settings.llm_path,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        seed=settings.seed,
        temperature=settings.temperature,
    )


def check_index(settings: Settings) -> None:
    """A missing embedded index or an unreachable Chroma server, reported before any model loads."""
    if settings.chroma_host:
        _chroma_server(settings)
    elif not index_exists(settings.index_dir):
        raise IndexMissingError(f"no index at {settings.index_dir}; run `assistant index` first")


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _chroma_server(settings: Settings):
    import chromadb

    assert settings.chroma_host, "only called where a Chroma server is configured"
    try:
        client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings())
        client.heartbeat()
    except Exception as exc:  # chromadb reports a refused connection as ValueError or as its own errors
        raise BackendUnreachableError(
            f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({exc}); start it with "
            f"`chroma run --path DIR --host {settings.chroma_host} --port {settings.chroma_port}`, or unset "
            "ASSISTANT_CHROMA_HOST to use the embedded index"
        ) from exc
    return client


def open_store(settings: Settings, embedder_name: str, *, create: bool = False, rebuild: bool = False) -> ChunkStore:
    """The embedded index in index_dir, or the collection on a Chroma server where chroma_host is set."""
    import chromadb

    if settings.chroma_host:
        client = _chroma_server(settings)
        where = f"the Chroma server {settings.chroma_host}:{settings.chroma_port}"
    else:
        if not create:
            check_index(settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=_chroma_settings())
        where = str(settings.index_dir)
    return ChunkStore(
        client, where, settings.index_dir, embedder_name, chunker_id(settings), create=create, rebuild=rebuild
    )
