#!/usr/bin/env bash
# Builds the CRD-serving Kubernetes API server the adapter tests run
# (k8s.io/apiextensions-apiserver, from the Go module proxy) into
# <repo>/.llmops-test/bin/kube-apiserver, and checks that etcd is there
# (Debian: apt-get install etcd-server). Idempotent: rebuilds only when
# main.go, go.mod or go.sum changed. The tests start etcd and the server
# themselves, each on a free loopback port.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SRC="$REPO/scripts/peers/kube-apiserver"
BIN="$REPO/.llmops-test/bin/kube-apiserver"
command -v etcd >/dev/null || { echo "kube-apiserver: etcd is missing (apt-get install etcd-server)" >&2; exit 1; }
if [ -x "$BIN" ] && [ -z "$(find "$SRC" -newer "$BIN" -type f)" ]; then
  echo "kube-apiserver: $BIN is up to date"
  exit 0
fi
mkdir -p "$(dirname "$BIN")"
# one package at a time, at low priority: the build is heavy
(cd "$SRC" && nice -n 10 go build -p "${GO_BUILD_JOBS:-1}" -o "$BIN" .)
echo "kube-apiserver: built $BIN"
