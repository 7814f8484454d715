"""Embedders: the sentence-transformers backend, behind a small interface the index and retriever share."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ModelMissingError


class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model and its output, so an index built with another embedder is refused."""

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        """One L2-normalised row per text; titles (one per text, "" for none) where the model reads a document's
        title with it."""

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


# EmbeddingGemma's document prompt has a slot for the document's title.
_TITLE_SLOT = "title: none"


class SentenceTransformerEmbedder:
    """Loads the model on the first embedding call: its name comes from the files, so opening the index or a
    re-index of an unchanged folder never pays for loading it."""

    def __init__(self, path: Path, batch_size: int = 16, threads: int | None = None):
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelMissingError(
                f"no sentence-transformers model at {path}; run `bash scripts/setup.sh` "
                "or set ASSISTANT_EMBEDDER_PATH to a local model folder"
            )
        self._path = path
        self._batch_size = batch_size
        self._threads = threads
        self._model: Any = None
        fingerprint = hashlib.sha256()
        for file in sorted(path.rglob("*")):
            if file.is_file() and (file.suffix == ".json" or file.suffix in (".safetensors", ".bin")):
                fingerprint.update(f"{file.relative_to(path)}:{file.stat().st_size}".encode())
                if file.suffix == ".json":
                    fingerprint.update(file.read_bytes())
        self._name = f"st:{path.name}:{fingerprint.hexdigest()[:12]}"

    @property
    def name(self) -> str:
        return self._name

    def _loaded(self):
        if self._model is None:
            offline_environment()
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise ModelMissingError(
                    f"sentence-transformers is not installed ({exc}); run `bash scripts/setup.sh`"
                ) from exc
            if self._threads:
                torch.set_num_threads(self._threads)
            self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        return self._model

    def _encode(self, texts: list[str], task: str | None) -> np.ndarray:
        model = self._loaded()
        # EmbeddingGemma ships query/document task prompts; a model without them gets plain encode().
        prompts = getattr(model, "prompts", None) or {}
        kwargs = {"prompt_name": task} if task in prompts else {}
        vectors = model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True, **kwargs
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        prompt = (getattr(self._loaded(), "prompts", None) or {}).get("document", "")
        if titles is None or _TITLE_SLOT not in prompt:
            return self._encode(list(texts), "document")
        # "title: <the article's headline> | text: <sentence>": a sentence is found by what its article is about
        # too (the prompt is part of what the model pools, so writing it out is the same as naming it).
        titled = [
            prompt.replace(_TITLE_SLOT, f"title: {' '.join(title.split()) or 'none'}") + text
            for text, title in zip(texts, titles, strict=True)
        ]
        return self._encode(titled, None)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], "query")[0]
