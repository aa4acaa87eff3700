import { InputError } from '@backstage/errors';
import type { ServingBackend, ServingStatus, ToolObjectRef } from '../types';
import { KubernetesObject, KubernetesResources } from './KubernetesResources';
import { ToolHttpClient } from './ToolHttpClient';

/** RayService has no traffic field; the portal's converter keeps `old/new` here. */
const RAY_TRAFFIC_ANNOTATION = 'llmops.dev/traffic-split';

/** What differs between the two tools. */
const TOOLS = {
  kserve: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    trafficPatch: (split: { new: number }) => ({
      spec: { predictor: { canaryTrafficPercent: split.new } },
    }),
    traffic: (o: KubernetesObject) => {
      const percent = o.spec?.predictor?.canaryTrafficPercent;
      return typeof percent === 'number'
        ? { old: 100 - percent, new: percent }
        : undefined;
    },
  },
  rayserve: {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    trafficPatch: (split: { old: number; new: number }) => ({
      metadata: {
        annotations: { [RAY_TRAFFIC_ANNOTATION]: `${split.old}/${split.new}` },
      },
    }),
    traffic: (o: KubernetesObject) => {
      const match = /^(\d+)\/(\d+)$/.exec(
        o.metadata.annotations?.[RAY_TRAFFIC_ANNOTATION] ?? '',
      );
      return match
        ? { old: Number(match[1]), new: Number(match[2]) }
        : undefined;
    },
  },
} as const;

/**
 * A serving backend whose resources are Kubernetes custom resources:
 * KServe InferenceServices or KubeRay RayServices. The two differ only in
 * their API group, kind and where the traffic split lives, so one class
 * serves both.
 *
 * @public
 */
export class KubernetesServingAdapter implements ServingBackend {
  readonly category = 'serving' as const;
  readonly #kube: KubernetesResources;

  constructor(
    readonly tool: 'kserve' | 'rayserve',
    http: ToolHttpClient,
    readonly namespace: string,
  ) {
    this.#kube = new KubernetesResources(http);
  }

  /** The API group and version of the tool's custom resources. */
  get groupVersion(): string {
    return TOOLS[this.tool].apiVersion;
  }

  /** Reachable means the cluster answers and serves the tool's CRD group. */
  async ping(signal: AbortSignal): Promise<void> {
    await this.#kube.http.json(`/apis/${this.groupVersion}`, { signal });
  }

  /**
   * Server-side applies every manifest (in order) and returns the tool's
   * own resource among them.
   */
  async applyDeployment(
    input: { deploymentId: string; manifests: object[] },
    signal: AbortSignal,
  ): Promise<ToolObjectRef> {
    const { apiVersion, kind } = TOOLS[this.tool];
    let ref: ToolObjectRef | undefined;
    for (const manifest of input.manifests as KubernetesObject[]) {
      if (!manifest?.apiVersion || !manifest.kind || !manifest.metadata?.name) {
        throw new InputError(
          `deployment ${input.deploymentId}: a manifest lacks apiVersion, kind or metadata.name`,
        );
      }
      const namespace = manifest.metadata.namespace ?? this.namespace;
      const applied = await this.#kube.apply(manifest, namespace, signal);
      if (applied.apiVersion === apiVersion && applied.kind === kind) {
        ref = { id: applied.metadata.name, namespace };
      }
    }
    if (!ref) {
      throw new InputError(
        `deployment ${input.deploymentId}: no ${kind} among its manifests`,
      );
    }
    return ref;
  }

  async setTraffic(
    ref: ToolObjectRef,
    split: { old: number; new: number },
    signal: AbortSignal,
  ): Promise<void> {
    if (split.old + split.new !== 100 || split.old < 0 || split.new < 0) {
      throw new InputError(
        `traffic split ${split.old}/${split.new} does not add up to 100`,
      );
    }
    const tool = TOOLS[this.tool];
    await this.#kube.mergePatch(
      this.#locate(ref),
      tool.trafficPatch(split),
      signal,
    );
  }

  async getDeploymentStatus(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<ServingStatus> {
    const { apiVersion, kind, namespace, name } = this.#locate(ref);
    const object = await this.#kube.get(
      apiVersion,
      kind,
      namespace,
      name,
      signal,
    );
    const conditions: ServingStatus['conditions'] = (
      object.status?.conditions ?? []
    ).map((c: ServingStatus['conditions'][number]) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    }));
    const ready = conditions.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
    return {
      ready,
      url: object.status?.url ?? object.status?.address?.url,
      trafficSplit: TOOLS[this.tool].traffic(object),
      conditions,
    };
  }

  #locate(ref: ToolObjectRef) {
    const { apiVersion, kind } = TOOLS[this.tool];
    return {
      apiVersion,
      kind,
      namespace: ref.namespace ?? this.namespace,
      name: ref.id,
    };
  }
}
