import { stringify } from 'yaml';
import { freePort, onFreePort } from '../peers';
import type { Cluster } from './cluster';
import { KubeClient, kubeClient } from './kube';
import {
  MODULES,
  clusterBin,
  clusterBuild,
  inNamespace,
  moduleManifests,
} from './manifests';

export interface ArgoOptions {
  /**
   * The CRDs: `full` (default; `manifests/base/crds/full`, with the OpenAPI schemas, so the API
   * server validates and prunes workflows) or `minimal` (`manifests/base/crds/minimal`, what
   * upstream's cluster-install applies; starts about 10 s faster here).
   */
  crds?: 'full' | 'minimal';
  /** Where the controller and server are installed; default `argo` (upstream's). */
  namespace?: string;
  /** `argo server --auth-mode` values; default `['client']` (upstream's default): callers send a Kubernetes bearer token. */
  authModes?: Array<'client' | 'server'>;
  /** Extra `workflow-controller-configmap` data (values are YAML text, as upstream's keys). */
  config?: Record<string, string>;
  /** Namespaces whose `default` service account gets upstream's `executor` Role (created if missing). */
  workflowNamespaces?: string[];
  /**
   * The controller's DEFAULT_REQUEUE_TIME (upstream's environment variable, default 10s: the
   * re-queue time of the workflow queue's rate limiter); default `1s`, so a workflow's end is seen
   * within a second of its pod's.
   */
  requeueTime?: string;
  /** How the executor stand-in ends each workflow pod; default: exit 0 unless the pod says otherwise. */
  decide?: ExecutorDecision;
}

/** The outcome of a workflow pod's main container, as the stand-in plays it. */
export interface ExecutorOutcome {
  exitCode: number;
  /** Output parameter values by name (the real executor reads them from files). */
  parameters?: Record<string, string>;
  /** The `result` output of a script template. */
  result?: string;
}

/** undefined: leave the pod running (the test ends it later through `finish`). */
export type ExecutorDecision = (
  pod: any,
  template: any,
) => ExecutorOutcome | undefined;

/** Set on a workflow's pods (e.g. through `spec.podMetadata.annotations`): the exit code the stand-in plays. */
export const STAND_IN_EXIT_CODE_ANNOTATION =
  'argo-stand-in.llmops.dev/exit-code';
/** Set to `"true"` on a pod: the stand-in leaves it running until `finish` is called. */
export const STAND_IN_HOLD_ANNOTATION = 'argo-stand-in.llmops.dev/hold';

const WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';
const REPORT_OUTPUTS_COMPLETED =
  'workflows.argoproj.io/report-outputs-completed';
const CONTROLLER_INSTANCE_ID = 'workflows.argoproj.io/controller-instanceid';

export interface ArgoPeer {
  namespace: string;
  /** argo-server's base URL (plain HTTP, `--secure=false`); the REST API is under `/api/v1`. */
  serverUrl: string;
  /** The Argo version the controller reports. */
  version: string;
  executor: ArgoExecutorStandIn;
  /** Gives a namespace's service account upstream's `executor` Role (workflowtaskresults create, patch). */
  grantExecutor(namespace: string, serviceAccount?: string): Promise<void>;
}

/**
 * Plays Argo's `wait` container, which no container runtime runs here
 * (since v3.5 the controller waits for the WorkflowTaskResult it writes;
 * argo-workflows issue #12733). For each workflow pod kwok has made
 * Running, as `argoexec wait` does in v3.7.3
 * (cmd/argoexec/commands/wait.go, workflow/executor/taskresult.go):
 *
 * 1. InitializeOutput: creates the WorkflowTaskResult named by the pod's
 *    ARGO_NODE_ID, labelled `workflows.argoproj.io/workflow=<ARGO_WORKFLOW_NAME>`
 *    and `workflows.argoproj.io/report-outputs-completed=false` (and the
 *    controller instance id when ARGO_INSTANCE_ID is set), owned by the
 *    Workflow (ARGO_WORKFLOW_UID), with the pod's own service account token
 *    (so the namespace needs upstream's `executor` Role, as on a cluster);
 * 2. ReportOutputs: merge-patches the template's outputs (ARGO_TEMPLATE)
 *    with the decided parameter values;
 * 3. FinalizeOutput: patches the label to `true`;
 * 4. then the containers exit through kwok (main with the decided exit
 *    code, wait and others 0), which writes the pod status a kubelet would.
 *
 * Everything else, the Workflow's status included, is the controller's.
 */
export class ArgoExecutorStandIn {
  readonly #kube: KubeClient;
  readonly #cluster: Cluster;
  readonly #decide: ExecutorDecision;
  readonly #seen = new Set<string>();
  readonly #held = new Map<string, { pod: any; template: any }>();
  readonly #tokens = new Map<string, Promise<KubeClient>>();
  #timer?: NodeJS.Timeout;
  #busy = false;
  #stopped = false;
  readonly errors: string[] = [];

  constructor(cluster: Cluster, decide?: ExecutorDecision) {
    this.#cluster = cluster;
    this.#kube = cluster;
    this.#decide = decide ?? defaultDecision;
  }

  start() {
    this.#timer = setInterval(() => {
      if (this.#busy || this.#stopped) return;
      this.#busy = true;
      this.#tick()
        .catch(error => this.errors.push(String(error)))
        .finally(() => {
          this.#busy = false;
        });
    }, 300);
  }

  stop() {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Ends a held pod (see {@link STAND_IN_HOLD_ANNOTATION}). */
  async finish(namespace: string, podName: string, outcome: ExecutorOutcome) {
    const held = this.#held.get(`${namespace}/${podName}`);
    if (!held) throw new Error(`pod ${namespace}/${podName} is not held`);
    this.#held.delete(`${namespace}/${podName}`);
    await this.#end(held.pod, held.template, outcome);
  }

  async #tick() {
    const list = await this.#kube.call(
      'GET',
      `/api/v1/pods?labelSelector=${encodeURIComponent(WORKFLOW_LABEL)}`,
    );
    if (list.status !== 200) return;
    for (const pod of list.body.items ?? []) {
      if (this.#seen.has(pod.metadata.uid)) continue;
      if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) {
        continue;
      }
      const wait = (pod.spec.containers ?? []).find(
        (c: { name: string }) => c.name === 'wait',
      );
      if (!wait) continue; // not an executor pod (e.g. an agent)
      this.#seen.add(pod.metadata.uid);
      await this.#play(pod, wait).catch(error =>
        this.errors.push(`${pod.metadata.name}: ${error}`),
      );
    }
  }

  #clientFor(namespace: string, serviceAccount: string) {
    const key = `${namespace}/${serviceAccount}`;
    let client = this.#tokens.get(key);
    if (!client) {
      client = this.#cluster
        .serviceAccountToken(namespace, serviceAccount)
        .then(token => kubeClient(this.#kube.url, token, this.#kube.ca));
      this.#tokens.set(key, client);
    }
    return client;
  }

  async #play(pod: any, wait: any) {
    const env = Object.fromEntries(
      (wait.env ?? []).map((e: { name: string; value?: string }) => [
        e.name,
        e.value,
      ]),
    ) as Record<string, string | undefined>;
    const nodeId = env.ARGO_NODE_ID;
    const workflow = env.ARGO_WORKFLOW_NAME;
    if (!nodeId || !workflow) {
      throw new Error(
        'the wait container has no ARGO_NODE_ID / ARGO_WORKFLOW_NAME',
      );
    }
    // a template too big for an env var is "offloaded" into a volume; its outputs are then not reported
    const template =
      env.ARGO_TEMPLATE && env.ARGO_TEMPLATE !== 'offloaded'
        ? JSON.parse(env.ARGO_TEMPLATE)
        : {};
    const client = await this.#clientFor(
      pod.metadata.namespace,
      pod.spec.serviceAccountName ?? 'default',
    );
    const results = `/apis/argoproj.io/v1alpha1/namespaces/${pod.metadata.namespace}/workflowtaskresults`;
    const created = await client.call('POST', results, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTaskResult',
      metadata: {
        name: nodeId,
        labels: {
          [WORKFLOW_LABEL]: workflow,
          [REPORT_OUTPUTS_COMPLETED]: 'false',
          ...(env.ARGO_INSTANCE_ID
            ? { [CONTROLLER_INSTANCE_ID]: env.ARGO_INSTANCE_ID }
            : {}),
        },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Workflow',
            name: workflow,
            uid: env.ARGO_WORKFLOW_UID,
          },
        ],
      },
    });
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(
        `creating WorkflowTaskResult ${nodeId}: ${
          created.status
        } ${JSON.stringify(created.body).slice(0, 500)}`,
      );
    }
    if (pod.metadata.annotations?.[STAND_IN_HOLD_ANNOTATION] === 'true') {
      this.#held.set(`${pod.metadata.namespace}/${pod.metadata.name}`, {
        pod,
        template,
      });
      return;
    }
    // Whether the pod is a daemon is the Workflow's to say (the executor's
    // copy of the template may lack it): a daemon runs until Argo stops it.
    if (template.daemon === undefined) {
      const wf = await this.#kube.call(
        'GET',
        `/apis/argoproj.io/v1alpha1/namespaces/${pod.metadata.namespace}/workflows/${workflow}`,
      );
      const templateName =
        template.name ?? wf.body?.status?.nodes?.[nodeId]?.templateName;
      const declared = (wf.body?.spec?.templates ?? []).find(
        (t: { name: string }) => t.name === templateName,
      );
      if (declared?.daemon) template.daemon = true;
    }
    const outcome = this.#decide(pod, template);
    if (!outcome) {
      this.#held.set(`${pod.metadata.namespace}/${pod.metadata.name}`, {
        pod,
        template,
      });
      return;
    }
    await this.#end(pod, template, outcome);
  }

  async #end(pod: any, template: any, outcome: ExecutorOutcome) {
    const wait = pod.spec.containers.find(
      (c: { name: string }) => c.name === 'wait',
    );
    const nodeId = wait.env.find(
      (e: { name: string }) => e.name === 'ARGO_NODE_ID',
    ).value;
    const client = await this.#clientFor(
      pod.metadata.namespace,
      pod.spec.serviceAccountName ?? 'default',
    );
    const result = `/apis/argoproj.io/v1alpha1/namespaces/${pod.metadata.namespace}/workflowtaskresults/${nodeId}`;
    const merge = { contentType: 'application/merge-patch+json' };
    // ReportOutputs: the template's outputs, with the values the main container "wrote"
    const outputs = structuredClone(template.outputs ?? {});
    for (const parameter of outputs.parameters ?? []) {
      const value =
        outcome.parameters?.[parameter.name] ??
        parameter.valueFrom?.default ??
        parameter.value;
      if (value !== undefined) parameter.value = value;
    }
    if (outcome.result !== undefined) outputs.result = outcome.result;
    delete outputs.artifacts; // no artifact repository here
    const reported = await client.call('PATCH', result, { outputs }, merge);
    if (reported.status !== 200) {
      throw new Error(
        `reporting outputs of ${nodeId}: ${reported.status} ${JSON.stringify(
          reported.body,
        ).slice(0, 500)}`,
      );
    }
    // FinalizeOutput
    const finalized = await client.call(
      'PATCH',
      result,
      { metadata: { labels: { [REPORT_OUTPUTS_COMPLETED]: 'true' } } },
      merge,
    );
    if (finalized.status !== 200) {
      throw new Error(
        `finalizing ${nodeId}: ${finalized.status} ${JSON.stringify(
          finalized.body,
        ).slice(0, 500)}`,
      );
    }
    // the containers exit; kwok writes the pod status
    await this.#cluster.pods.exit(
      pod.metadata.namespace,
      pod.metadata.name,
      outcome.exitCode,
      outcome.exitCode === 0 ? undefined : 'main',
    );
  }
}

/**
 * Exit 0, or the pod's exit-code annotation; a daemon (a template with
 * `daemon: true`, such as a rendezvous store) runs until Argo stops it, and
 * a pod with the hold annotation until the test calls `finish`.
 */
export function defaultDecision(
  pod: any,
  template: any,
): ExecutorOutcome | undefined {
  if (template?.daemon) return undefined;
  if (pod.metadata.annotations?.[STAND_IN_HOLD_ANNOTATION] === 'true') {
    return undefined;
  }
  const code = pod.metadata.annotations?.[STAND_IN_EXIT_CODE_ANNOTATION];
  return { exitCode: code === undefined ? 0 : Number(code) };
}

/**
 * Installs Argo Workflows v3.7.3 as its `manifests/cluster-install` does
 * (with the full CRDs by default, the service accounts, RBAC and
 * `workflow-controller-configmap` of `manifests/cluster-install-no-crds`, in
 * namespace `argo`), without the Deployments: `workflow-controller` and
 * `argo server` run as processes on the tokens of their service accounts.
 */
export async function startArgo(
  cluster: Cluster,
  options: ArgoOptions,
): Promise<ArgoPeer> {
  const namespace = options.namespace ?? 'argo';
  const crds = moduleManifests(
    'argo',
    ...[
      'clusterworkflowtemplates',
      'cronworkflows',
      'workflowartifactgctasks',
      'workfloweventbindings',
      'workflows',
      'workflowtaskresults',
      'workflowtasksets',
      'workflowtemplates',
    ].map(
      r =>
        `manifests/base/crds/${options.crds ?? 'full'}/argoproj.io_${r}.yaml`,
    ),
  );
  const install = inNamespace(
    moduleManifests(
      'argo',
      'manifests/base/workflow-controller/workflow-controller-configmap.yaml',
      'manifests/base/workflow-controller/workflow-controller-sa.yaml',
      'manifests/base/workflow-controller/workflow-controller-priorityclass.yaml',
      'manifests/base/argo-server/argo-server-sa.yaml',
      'manifests/cluster-install-no-crds/workflow-controller-rbac/workflow-aggregate-roles.yaml',
      'manifests/cluster-install-no-crds/workflow-controller-rbac/workflow-controller-clusterrole.yaml',
      'manifests/cluster-install-no-crds/workflow-controller-rbac/workflow-controller-clusterrolebinding.yaml',
      'manifests/cluster-install-no-crds/workflow-controller-rbac/workflow-controller-role.yaml',
      'manifests/cluster-install-no-crds/workflow-controller-rbac/workflow-controller-rolebinding.yaml',
      'manifests/cluster-install-no-crds/argo-server-rbac/argo-server-clusterole.yaml',
      'manifests/cluster-install-no-crds/argo-server-rbac/argo-server-clusterolebinding.yaml',
    ),
    namespace,
  );
  const configMap = install.find(o => o.kind === 'ConfigMap')!;
  configMap.data = {
    ...configMap.data,
    // no Prometheus server on a fixed port (9090) beside other test clusters
    metricsConfig: stringify({ enabled: false }),
    telemetryConfig: stringify({ enabled: false }),
    ...options.config,
  };
  const t0 = Date.now();
  await cluster.namespace(namespace);
  await cluster.applyAll(crds);
  await cluster.waitForCrds(crds);
  await cluster.applyAll(install);
  cluster.timings['argo install'] = Date.now() - t0;

  const controllerSa = install.find(
    o => o.kind === 'ServiceAccount' && o.metadata.name === 'argo',
  )!;
  const serverSa = install.find(
    o => o.kind === 'ServiceAccount' && o.metadata.name === 'argo-server',
  )!;
  const controllerConfig = cluster.kubeconfig(
    'workflow-controller',
    await cluster.serviceAccountToken(namespace, controllerSa.metadata.name!),
  );
  const serverConfig = cluster.kubeconfig(
    'argo-server',
    await cluster.serviceAccountToken(namespace, serverSa.metadata.name!),
  );
  const identity = `workflow-controller-${await freePort()}`;
  const lease = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/workflow-controller`;
  await cluster.startComponent(
    'workflow-controller',
    clusterBin('workflow-controller'),
    [
      `--kubeconfig=${controllerConfig}`,
      `--namespace=${namespace}`,
      '--configmap=workflow-controller-configmap',
      `--executor-image=quay.io/argoproj/argoexec:${
        clusterBuild().modules[MODULES.argo].version
      }`,
      '--loglevel=info',
    ],
    // ready once it leads (upstream runs it with leader election on)
    async () => (await cluster.get(lease))?.spec?.holderIdentity === identity,
    {
      env: {
        KUBECONFIG: controllerConfig,
        LEADER_ELECTION_IDENTITY: identity,
        DEFAULT_REQUEUE_TIME: options.requeueTime ?? '1s',
        // the controller also serves /healthz on a fixed :6060; a second cluster's fails to bind it and goes on
      },
    },
  );
  const version = clusterBuild().modules[MODULES.argo].version;

  const authModes = options.authModes ?? ['client'];
  let serverUrl = '';
  await onFreePort(port => {
    serverUrl = `http://127.0.0.1:${port}`;
    return cluster.startComponent(
      'argo-server',
      clusterBin('argo'),
      [
        'server',
        `--kubeconfig=${serverConfig}`,
        `--namespace=${namespace}`,
        `--port=${port}`,
        '--secure=false',
        ...authModes.map(m => `--auth-mode=${m}`),
        '--x-frame-options=SAMEORIGIN',
        '--loglevel=info',
      ],
      async () =>
        (
          await fetch(`${serverUrl}/api/v1/version`, {
            headers: { authorization: `Bearer ${cluster.token}` },
            signal: AbortSignal.timeout(2000),
          })
        ).ok,
      // in client mode the server takes the API server and CA from the default
      // loading rules (KUBECONFIG), and the caller's bearer token (util/kubeconfig)
      { env: { KUBECONFIG: serverConfig } },
    );
  });

  const grantExecutor: ArgoPeer['grantExecutor'] = async (
    ns,
    serviceAccount = 'default',
  ) => {
    await cluster.namespace(ns);
    const [role, binding] = moduleManifests(
      'argo',
      'manifests/quick-start/base/executor/emissary/executor-role.yaml',
      'manifests/quick-start/base/executor-default-rolebinding.yaml',
    );
    role.metadata.namespace = ns;
    binding.metadata.namespace = ns;
    binding.metadata.name = `executor-${serviceAccount}`;
    binding.subjects = [
      { kind: 'ServiceAccount', name: serviceAccount, namespace: ns },
    ];
    await cluster.applyAll([role, binding]);
  };
  for (const ns of options.workflowNamespaces ?? []) await grantExecutor(ns);

  const executor = new ArgoExecutorStandIn(cluster, options.decide);
  executor.start();
  return { namespace, serverUrl, version, executor, grantExecutor };
}
