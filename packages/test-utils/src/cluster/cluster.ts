import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  Peer,
  answers,
  fixturesDir,
  freePort,
  onFreePort,
  startPeer,
  tempDir,
} from '../peers';
import {
  GPU_NODES,
  GpuNodeModel,
  KWOK_NODE_ANNOTATION,
  nodeObject,
} from './gpuNodes';
import { KubeClient, KubeObject, condition, kubeClient } from './kube';
import { PodDriver, podDriver, podStages } from './kwokStages';
import {
  clusterBin,
  clusterBuild,
  inNamespace,
  moduleManifests,
} from './manifests';
import { Pki, createPki, ecKeyPair } from './pki';
import { ArgoOptions, ArgoPeer, startArgo } from './argo';
import { KserveOptions, KservePeer, startKserve } from './kserve';
import { KuberayOptions, KuberayPeer, startKuberay } from './kuberay';

export interface ClusterOptions {
  /** Argo Workflows: workflow-controller and `argo server` (with the executor stand-in). */
  argo?: boolean | ArgoOptions;
  /** The KServe controller manager in RawDeployment mode, with its webhooks on loopback. */
  kserve?: boolean | KserveOptions;
  /** The KubeRay operator. */
  kuberay?: boolean | KuberayOptions;
  /** The fake nodes kwok runs; default: every model of {@link GPU_NODES}. */
  nodes?: GpuNodeModel[];
  /** kwok's pod stage delays (ms; upstream's are 1 s plus up to 5 s jitter). */
  kwok?: { delayMs?: number; jitterMs?: number };
  /** CRD fixtures (paths under `fixturesDir()`) to install and wait for, as `startKubeApiserver` took. */
  crdFixtures?: string[];
  /** Where start times are written; default console.log. */
  log?: (line: string) => void;
}

/** A running test cluster: {@link KubeClient} on the admin token, plus its parts. */
export interface Cluster extends KubeClient {
  /** Base64 of the cluster CA PEM (kubeconfig `certificate-authority-data`). */
  caData: string;
  /** A kubeconfig of the admin (group system:masters). */
  kubeconfigPath: string;
  /**
   * A plain-HTTP loopback proxy to the API server, for clients that cannot be
   * given the cluster CA (Node's global fetch): the caller's bearer token passes
   * through, and the API server authenticates and authorizes it as usual.
   */
  httpUrl: string;
  /** The cluster's temporary folder (removed on stop). */
  dir: string;
  pki: Pki;
  nodes: GpuNodeModel[];
  /** Drives kwok pods to exit or to lose / regain readiness. */
  pods: PodDriver;
  argo?: ArgoPeer;
  kserve?: KservePeer;
  kuberay?: KuberayPeer;
  /** Milliseconds each component took to start (and to become ready). */
  timings: Record<string, number>;
  /** Creates a namespace (if missing) and waits for its `default` service account. */
  namespace(name: string, labels?: Record<string, string>): Promise<void>;
  /** A token of a service account (TokenRequest API). */
  serviceAccountToken(namespace: string, name: string): Promise<string>;
  /**
   * A service account that may do only what `rules` allow in its namespace
   * (a Role and its RoleBinding, named like it); returns its token.
   */
  serviceAccountWithRole(
    namespace: string,
    name: string,
    rules: PolicyRule[],
  ): Promise<string>;
  /** Writes a kubeconfig for a token; returns its path. */
  kubeconfig(name: string, token: string): string;
  /** Applies objects in order (server-side apply). */
  applyAll(objects: KubeObject[]): Promise<void>;
  /** Waits until the API serves every CRD among the objects. */
  waitForCrds(objects: KubeObject[]): Promise<void>;
  /** Starts a process of the cluster (its own process group, stopped with the cluster), timed. */
  startComponent(
    name: string,
    command: string,
    args: string[],
    ready: () => Promise<boolean>,
    options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string },
  ): Promise<Peer>;
  /** The recent output of a component, for failure messages. */
  logs(name: string): string;
  stop(): Promise<void>;
}

/** One rule of an RBAC Role. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

export const SERVICE_ACCOUNT_ISSUER =
  'https://kubernetes.default.svc.cluster.local';

/** An HTTPS readiness check against the cluster CA. */
export function httpsAnswers(url: string, ca: string, token?: string) {
  return () =>
    new Promise<boolean>(resolve => {
      const request = https.get(
        url,
        {
          ca,
          timeout: 2000,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        },
        response => {
          response.resume();
          resolve((response.statusCode ?? 0) < 300);
        },
      );
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
    });
}

/**
 * Starts a small real Kubernetes cluster on loopback: etcd (Debian's), the
 * v1.34.4 kube-apiserver (HTTPS, token auth, Node+RBAC), kube-controller-manager
 * and kube-scheduler, kwok running fake GPU nodes, and optionally Argo
 * Workflows, KServe and KubeRay with their upstream CRDs and RBAC, each
 * controller on its own service account's token. Binaries and module
 * folders come from `scripts/peers/cluster.sh`.
 */
export async function startCluster(
  options: ClusterOptions = {},
): Promise<Cluster> {
  // eslint-disable-next-line no-console
  const log = options.log ?? ((line: string) => console.log(line));
  const build = clusterBuild();
  const dir = tempDir('cluster');
  const peers: Array<{ name: string; peer: Peer }> = [];
  const timings: Record<string, number> = {};
  const started = Date.now();
  let stopped = false;
  const stopHooks: Array<() => Promise<void> | void> = [];
  // The processes end with this one (guard.sh). The folder (etcd's WAL alone is 64 MB) is
  // removed by stop(), and by a janitor when this process ends without it, however it ends
  // (with handlers on a test file's `process` instead, a SIGTERM to a jest run left it behind).
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  const janitor = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$0" 2>/dev/null; do sleep 1; done; rm -rf "$1"',
      String(process.pid),
      dir,
    ],
    { detached: true, stdio: 'ignore' },
  );
  janitor.unref();
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const hook of stopHooks.reverse()) await hook();
    for (const { peer } of peers.reverse()) await peer.stop();
    removeDir();
    janitor.kill();
  };

  const startComponent: Cluster['startComponent'] = async (
    name,
    command,
    args,
    ready,
    componentOptions = {},
  ) => {
    const t0 = Date.now();
    const peer = await startPeer(command, args, ready, {
      timeoutMs: 120_000,
      ...componentOptions,
    });
    peers.push({ name, peer });
    timings[name] = Date.now() - t0;
    log(`cluster: ${name} started in ${timings[name]} ms`);
    return peer;
  };

  try {
    const pki = await createPki(path.join(dir, 'pki'));
    const sa = ecKeyPair();
    fs.writeFileSync(path.join(dir, 'pki/sa.key'), sa.privateKey, {
      mode: 0o600,
    });
    fs.writeFileSync(path.join(dir, 'pki/sa.pub'), sa.publicKey);
    const token = () => randomBytes(24).toString('hex');
    const tokens = {
      admin: token(),
      controllerManager: token(),
      scheduler: token(),
    };
    fs.writeFileSync(
      path.join(dir, 'tokens.csv'),
      [
        `${tokens.admin},llmops-admin,uid-admin,"system:masters"`,
        `${tokens.controllerManager},system:kube-controller-manager,uid-kcm`,
        `${tokens.scheduler},system:kube-scheduler,uid-scheduler`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );

    // etcd
    let etcdUrl = '';
    await onFreePort(async client => {
      const peerPort = await freePort();
      etcdUrl = `http://127.0.0.1:${client}`;
      return startComponent(
        'etcd',
        build.etcd,
        [
          '--name',
          'llmops-test',
          '--data-dir',
          path.join(dir, `etcd-${client}`),
          '--listen-client-urls',
          etcdUrl,
          '--advertise-client-urls',
          etcdUrl,
          '--listen-peer-urls',
          `http://127.0.0.1:${peerPort}`,
          '--initial-advertise-peer-urls',
          `http://127.0.0.1:${peerPort}`,
          '--initial-cluster',
          `llmops-test=http://127.0.0.1:${peerPort}`,
          // the full Argo Workflow CRD is bigger than the 1.5 MiB default
          '--max-request-bytes',
          String(32 * 1024 * 1024),
          '--quota-backend-bytes',
          String(4 * 1024 * 1024 * 1024),
        ],
        answers(`${etcdUrl}/health`),
      );
    });

    // kube-apiserver
    const serving = await pki.issue('apiserver', {
      cn: 'kube-apiserver',
      ips: ['127.0.0.1', '10.96.0.1'],
      dnsNames: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
    });
    let url = '';
    await onFreePort(async port => {
      url = `https://127.0.0.1:${port}`;
      return startComponent(
        'kube-apiserver',
        clusterBin('kube-apiserver'),
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${port}`,
          '--advertise-address=127.0.0.1',
          // the `kubernetes` Service's endpoints would be a loopback address, which endpoints refuse
          '--endpoint-reconciler-type=none',
          `--cert-dir=${path.join(dir, 'apiserver')}`,
          `--tls-cert-file=${serving.certFile}`,
          `--tls-private-key-file=${serving.keyFile}`,
          `--client-ca-file=${pki.ca.certFile}`,
          `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
          '--authorization-mode=Node,RBAC',
          '--enable-admission-plugins=NodeRestriction',
          `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
          `--service-account-key-file=${path.join(dir, 'pki/sa.pub')}`,
          `--service-account-signing-key-file=${path.join(dir, 'pki/sa.key')}`,
          `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
          '--allow-privileged=true',
          // Debian's etcd 3.4.23 lacks the RequestWatchProgress feature (etcd 3.4.31 / 3.5.13)
          // that streaming watch-lists need; with WatchList on (beta, default in 1.34) the API
          // server turns every watch from resourceVersion "" or "0" into one and then ends it
          // ("the required storage feature RequestWatchProgress is disabled"), so clients such
          // as kwok relist with backoff and see changes seconds late
          '--feature-gates=WatchList=false',
          '--profiling=false',
          '--v=1',
        ],
        httpsAnswers(`${url}/readyz`, pki.ca.cert, tokens.admin),
      );
    });
    const kube = kubeClient(url, tokens.admin, pki.ca.cert);

    const kubeconfig: Cluster['kubeconfig'] = (name, bearer) => {
      const file = path.join(dir, `${name}.kubeconfig`);
      fs.writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'llmops-test',
              cluster: {
                server: url,
                'certificate-authority-data': pki.caData,
              },
            },
          ],
          users: [{ name, user: { token: bearer } }],
          contexts: [{ name, context: { cluster: 'llmops-test', user: name } }],
          'current-context': name,
        }),
        { mode: 0o600 },
      );
      return file;
    };
    const kubeconfigPath = kubeconfig('admin', tokens.admin);

    // kube-controller-manager and kube-scheduler, each with its own serving cert
    const kcmConfig = kubeconfig(
      'kube-controller-manager',
      tokens.controllerManager,
    );
    const schedulerConfig = kubeconfig('kube-scheduler', tokens.scheduler);
    const kcmCert = await pki.issue('kube-controller-manager', {
      cn: 'kube-controller-manager',
      ips: ['127.0.0.1'],
      dnsNames: ['localhost'],
    });
    const schedulerCert = await pki.issue('kube-scheduler', {
      cn: 'kube-scheduler',
      ips: ['127.0.0.1'],
      dnsNames: ['localhost'],
    });
    await Promise.all([
      onFreePort(port =>
        startComponent(
          'kube-controller-manager',
          clusterBin('kube-controller-manager'),
          [
            `--kubeconfig=${kcmConfig}`,
            `--authentication-kubeconfig=${kcmConfig}`,
            `--authorization-kubeconfig=${kcmConfig}`,
            '--bind-address=127.0.0.1',
            `--secure-port=${port}`,
            `--tls-cert-file=${kcmCert.certFile}`,
            `--tls-private-key-file=${kcmCert.keyFile}`,
            '--use-service-account-credentials=true',
            `--root-ca-file=${pki.ca.certFile}`,
            `--service-account-private-key-file=${path.join(
              dir,
              'pki/sa.key',
            )}`,
            `--cluster-signing-cert-file=${pki.ca.certFile}`,
            `--cluster-signing-key-file=${pki.ca.keyFile}`,
            `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
            '--controllers=*',
            '--leader-elect=false',
            '--profiling=false',
            '--v=1',
          ],
          httpsAnswers(`https://127.0.0.1:${port}/healthz`, pki.ca.cert),
        ),
      ),
      onFreePort(port =>
        startComponent(
          'kube-scheduler',
          clusterBin('kube-scheduler'),
          [
            `--kubeconfig=${schedulerConfig}`,
            `--authentication-kubeconfig=${schedulerConfig}`,
            `--authorization-kubeconfig=${schedulerConfig}`,
            '--bind-address=127.0.0.1',
            `--secure-port=${port}`,
            `--tls-cert-file=${schedulerCert.certFile}`,
            `--tls-private-key-file=${schedulerCert.keyFile}`,
            '--leader-elect=false',
            '--profiling=false',
            '--v=1',
          ],
          httpsAnswers(`https://127.0.0.1:${port}/healthz`, pki.ca.cert),
        ),
      ),
    ]);

    const namespace: Cluster['namespace'] = async (name, labels) => {
      await kube.apply({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, ...(labels ? { labels } : {}) },
      });
      await kube.waitFor(
        `/api/v1/namespaces/${name}/serviceaccounts/default`,
        () => true,
        60_000,
      );
    };
    const serviceAccountToken: Cluster['serviceAccountToken'] = async (
      ns,
      name,
    ) => {
      const response = await kube.call(
        'POST',
        `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 24 * 3600 },
        },
      );
      if (response.status !== 201) {
        throw new Error(
          `token of ${ns}/${name}: ${response.status} ${JSON.stringify(
            response.body,
          ).slice(0, 500)}`,
        );
      }
      return response.body.status.token;
    };
    const applyAll: Cluster['applyAll'] = async objects => {
      for (const object of objects) {
        if (object.kind === 'CustomResourceDefinition') {
          // a create: server-side apply of the full Argo CRDs (MiBs of schema) tracks
          // every schema field in managedFields and takes seconds each
          const created = await kube.call(
            'POST',
            '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
            object,
          );
          if (created.status === 201) continue;
          if (created.status !== 409) {
            throw new Error(
              `creating CRD ${object.metadata.name}: ${
                created.status
              } ${JSON.stringify(created.body).slice(0, 500)}`,
            );
          }
        }
        await kube.apply(object);
      }
    };
    const serviceAccountWithRole: Cluster['serviceAccountWithRole'] = async (
      ns,
      name,
      rules,
    ) => {
      const metadata = { name, namespace: ns };
      const rbac = 'rbac.authorization.k8s.io';
      await applyAll([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
        { apiVersion: `${rbac}/v1`, kind: 'Role', metadata, rules },
        {
          apiVersion: `${rbac}/v1`,
          kind: 'RoleBinding',
          metadata,
          roleRef: { apiGroup: rbac, kind: 'Role', name },
          subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
        },
      ]);
      return serviceAccountToken(ns, name);
    };
    const waitForCrds: Cluster['waitForCrds'] = async objects => {
      for (const crd of objects.filter(
        o => o.kind === 'CustomResourceDefinition',
      )) {
        await kube.waitFor(
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
          body => condition(body, 'Established'),
          60_000,
        );
        // and served: discovery lists it
        const version = crd.spec.versions.find(
          (v: { storage: boolean }) => v.storage,
        ).name;
        await kube.waitFor(
          `/apis/${crd.spec.group}/${version}`,
          body =>
            body.resources?.some(
              (r: { name: string }) => r.name === crd.spec.names.plural,
            ),
          60_000,
        );
      }
    };

    // kwok, on its own service account (kwok's kustomize/rbac) and stages
    const t0 = Date.now();
    const kwokRbac = inNamespace(
      moduleManifests(
        'kwok',
        'kustomize/rbac/service_account.yaml',
        'kustomize/rbac/role.yaml',
        'kustomize/rbac/role_binding.yaml',
        'kustomize/rbac/flow_schema.yaml',
      ),
      'kube-system',
    );
    await applyAll(kwokRbac);
    const kwokSa = kwokRbac.find(o => o.kind === 'ServiceAccount')!;
    const kwokConfig = kubeconfig(
      'kwok',
      await serviceAccountToken('kube-system', kwokSa.metadata.name!),
    );
    const stages = podStages(options.kwok);
    const kwokConfigFile = path.join(dir, 'kwok.yaml');
    fs.writeFileSync(
      kwokConfigFile,
      [
        stringify({
          apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
          kind: 'KwokConfiguration',
          options: {},
        }),
        ...stages.upstream.map(s => stringify(s)),
        stages.control,
      ].join('\n---\n'),
    );
    await onFreePort(port =>
      startComponent(
        'kwok',
        clusterBin('kwok'),
        [
          `--config=${kwokConfigFile}`,
          `--kubeconfig=${kwokConfig}`,
          `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
          `--server-address=127.0.0.1:${port}`,
          '--node-lease-duration-seconds=40',
        ],
        answers(`http://127.0.0.1:${port}/healthz`),
        // kwok reads ~/.kwok/kwok.yaml unless --config says otherwise; HOME keeps it away from the user's
        { env: { HOME: dir } },
      ),
    );

    // the nodes
    const nodes = options.nodes ?? Object.values(GPU_NODES);
    for (const model of nodes) {
      const created = await kube.call(
        'POST',
        '/api/v1/nodes',
        nodeObject(model),
      );
      if (created.status !== 201) {
        throw new Error(
          `creating node ${model.name}: ${created.status} ${JSON.stringify(
            created.body,
          ).slice(0, 500)}`,
        );
      }
    }
    for (const model of nodes) {
      await kube.waitFor(
        `/api/v1/nodes/${model.name}`,
        node =>
          condition(node, 'Ready') &&
          // the node lifecycle controller has lifted the not-ready taint
          !(node.spec.taints ?? []).some((t: { key: string }) =>
            t.key.startsWith('node.kubernetes.io/'),
          ),
        90_000,
      );
    }
    timings.nodes = Date.now() - t0;
    log(
      `cluster: ${nodes.length} kwok nodes Ready in ${timings.nodes} ms (kwok included)`,
    );

    // the plain-HTTP proxy
    const proxy = http.createServer((request, response) => {
      const upstream = https.request(
        `${url}${request.url}`,
        {
          method: request.method,
          headers: { ...request.headers, host: new URL(url).host },
          ca: pki.ca.cert,
        },
        answer => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', error => {
        if (!response.headersSent) response.writeHead(502);
        response.end(String(error));
      });
      request.pipe(upstream);
    });
    await new Promise<void>(resolve =>
      proxy.listen(0, '127.0.0.1', () => resolve()),
    );
    stopHooks.push(
      () =>
        new Promise<void>(resolve => {
          proxy.closeAllConnections();
          proxy.close(() => resolve());
        }),
    );
    const httpUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    if (options.crdFixtures?.length) {
      const crds = options.crdFixtures.map(
        fixture =>
          parse(
            fs.readFileSync(path.join(fixturesDir(), fixture), 'utf8'),
          ) as KubeObject,
      );
      await applyAll(crds);
      await waitForCrds(crds);
    }

    const cluster: Cluster = {
      ...kube,
      caData: pki.caData,
      kubeconfigPath,
      httpUrl,
      dir,
      pki,
      nodes,
      pods: podDriver(kube),
      timings,
      namespace,
      serviceAccountToken,
      serviceAccountWithRole,
      kubeconfig,
      applyAll,
      waitForCrds,
      startComponent,
      logs: name => peers.find(p => p.name === name)?.peer.logs() ?? '',
      stop,
    };

    if (options.argo) {
      cluster.argo = await startArgo(
        cluster,
        options.argo === true ? {} : options.argo,
      );
      stopHooks.push(() => cluster.argo?.executor.stop());
    }
    if (options.kserve) {
      cluster.kserve = await startKserve(
        cluster,
        options.kserve === true ? {} : options.kserve,
      );
    }
    if (options.kuberay) {
      cluster.kuberay = await startKuberay(
        cluster,
        options.kuberay === true ? {} : options.kuberay,
      );
    }
    timings.total = Date.now() - started;
    log(`cluster: everything started in ${timings.total} ms`);
    return cluster;
  } catch (error) {
    const tails = peers
      .map(({ name, peer }) => `--- ${name}:\n${peer.logs().slice(-3000)}`)
      .join('\n');
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : error}\n${tails}`,
    );
  }
}
