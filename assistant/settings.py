"""One typed settings object, built in entry points and passed down (env prefix ASSISTANT_, optional .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root: defaults point at the shipped corpus and the models the setup script assembles.
ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    corpus_dir: Path = ROOT / "articles"
    index_dir: Path = ROOT / "index"
    prompts_dir: Path = ROOT / "prompts"

    llm_path: Path = ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    embedder_path: Path = ROOT / "models" / "embeddinggemma-300m"

    n_ctx: int = 4096
    n_threads: int = Field(default=2, ge=1)
    seed: int = 0
    temperature: float = 0.0
    max_answer_tokens: int = Field(default=200, ge=16)
    max_question_tokens: int = Field(default=200, ge=8)

    chunk_max_tokens: int = Field(default=120, ge=32)
    chunk_min_tokens: int = Field(default=30, ge=1)
    top_k: int = Field(default=5, ge=1, le=20)
    # Briefings: how many sentences the narrative sections may hold, the model's budget per rewritten
    # sentence, and the length (in words) above which a sentence is given to the model to shorten.
    brief_max_sentences: int = Field(default=18, ge=3, le=60)
    brief_fact_tokens: int = Field(default=64, ge=16)
    brief_shorten_above: int = Field(default=18, ge=6)
    max_file_bytes: int = 2_000_000
