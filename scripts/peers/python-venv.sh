#!/usr/bin/env bash
# Creates <repo>/.llmops-test/venv with the Python tools the peer tests and
# the demo stack run, from PyPI. uv (itself from PyPI) installs them in
# seconds where pip takes minutes. Idempotent: skips the install when the
# same pins are already installed.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${LLMOPS_VENV:-$REPO/.llmops-test/venv}"
PYTHON="${PYTHON:-python3}"
UV=uv==0.13.9
PINS="mlflow==3.17.2 dvc==3.67.1 schemathesis==4.32.5 olah==0.5.4 huggingface_hub==2.4.0"
STAMP="$VENV/.llmops-pins"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$PINS" ]; then
  echo "python-venv: $VENV already has $PINS"
  exit 0
fi
start=$SECONDS
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$UV"
"$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" $PINS
echo "$PINS" > "$STAMP"
echo "python-venv: installed $PINS into $VENV in $((SECONDS - start)) s"
