#!/usr/bin/env bash
# Installs what the ONNX tests need: Debian's python3-torch (the real exporter) and
# python3-onnx (op schemas) for Debian's own interpreter. Idempotent: a second run only
# checks. Needs root (or sudo) the first time; apt is the only network it uses.
set -euo pipefail

PYTHON=/usr/bin/python3
APT_PACKAGES=(python3-torch python3-onnx)

say() { printf '[onnx-setup] %s\n' "$*"; }
die() { printf '[onnx-setup] ERROR: %s\n' "$*" >&2; exit 1; }

if [ -x "$PYTHON" ] && "$PYTHON" -c 'import torch, onnx' >/dev/null 2>&1; then
  say "present: $("$PYTHON" -c 'import torch, onnx; print("torch", torch.__version__, "onnx", onnx.__version__)')"
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

say "installing Debian packages: ${APT_PACKAGES[*]} (about 40 s, 650 MB)"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || die "apt-get update failed"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${APT_PACKAGES[@]}" >/dev/null \
  || die "apt-get install failed for: ${APT_PACKAGES[*]}"
"$PYTHON" -c 'import torch, onnx' || die "$PYTHON still cannot import torch and onnx"
say "ready: $("$PYTHON" -c 'import torch, onnx; print("torch", torch.__version__, "onnx", onnx.__version__)')"
