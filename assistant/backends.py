"""The one place where backends are chosen from the settings; everything else receives the objects."""

from __future__ import annotations

from .chunking import CHUNKER_VERSION
from .embed import Embedder, SentenceTransformerEmbedder
from .errors import ModelMissingError
from .generate import LLM, LlamaCppLLM
from .settings import Settings
from .store import ChunkStore


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
    cost seconds; the setup checks the sha256)."""
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


def open_store(settings: Settings, embedder_name: str, *, create: bool = False, rebuild: bool = False) -> ChunkStore:
    return ChunkStore(settings.index_dir, embedder_name, chunker_id(settings), create=create, rebuild=rebuild)
