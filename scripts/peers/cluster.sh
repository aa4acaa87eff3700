#!/usr/bin/env bash
# cluster.sh: the binaries of the test cluster that
# packages/test-utils/src/cluster (startCluster) runs on loopback, built from
# the Go module proxy one at a time through go-build.sh (cached outside the
# checkout by module and version; a cached one takes no time), linked into
# <repo>/.llmops-test/bin/:
#
#   kube-apiserver, kube-controller-manager, kube-scheduler       k8s.io/kubernetes (scripts/peers/kubernetes)
#   kwok                                                          sigs.k8s.io/kwok (scripts/peers/kwok)
#   workflow-controller, argo                                     github.com/argoproj/argo-workflows/v3 (scripts/peers/argo-workflows)
#   kserve-manager                                                github.com/kserve/kserve (scripts/peers/kserve)
#   kuberay-operator                                              github.com/ray-project/kuberay/ray-operator (scripts/peers/kuberay)
#
# It also writes <repo>/.llmops-test/cluster.json: the Go module cache
# folder of each pinned module, where the tests read the manifests of the
# same versions (CRDs, RBAC, ConfigMaps, kwok Stages, serving runtimes).
# Idempotent. Needs Debian's etcd (apt-get install etcd-server).
#
# Usage: scripts/peers/cluster.sh [component...]   (default: all of them;
# components: kubernetes kwok argo kserve kuberay)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GO
# proxy.golang.org also serves the checksum database (sum.golang.org) at
# /sumdb/sum.golang.org/, which the go command uses when sum.golang.org
# itself is out of reach: no GOSUMDB/GONOSUMDB change is needed.

command -v etcd >/dev/null || {
  echo "cluster: etcd is missing (apt-get install etcd-server)" >&2
  exit 1
}

# the version a wrapper pins for a module
pinned() { awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$HERE/$1/go.mod"; }

build=("$@")
[ ${#build[@]} -gt 0 ] || build=(kubernetes kwok argo kserve kuberay)
for component in "${build[@]}"; do
  case "$component" in
  kubernetes)
    v="$(pinned kubernetes k8s.io/kubernetes)"
    minor="${v#v1.}"
    minor="${minor%%.*}"
    ld="-s -w"
    for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
      ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    done
    GO_LDFLAGS="$ld" "$HERE/go-build.sh" "$HERE/kubernetes" k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver
    GO_LDFLAGS="$ld" "$HERE/go-build.sh" "$HERE/kubernetes" k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager
    GO_LDFLAGS="$ld" "$HERE/go-build.sh" "$HERE/kubernetes" k8s.io/kubernetes/cmd/kube-scheduler kube-scheduler
    ;;
  kwok)
    GO_LDFLAGS="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$(pinned kwok sigs.k8s.io/kwok)" \
      "$HERE/go-build.sh" "$HERE/kwok" sigs.k8s.io/kwok/cmd/kwok kwok
    ;;
  argo)
    ld="-s -w -X github.com/argoproj/argo-workflows/v3.version=$(pinned argo-workflows github.com/argoproj/argo-workflows/v3)"
    GO_LDFLAGS="$ld" "$HERE/go-build.sh" "$HERE/argo-workflows" github.com/argoproj/argo-workflows/v3/cmd/workflow-controller workflow-controller
    GO_LDFLAGS="$ld" "$HERE/go-build.sh" "$HERE/argo-workflows" github.com/argoproj/argo-workflows/v3/cmd/argo argo
    ;;
  kserve)
    GO_LDFLAGS="-s -w" "$HERE/go-build.sh" "$HERE/kserve" github.com/kserve/kserve/cmd/manager manager kserve-manager
    ;;
  kuberay)
    GO_LDFLAGS="-s -w" "$HERE/go-build.sh" "$HERE/kuberay" github.com/ray-project/kuberay/ray-operator manager kuberay-operator
    ;;
  *)
    echo "cluster: unknown component $component" >&2
    exit 1
    ;;
  esac
done

# Where the tests find each pinned module's own manifests.
modules() {
  local wrapper module
  for pair in kubernetes:k8s.io/kubernetes kwok:sigs.k8s.io/kwok \
    argo-workflows:github.com/argoproj/argo-workflows/v3 kserve:github.com/kserve/kserve \
    kuberay:github.com/ray-project/kuberay/ray-operator; do
    wrapper="${pair%%:*}"
    module="${pair#*:}"
    (cd "$HERE/$wrapper" && "$GO" mod download "$module" &&
      "$GO" list -m -f '"{{.Path}}": {"version": "{{.Version}}", "dir": "{{.Dir}}"}' "$module")
  done | paste -sd, -
}
mkdir -p "$REPO/.llmops-test"
printf '{"etcd": "%s", "modules": {%s}}\n' "$(command -v etcd)" "$(modules)" >"$REPO/.llmops-test/cluster.json"
echo "cluster: wrote .llmops-test/cluster.json"
