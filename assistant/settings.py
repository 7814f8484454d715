"""One typed settings object, built in entry points and passed down (env prefix ASSISTANT_, optional .env).
It is the only place that holds defaults; each field's description is what the UI's settings view shows."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root: defaults point at the shipped corpus and the models the setup script assembles.
ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(ROOT / "articles", description="Folder of articles the index mirrors")
    index_dir: Path = Field(
        ROOT / "index", description="Folder of the index (the vectors too, unless a Chroma server holds them)"
    )
    prompts_dir: Path | None = Field(None, description="Folder of prompt templates; empty: the packaged ones")

    llm_path: Path = Field(
        ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", description="Language model (any local .gguf)"
    )
    embedder_path: Path = Field(
        ROOT / "models" / "embeddinggemma-300m", description="Embedder (any sentence-transformers folder)"
    )

    llm_base_url: str | None = Field(
        None,
        description="An OpenAI-compatible server (llama.cpp, vLLM, Ollama; e.g. http://127.0.0.1:8080/v1) used instead "
        "of the model file",
    )
    llm_model: str | None = Field(None, description="Model name on that server; empty: the first it lists")
    llm_api_key: str | None = Field(None, description="API key for that server, if it wants one")
    llm_timeout_s: float = Field(300.0, gt=0, description="Longest wait for the language model server, in seconds")
    chroma_host: str | None = Field(
        None, description="A Chroma server (`chroma run`) holding the vectors; empty: the embedded index in index_dir"
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Port of that Chroma server")

    n_ctx: int = Field(4096, ge=512, description="Context window of the language model, in tokens")
    n_threads: int = Field(2, ge=1, description="CPU threads for the models")
    seed: int = Field(0, description="Sampling seed")
    temperature: float = Field(0.0, ge=0.0, description="Sampling temperature (0: always the likeliest token)")
    max_answer_tokens: int = Field(200, ge=16, description="Longest answer the model may write, in tokens")
    max_question_tokens: int = Field(200, ge=8, description="Longest question accepted, in tokens")

    chunk_max_tokens: int = Field(120, ge=32, description="Largest chunk, in tokens")
    chunk_min_tokens: int = Field(30, ge=1, description="Smallest chunk before it joins the next paragraph")
    top_k: int = Field(20, ge=1, le=40, description="Passages retrieved per question, to choose the evidence from")
    max_evidence: int = Field(6, ge=1, le=20, description="Evidence sentences the model is shown at most")
    max_evidence_several: int = Field(
        12,
        ge=1,
        le=20,
        description="Evidence sentences at most for a question that names or compares several things in one clause",
    )
    min_evidence: float = Field(
        0.3, ge=0.0, le=1.0, description="Similarity of the best evidence to the question below which it abstains"
    )
    confident_evidence: float = Field(
        0.6, ge=0.0, le=1.0, description="Similarity above which an answer skips the model's yes/no relevance check"
    )
    translate_share: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Corpus languages with this share of chunks get a translated query for BM25 (1: none; with "
        "BM25 weighted low in the fusion, a translation found no more facts and cost a model call)",
    )

    brief_max_sentences: int = Field(18, ge=3, le=60, description="Sentences in a briefing's narrative sections")
    brief_fact_tokens: int = Field(64, ge=16, description="The model's budget per rewritten briefing sentence")
    brief_shorten_above: int = Field(
        18, ge=6, description="Briefing sentences longer than this (in words) are shortened"
    )
    index_batch: int = Field(
        64, ge=1, description="Chunks embedded and committed together while indexing (a kill loses at most one batch)"
    )
    brief_model_sentences: int = Field(
        16,
        ge=0,
        description="Sentences per briefing the model reads for who says what, beyond those it read before "
        "(replies are cached in the index folder); 0: the rules alone",
    )
    ui_login: SecretStr | None = Field(
        None, description="Login the app asks for, as user:password (set it before serving beyond this machine)"
    )
    server_url: str | None = Field(
        None, description="A running `assistant serve` (e.g. http://127.0.0.1:8000) that ask and brief use"
    )
    max_file_bytes: int = Field(2_000_000, ge=1, description="Largest article file indexed, in bytes")
