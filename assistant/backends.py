"""The one place where backends are chosen from the settings; everything else receives the objects."""

from __future__ import annotations

from .chunking import CHUNKER_VERSION
from .embed import Embedder, SentenceTransformerEmbedder
from .errors import BackendUnreachableError, IndexMissingError, ModelMissingError
from .generate import LLM, LlamaCppLLM, OpenAICompatibleLLM
from .settings import Settings
from .store import ChunkStore, index_exists, open_embedded


def chunker_id(settings: Settings) -> str:
    return f"{CHUNKER_VERSION}:max{settings.chunk_max_tokens}:min{settings.chunk_min_tokens}"


def load_embedder(settings: Settings) -> Embedder:
    return SentenceTransformerEmbedder(settings.embedder_path, threads=settings.n_threads)


# The shipped default model, as scripts/setup.sh assembles and checks it (its LLM_SHA; a test keeps them equal).
DEFAULT_LLM = {
    "name": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "size": 1_117_320_768,
    "sha256": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
}
_SETUP_HINT = "run `bash scripts/setup.sh` (it assembles and checks the shipped model)"


def check_llm(settings: Settings) -> None:
    """A missing, truncated or foreign model file, reported without loading anything: the file must start
    with a GGUF header, and the shipped model must have its exact size (hashing 1 GB at every start would
    cost seconds; the setup checks the sha256). Nothing to check where the model is served elsewhere."""
    if settings.llm_base_url:
        return
    path = settings.llm_path
    if not path.is_file():
        raise ModelMissingError(
            f"no model file at {path}; run `bash scripts/setup.sh` or set ASSISTANT_LLM_PATH to a local .gguf file"
        )
    with open(path, "rb") as file:
        header = file.read(8)
    size = path.stat().st_size
    if header[:4] != b"GGUF" or int.from_bytes(header[4:8], "little") not in (1, 2, 3):
        raise ModelMissingError(f"{path} is not a GGUF model file ({size:,} bytes); {_SETUP_HINT}")
    if path.name == DEFAULT_LLM["name"] and size != DEFAULT_LLM["size"]:
        raise ModelMissingError(
            f"{path} is {size:,} bytes, the shipped model has {DEFAULT_LLM['size']:,}: the file is truncated or "
            f"damaged; delete it and {_SETUP_HINT}"
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
    try:
        return LlamaCppLLM(
            settings.llm_path,
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            seed=settings.seed,
            temperature=settings.temperature,
        )
    except ValueError as exc:  # llama.cpp's "Failed to load model from file": truncated or damaged
        raise ModelMissingError(
            f"{settings.llm_path} cannot be loaded ({exc}); the file is truncated or damaged: {_SETUP_HINT}"
        ) from exc


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
    kept_aside = None
    if settings.chroma_host:
        client = _chroma_server(settings)
        where = f"the Chroma server {settings.chroma_host}:{settings.chroma_port}"
    else:
        if not create:
            check_index(settings)
        client, kept_aside = open_embedded(settings.index_dir, rebuild)
        where = str(settings.index_dir)
    return ChunkStore(
        client, where, settings.index_dir, embedder_name, chunker_id(settings), create=create, rebuild=rebuild,
        kept_aside=kept_aside,
    )  # fmt: skip
