import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { answers, freePort } from '../peers';
import type { Cluster } from './cluster';
import type { KubeObject } from './kube';
import {
  MODULES,
  clusterBin,
  clusterBuild,
  inNamespace,
  moduleDir,
  moduleManifests,
} from './manifests';

export interface KserveOptions {
  /** Where the controller is installed; default `kserve` (upstream's). */
  namespace?: string;
  /** Changes to the `inferenceservice-config` keys (each a JSON object, merged into upstream's). */
  config?: Record<string, Record<string, unknown>>;
}

export interface KservePeer {
  namespace: string;
  version: string;
  /** The manager's webhook server (HTTPS with a certificate of the cluster CA). */
  webhookUrl: string;
  /** The ClusterServingRuntimes installed (upstream's `config/runtimes`). */
  runtimes: string[];
}

/** What kustomize's `images:` does to the container images of these objects. */
function withImages(
  objects: KubeObject[],
  images: Array<{ name: string; newName?: string; newTag?: string }>,
): KubeObject[] {
  const rewrite = (image: string) => {
    const [name] = image.split(':');
    const rule = images.find(i => i.name === name);
    if (!rule) return image;
    return `${rule.newName ?? name}:${rule.newTag ?? 'latest'}`;
  };
  return objects.map(o => {
    const copy = structuredClone(o);
    for (const c of [
      ...(copy.spec?.containers ?? []),
      ...(copy.spec?.container ? [copy.spec.container] : []),
    ]) {
      if (c.image) c.image = rewrite(c.image);
    }
    return copy;
  });
}

function kustomizationImages(file: string) {
  return (
    parse(fs.readFileSync(path.join(moduleDir('kserve'), file), 'utf8'))
      .images ?? []
  );
}

/**
 * Installs KServe v0.15.2 as its `config/default` does (CRDs of
 * `config/crd/full`, the `inferenceservice-config` ConfigMap, the manager's
 * RBAC, the ClusterServingRuntimes of `config/runtimes` and the default
 * ClusterStorageContainer), in Standard mode: `deploy.defaultDeploymentMode`
 * RawDeployment, Istio virtual hosts off. The manager runs as a process on
 * its service account's token; its webhooks are served with a certificate
 * of the cluster CA (found by controller-runtime at
 * `$TMPDIR/k8s-webhook-server/serving-certs/tls.{crt,key}`), and upstream's
 * Mutating/ValidatingWebhookConfigurations point at
 * `https://127.0.0.1:<port>/<path>` with that CA as `caBundle`.
 *
 * The manager exposes no webhook host flag, so controller-runtime binds the
 * webhook port on every interface (a free port; the API server calls it on
 * 127.0.0.1).
 */
export async function startKserve(
  cluster: Cluster,
  options: KserveOptions,
): Promise<KservePeer> {
  const namespace = options.namespace ?? 'kserve';
  const t0 = Date.now();
  const crds = moduleManifests(
    'kserve',
    ...[
      'inferenceservices',
      'trainedmodels',
      'clusterservingruntimes',
      'servingruntimes',
      'inferencegraphs',
      'clusterstoragecontainers',
      'localmodelcaches',
      'localmodelnodegroups',
      'localmodelnodes',
    ].map(r => `config/crd/full/serving.kserve.io_${r}.yaml`),
  );
  const install = inNamespace(
    moduleManifests(
      'kserve',
      'config/configmap/inferenceservice.yaml',
      'config/rbac/service_account.yaml',
      'config/rbac/role.yaml',
      'config/rbac/role_binding.yaml',
      'config/rbac/leader_election_role.yaml',
      'config/rbac/leader_election_role_binding.yaml',
    ),
    namespace,
  );
  const configMap = install.find(
    o =>
      o.kind === 'ConfigMap' && o.metadata.name === 'inferenceservice-config',
  )!;
  // upstream's values are JSON (with comments in `_example`, which stays as is)
  const changes: Record<string, Record<string, unknown>> = {
    deploy: { defaultDeploymentMode: 'RawDeployment' },
    ingress: { disableIstioVirtualHost: true },
    ...options.config,
  };
  for (const [key, change] of Object.entries(changes)) {
    const current = configMap.data[key] ? JSON.parse(configMap.data[key]) : {};
    configMap.data[key] = JSON.stringify({ ...current, ...change }, null, 2);
  }
  await cluster.namespace(namespace, {
    // as config/manager/manager.yaml labels it; the pod mutator skips namespaces with this label
    'control-plane': 'kserve-controller-manager',
  });
  await cluster.applyAll(crds);
  await cluster.waitForCrds(crds);
  await cluster.applyAll(install);
  cluster.timings['kserve install'] = Date.now() - t0;

  // webhook serving certificate, where controller-runtime looks for it
  const tmp = path.join(cluster.dir, 'kserve-tmp');
  const certDir = path.join(tmp, 'k8s-webhook-server/serving-certs');
  fs.mkdirSync(certDir, { recursive: true });
  const serving = await cluster.pki.issue('kserve-webhook', {
    cn: 'kserve-webhook-server-service.kserve.svc',
    ips: ['127.0.0.1'],
    dnsNames: ['localhost', `kserve-webhook-server-service.${namespace}.svc`],
  });
  fs.copyFileSync(serving.certFile, path.join(certDir, 'tls.crt'));
  fs.copyFileSync(serving.keyFile, path.join(certDir, 'tls.key'));

  const sa = install.find(o => o.kind === 'ServiceAccount')!;
  const kubeconfig = cluster.kubeconfig(
    'kserve-manager',
    await cluster.serviceAccountToken(namespace, sa.metadata.name!),
  );
  const webhookPort = await freePort();
  const probePort = await freePort();
  await cluster.startComponent(
    'kserve-manager',
    clusterBin('kserve-manager'),
    [
      `--kubeconfig=${kubeconfig}`,
      `--webhook-port=${webhookPort}`,
      `--health-probe-addr=127.0.0.1:${probePort}`,
      // "0" turns controller-runtime's metrics server off
      '--metrics-addr=0',
      '--leader-elect=false',
    ],
    // /readyz is the webhook server's StartedChecker (cmd/manager/main.go)
    answers(`http://127.0.0.1:${probePort}/readyz`),
    { env: { POD_NAMESPACE: namespace, TMPDIR: tmp, KUBECONFIG: kubeconfig } },
  );
  const webhookUrl = `https://127.0.0.1:${webhookPort}`;

  const webhooks = moduleManifests(
    'kserve',
    'config/webhook/manifests.yaml',
  ).map(configuration => {
    const copy = structuredClone(configuration);
    delete copy.metadata.creationTimestamp;
    for (const hook of copy.webhooks ?? []) {
      const { path: hookPath } = hook.clientConfig.service;
      hook.clientConfig = {
        url: `${webhookUrl}${hookPath}`,
        caBundle: cluster.caData,
      };
    }
    return copy;
  });
  await cluster.applyAll(webhooks);

  // cluster resources (config/clusterresources): serving runtimes and the storage container,
  // admitted by the manager's own validating webhooks
  const runtimes = withImages(
    moduleManifests(
      'kserve',
      ...parse(
        fs.readFileSync(
          path.join(moduleDir('kserve'), 'config/runtimes/kustomization.yaml'),
          'utf8',
        ),
      ).resources.map((r: string) => `config/runtimes/${r}`),
    ),
    kustomizationImages('config/runtimes/kustomization.yaml'),
  );
  const storage = withImages(
    moduleManifests('kserve', 'config/storagecontainers/default.yaml'),
    kustomizationImages('config/storagecontainers/kustomization.yaml'),
  );
  // the webhook configurations take a moment to reach the API server's admission
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await cluster.applyAll([...runtimes, ...storage]);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 500));
    }
  }
  cluster.timings['kserve total'] = Date.now() - t0;
  return {
    namespace,
    version: clusterBuild().modules[MODULES.kserve].version,
    webhookUrl,
    runtimes: runtimes.map(r => r.metadata.name!),
  };
}
