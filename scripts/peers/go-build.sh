#!/usr/bin/env bash
# go-build.sh <wrapper-dir> <package> <binary> [link-name]
#
# Builds one Go command of a test peer (Kubernetes, kwok, Argo, KServe,
# KubeRay) from the Go module proxy, through a wrapper module that pins
# its version (<wrapper-dir>/go.mod and go.sum, committed), into a cache
# outside the checkout, keyed by module and version:
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/llmops-test/bin/<module, / as _>@<version>/<binary>
#
# and links it into <repo>/.llmops-test/bin/<link-name> (default: <binary>).
# A fresh clone on the same machine then starts in seconds, while a new
# machine builds everything itself. The cached binary is reused while the
# key (wrapper go.mod and go.sum, package, ldflags, Go version) is
# unchanged; each build prints its wall time.
#
# Files the module download lacks (Argo's go:embed'd ui/dist/app, which
# its Makefile creates before building): <wrapper-dir>/overlay/<path> is
# added as <module root>/<path> of the module that provides <package>, in a
# copy of that module in the cache folder (go build -overlay refuses files
# beneath GOMODCACHE, which is never written).
#
# Environment: GO (default: go on PATH, else /usr/local/go/bin/go);
# GO_LDFLAGS (passed to -ldflags); GO_TAGS (passed to -tags);
# GO_BUILD_JOBS (go build -p, default 2). One build at a time, at low
# priority: the machine is small and others run tests on it.
set -euo pipefail

WRAP="$(cd "$1" && pwd)"
PKG="$2"
BIN="$3"
LINK="${4:-$BIN}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
LDFLAGS="${GO_LDFLAGS:-}"
TAGS="${GO_TAGS:-}"

# The module that provides PKG: the longest module path required by the
# wrapper's go.mod that PKG lies in, and its pinned version.
read -r MOD VER < <(
  awk '/^require \(/ { block = 1; next }
       block && /^\)/ { block = 0 }
       block && NF >= 2 { print $1, $2 }
       /^require [^(]/ { print $2, $3 }' "$WRAP/go.mod" |
    while read -r path version; do
      case "$PKG" in "$path" | "$path"/*) echo "${#path} $path $version" ;; esac
    done | sort -rn | head -1 | cut -d' ' -f2-
)
[ -n "${MOD:-}" ] || { echo "go-build: no module in $WRAP/go.mod provides $PKG" >&2; exit 1; }

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/llmops-test/bin/${MOD//\//_}@$VER"
OUT="$CACHE/$BIN"
KEY="$(
  {
    cat "$WRAP/go.mod" "$WRAP/go.sum"
    echo "$PKG|$LDFLAGS|$TAGS"
    [ -d "$WRAP/overlay" ] && (cd "$WRAP/overlay" && find . -type f | sort | xargs cat)
    "$GO" env GOVERSION
  } | sha256sum | cut -d' ' -f1
)"
LINKED="$REPO/.llmops-test/bin/$LINK"
mkdir -p "$CACHE" "$(dirname "$LINKED")"

if [ -x "$OUT" ] && [ "$(cat "$OUT.key" 2>/dev/null)" = "$KEY" ]; then
  echo "$LINK: cached ($MOD@$VER)"
else
  echo "$LINK: building $PKG ($MOD@$VER) ..."
  start=$(date +%s)
  MODFILE=()
  if [ -d "$WRAP/overlay" ]; then
    # a copy of the module with the overlay's files added (go build -overlay
    # refuses files beneath GOMODCACHE), used through an alternate go.mod
    # (-modfile) that replaces the module by that copy
    (cd "$WRAP" && "$GO" mod download "$MOD")
    MODDIR="$(cd "$WRAP" && "$GO" list -m -f '{{.Dir}}' "$MOD")"
    SRC="$CACHE/src"
    rm -rf "$SRC"
    mkdir -p "$SRC"
    cp -R "$MODDIR/." "$SRC/"
    chmod -R u+w "$SRC"
    cp -R "$WRAP/overlay/." "$SRC/"
    cp "$WRAP/go.mod" "$CACHE/build.mod"
    cp "$WRAP/go.sum" "$CACHE/build.sum"
    printf '\nreplace %s => %s\n' "$MOD" "$SRC" >>"$CACHE/build.mod"
    MODFILE=(-modfile "$CACHE/build.mod")
  fi
  (cd "$WRAP" && nice -n 10 "$GO" build -p "${GO_BUILD_JOBS:-2}" -trimpath \
    ${TAGS:+-tags "$TAGS"} "${MODFILE[@]}" -ldflags "$LDFLAGS" -o "$OUT.tmp" "$PKG")
  mv -f "$OUT.tmp" "$OUT"
  echo "$KEY" >"$OUT.key"
  echo "built $LINK in $(($(date +%s) - start)) s"
fi
ln -sfn "$OUT" "$LINKED"
