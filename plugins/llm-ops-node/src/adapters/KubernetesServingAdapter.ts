import { InputError } from '@backstage/errors';
import type {
  ServingBackend,
  ServingStatus,
  ToolObjectRef,
  TrafficChange,
} from '../types';
import {
  KubernetesCondition,
  KubernetesObject,
  KubernetesResources,
} from './KubernetesResources';
import { isToolError, ToolError } from '../tools/ToolError';
import { ToolHttpClient } from './ToolHttpClient';

/**
 * The labels the portal puts on every object it applies: the deployment
 * record that drives it, its environment and its revision.
 *
 * @public
 */
export const DEPLOYMENT_ID_LABEL = 'llmops.dev/deployment-id';
/** @public */
export const ENVIRONMENT_LABEL = 'llmops.dev/environment';
/** @public */
export const REVISION_LABEL = 'llmops.dev/revision';

/** KServe's annotation of how it runs an InferenceService. */
const KSERVE_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';
/** All traffic on what runs: a rollout with no split (or one finished). */
const ALL_NEW = { old: 0, new: 100 };

/** Knative's traffic targets of an InferenceService's predictor, as KServe reports them. @public */
export interface TrafficTarget {
  percent?: number;
  latestRevision?: boolean;
  tag?: string;
}

/**
 * An InferenceService or RayService, with the fields the portal reads.
 *
 * @public
 */
export type ServingObject = KubernetesObject<
  {
    predictor?: {
      canaryTrafficPercent?: number;
      containerConcurrency?: number;
      model?: { args?: unknown[] };
    };
  },
  {
    conditions?: KubernetesCondition[];
    url?: string;
    address?: { url?: string };
    components?: { predictor?: { traffic?: TrafficTarget[] } };
  }
>;

/**
 * What differs between the two tools. Only KServe in Serverless mode
 * (Knative) splits traffic between two revisions; a RawDeployment
 * InferenceService and a RayService serve one version at a time.
 */
const TOOLS = {
  kserve: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    splits: (o: ServingObject) =>
      o.metadata.annotations?.[KSERVE_MODE_ANNOTATION] === 'Serverless',
    trafficPatch: (split: { new: number }) => ({
      spec: { predictor: { canaryTrafficPercent: split.new } },
    }),
    /** The split Knative reports, else the one asked for. */
    traffic: (o: ServingObject) => {
      if (o.metadata.annotations?.[KSERVE_MODE_ANNOTATION] !== 'Serverless') {
        return ALL_NEW;
      }
      const targets: TrafficTarget[] =
        o.status?.components?.predictor?.traffic ?? [];
      const latest = targets
        .filter(t => t.latestRevision)
        .reduce((sum, t) => sum + (t.percent ?? 0), 0);
      if (targets.length) return { old: 100 - latest, new: latest };
      const percent = o.spec?.predictor?.canaryTrafficPercent;
      return typeof percent === 'number'
        ? { old: 100 - percent, new: percent }
        : ALL_NEW;
    },
  },
  rayserve: {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    splits: () => false,
    trafficPatch: () => ({}),
    traffic: () => ALL_NEW,
  },
} as const;

/**
 * The traffic split of a KServe InferenceService or KubeRay RayService as
 * its controller reports it: Knative's split in Serverless mode, else all
 * on the one version that runs.
 *
 * @public
 */
export function servingTrafficSplit(
  tool: 'kserve' | 'rayserve',
  object: ServingObject,
): { old: number; new: number } {
  return TOOLS[tool].traffic(object);
}

/**
 * A serving backend whose resources are Kubernetes custom resources:
 * KServe InferenceServices or KubeRay RayServices. The two differ only in
 * their API group, kind and whether they split traffic, so one class serves
 * both.
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
    /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
    readonly cluster?: string,
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
    input: {
      deploymentId: string;
      manifests: object[];
      labels?: Record<string, string>;
    },
    signal: AbortSignal,
  ): Promise<ToolObjectRef> {
    const { apiVersion, kind } = TOOLS[this.tool];
    let ref: ToolObjectRef | undefined;
    for (const raw of input.manifests as KubernetesObject[]) {
      if (!raw?.apiVersion || !raw.kind || !raw.metadata?.name) {
        throw new InputError(
          `deployment ${input.deploymentId}: a manifest lacks apiVersion, kind or metadata.name`,
        );
      }
      const namespace = raw.metadata.namespace ?? this.namespace;
      const manifest: KubernetesObject = {
        ...raw,
        metadata: {
          ...raw.metadata,
          labels: {
            ...raw.metadata.labels,
            ...input.labels,
            [DEPLOYMENT_ID_LABEL]: input.deploymentId,
          },
        },
      };
      await this.#refuseTakeover(manifest, namespace, input.labels, signal);
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
    split: TrafficChange,
    signal: AbortSignal,
  ): Promise<void> {
    if (split.old + split.new !== 100 || split.old < 0 || split.new < 0) {
      throw new InputError(
        `traffic split ${split.old}/${split.new} does not add up to 100`,
      );
    }
    const tool = TOOLS[this.tool];
    const target = this.#locate(ref);
    const object = await this.#kube.get(
      target.apiVersion,
      target.kind,
      target.namespace,
      target.name,
      signal,
    );
    // Never claim a split the tool would not enforce.
    if (!tool.splits(object)) {
      throw new ToolError(
        { tool: this.tool, reason: 'no-traffic-split' },
        `${this.tool}: ${target.kind} ${target.namespace}/${
          target.name
        } serves one version at a time (${
          object.metadata.annotations?.[KSERVE_MODE_ANNOTATION] ?? tool.kind
        }); it has no traffic split to set`,
        { statusCode: 409 },
      );
    }
    const live = Number(object.metadata.labels?.[REVISION_LABEL]);
    if (split.revision !== undefined && live > split.revision) {
      throw new ToolError(
        { tool: this.tool, reason: 'stale-revision' },
        `${this.tool}: ${target.kind} ${target.namespace}/${target.name} already runs revision ${live}; the traffic split of revision ${split.revision} is older and is not set`,
        { statusCode: 409 },
      );
    }
    await this.#kube.mergePatch(
      target,
      {
        ...tool.trafficPatch(split),
        ...(split.revision !== undefined && {
          metadata: { labels: { [REVISION_LABEL]: String(split.revision) } },
        }),
      },
      signal,
    );
  }

  async getDeploymentStatus(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<ServingStatus> {
    const { apiVersion, kind, namespace, name } = this.#locate(ref);
    const object = await this.#kube.get<ServingObject>(
      apiVersion,
      kind,
      namespace,
      name,
      signal,
    );
    const conditions: ServingStatus['conditions'] = (
      object.status?.conditions ?? []
    ).map(c => ({
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

  /**
   * Refuses to take over a live object that is not this deployment's: one
   * another record of the portal drives, or one it never made (a GitOps
   * tool's, someone's kubectl). Refuses an older revision over a newer one.
   */
  async #refuseTakeover(
    manifest: KubernetesObject,
    namespace: string,
    labels: Record<string, string> | undefined,
    signal: AbortSignal,
  ) {
    let live: KubernetesObject;
    try {
      live = await this.#kube.get(
        manifest.apiVersion,
        manifest.kind,
        namespace,
        manifest.metadata.name,
        signal,
      );
    } catch (error) {
      if (isToolError(error) && error.statusCode === 404) return;
      throw error;
    }
    const what = `${manifest.kind} ${namespace}/${manifest.metadata.name}`;
    const owner = live.metadata.labels?.[DEPLOYMENT_ID_LABEL];
    const mine = manifest.metadata.labels?.[DEPLOYMENT_ID_LABEL];
    if (owner !== mine) {
      const managers = [
        ...new Set(
          ((live.metadata.managedFields ?? []) as Array<{ manager?: string }>)
            .map(f => f.manager)
            .filter(Boolean),
        ),
      ].join(', ');
      throw new ToolError(
        { tool: this.tool, reason: 'conflict' },
        `${this.tool}: ${what} already exists and is ${
          owner
            ? `the portal's deployment ${owner}`
            : `not the portal's${managers ? ` (managed by ${managers})` : ''}`
        }; the portal does not take it over`,
        { statusCode: 409 },
      );
    }
    const liveRevision = Number(live.metadata.labels?.[REVISION_LABEL]);
    const revision = Number(labels?.[REVISION_LABEL]);
    if (liveRevision > revision) {
      throw new ToolError(
        { tool: this.tool, reason: 'stale-revision' },
        `${this.tool}: ${what} already runs revision ${liveRevision}; revision ${revision} is older and is not applied`,
        { statusCode: 409 },
      );
    }
  }

  /** Watches the namespace's InferenceServices or RayServices, with bookmarks. */
  watchDeployments(
    from: string | undefined,
    onChange: (ref: ToolObjectRef) => void,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const { apiVersion, kind } = TOOLS[this.tool];
    return this.#kube.watch<ServingObject>(
      { apiVersion, kind, namespace: this.namespace },
      from,
      (_type, object) =>
        onChange({
          id: object.metadata.name,
          namespace: object.metadata.namespace ?? this.namespace,
        }),
      signal,
    );
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
