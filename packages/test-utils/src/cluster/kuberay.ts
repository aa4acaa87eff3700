import { answers, freePort } from '../peers';
import type { Cluster } from './cluster';
import {
  MODULES,
  clusterBin,
  clusterBuild,
  inNamespace,
  moduleManifests,
} from './manifests';

export interface KuberayOptions {
  /** Where the operator's service account lives; default `default` (upstream's config/default). */
  namespace?: string;
  /** Extra operator flags. */
  args?: string[];
}

export interface KuberayPeer {
  namespace: string;
  version: string;
}

/**
 * Installs the KubeRay operator v1.5.0 as its `config/default` does (CRDs
 * of `config/crd/bases`, `config/rbac`, in namespace `default`), without
 * the Deployment: the operator runs as a process on its service account's
 * token, with the flags of `config/manager/manager.yaml`.
 *
 * What stays unproven on kwok: the operator reaches each head pod's Ray
 * dashboard (port 8265, directly or with --use-kubernetes-proxy through the
 * API server's service proxy) for Serve application status; kwok pods have
 * fake IPs and no dashboard, so a RayService gets its RayCluster and pods
 * but never reports its Serve applications healthy.
 */
export async function startKuberay(
  cluster: Cluster,
  options: KuberayOptions,
): Promise<KuberayPeer> {
  const namespace = options.namespace ?? 'default';
  const t0 = Date.now();
  const crds = moduleManifests(
    'kuberay',
    'config/crd/bases/ray.io_rayclusters.yaml',
    'config/crd/bases/ray.io_rayjobs.yaml',
    'config/crd/bases/ray.io_rayservices.yaml',
  );
  const rbac = inNamespace(
    moduleManifests(
      'kuberay',
      'config/rbac/role.yaml',
      'config/rbac/role_binding.yaml',
      'config/rbac/leader_election_role.yaml',
      'config/rbac/leader_election_role_binding.yaml',
      'config/rbac/service_account.yaml',
    ),
    namespace,
  );
  await cluster.namespace(namespace);
  await cluster.applyAll(crds);
  await cluster.waitForCrds(crds);
  await cluster.applyAll(rbac);
  cluster.timings['kuberay install'] = Date.now() - t0;
  const sa = rbac.find(o => o.kind === 'ServiceAccount')!;
  const kubeconfig = cluster.kubeconfig(
    'kuberay-operator',
    await cluster.serviceAccountToken(namespace, sa.metadata.name!),
  );
  const probePort = await freePort();
  await cluster.startComponent(
    'kuberay-operator',
    clusterBin('kuberay-operator'),
    [
      `--kubeconfig=${kubeconfig}`,
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      '--metrics-addr=0',
      // config/manager/manager.yaml's argument
      '--feature-gates=RayClusterStatusConditions=true',
      '--log-stdout-encoder=console',
      // leader election is on by default; out of a cluster it needs its namespace (the leader election Role's)
      `--leader-election-namespace=${namespace}`,
      ...(options.args ?? []),
    ],
    answers(`http://127.0.0.1:${probePort}/readyz`),
    { env: { KUBECONFIG: kubeconfig } },
  );
  return {
    namespace,
    version: clusterBuild().modules[MODULES.kuberay].version,
  };
}
