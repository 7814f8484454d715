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


def check_llm(settings: Settings) -> None:
    """A missing model file, reported without loading anything."""
    if not settings.llm_path.is_file():
        raise ModelMissingError(
            f"no model file at {settings.llm_path}; run `bash scripts/setup.sh` or set ASSISTANT_LLM_PATH to a local "
            ".gguf file"
        )


def load_llm(settings: Settings) -> LLM:
    check_llm(settings)
    return LlamaCppLLM(
        settings.llm_path,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        seed=settings.seed,
        temperature=settings.temperature,
    )


def open_store(settings: Settings, embedder_name: str, *, create: bool = False, rebuild: bool = False) -> ChunkStore:
    return ChunkStore(settings.index_dir, embedder_name, chunker_id(settings), create=create, rebuild=rebuild)
