import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../peers';
import type { KubeObject } from './kube';

/**
 * What `scripts/peers/cluster.sh` wrote: etcd's path and the Go module
 * cache folder of each pinned module, whose own manifests (CRDs, RBAC,
 * ConfigMaps, kwok Stages, serving runtimes) the cluster installs, so they
 * always match the controllers' versions.
 */
export interface ClusterBuild {
  etcd: string;
  modules: Record<string, { version: string; dir: string }>;
}

export const MODULES = {
  kubernetes: 'k8s.io/kubernetes',
  kwok: 'sigs.k8s.io/kwok',
  argo: 'github.com/argoproj/argo-workflows/v3',
  kserve: 'github.com/kserve/kserve',
  kuberay: 'github.com/ray-project/kuberay/ray-operator',
} as const;

export function clusterBuild(): ClusterBuild {
  const file = path.join(repoRoot(), '.llmops-test/cluster.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run scripts/peers/cluster.sh`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A binary linked by `scripts/peers/cluster.sh` into `.llmops-test/bin`. */
export function clusterBin(name: string): string {
  const bin = path.join(repoRoot(), '.llmops-test/bin', name);
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} is missing: run scripts/peers/cluster.sh`);
  }
  return bin;
}

/** The folder of a pinned module in the Go module cache. */
export function moduleDir(module: keyof typeof MODULES): string {
  const found = clusterBuild().modules[MODULES[module]];
  if (!found || !fs.existsSync(found.dir)) {
    throw new Error(
      `${MODULES[module]} is not in the Go module cache: run scripts/peers/cluster.sh`,
    );
  }
  return found.dir;
}

/** The YAML documents of files under a pinned module (relative paths). */
export function moduleManifests(
  module: keyof typeof MODULES,
  ...files: string[]
): KubeObject[] {
  const dir = moduleDir(module);
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
      .map(doc => doc.toJSON())
      .filter((o): o is KubeObject => !!o && typeof o === 'object' && !!o.kind),
  );
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PriorityClass',
  'StorageClass',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
  'ClusterWorkflowTemplate',
]);

/**
 * What kustomize's `namespace:` does: sets the namespace of namespaced
 * objects and of the ServiceAccount subjects of (Cluster)RoleBindings.
 */
export function inNamespace(
  objects: KubeObject[],
  namespace: string,
): KubeObject[] {
  return objects.map(o => {
    const copy = structuredClone(o);
    if (!CLUSTER_SCOPED.has(copy.kind)) copy.metadata.namespace = namespace;
    if (copy.kind === 'RoleBinding' || copy.kind === 'ClusterRoleBinding') {
      for (const subject of copy.subjects ?? []) {
        if (subject.kind === 'ServiceAccount') subject.namespace = namespace;
      }
    }
    return copy;
  });
}
