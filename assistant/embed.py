"""Embedders: the sentence-transformers backend, behind a small interface the index and retriever share."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ModelMissingError


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model and its output, so an index built with another embedder is refused."""

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""

    def embed_query(self, text: str) -> np.ndarray:
        """One L2-normalised vector."""


def offline_environment() -> None:
    """No hub look-ups, no telemetry: nothing may wait on a network this machine does not have."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }.items():
        os.environ.setdefault(key, value)


class SentenceTransformerEmbedder:
    def __init__(self, path: Path, batch_size: int = 16, threads: int | None = None):
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise ModelMissingError(
                f"no sentence-transformers model at {path}; run `bash scripts/setup.sh` "
                "or set ASSISTANT_EMBEDDER_PATH to a local model folder"
            )
        offline_environment()
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelMissingError(f"sentence-transformers is not installed ({exc}); run `bash scripts/setup.sh`") from exc
        if threads:
            torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        weights = next(iter(sorted(path.glob("*.safetensors"))), None)
        fingerprint = hashlib.sha256(f"{weights.stat().st_size if weights else 0}".encode()).hexdigest()[:8]
        self._name = f"st:{path.name}:{self._model.get_embedding_dimension()}:{fingerprint}"
        # EmbeddingGemma ships task prompts; a model without them gets plain encode().
        prompts = getattr(self._model, "prompts", {}) or {}
        self._has_task_prompts = "query" in prompts and "document" in prompts

    @property
    def name(self) -> str:
        return self._name

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        encode = self._model.encode_document if self._has_task_prompts else self._model.encode
        return np.asarray(
            encode(list(texts), batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True),
            dtype=np.float32,
        )

    def embed_query(self, text: str) -> np.ndarray:
        encode = self._model.encode_query if self._has_task_prompts else self._model.encode
        return np.asarray(encode([text], normalize_embeddings=True, convert_to_numpy=True)[0], dtype=np.float32)
