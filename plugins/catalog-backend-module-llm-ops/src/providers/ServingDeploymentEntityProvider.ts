import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  DeploymentEntity,
  LLM_OPS_API_VERSION,
  deploymentEntityValidator,
  SPEC_ENVIRONMENTS,
  type SpecEnvironment,
} from '@llmops/plugin-llm-ops-common';
import {
  ServingObject,
  servingTrafficSplit,
} from '@llmops/plugin-llm-ops-node';
import { describeInvalid, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type {
  ServingBackendId,
  ServingResourceLister,
} from './KubernetesServingLister';
import type { ProviderPartition } from './types';

/**
 * The labels and annotations the provider reads on an InferenceService or
 * RayService. The portal's converters write the model ref, serve target
 * and rollout strategy; owner, environment and entity name may be set by
 * hand.
 *
 * @public
 */
export const SERVING_METADATA = {
  modelRef: 'llmops.dev/model-ref',
  serveTarget: 'llmops.dev/serve-target',
  rolloutStrategy: 'llmops.dev/rollout-strategy',
  owner: 'llmops.dev/owner',
  environment: 'llmops.dev/environment',
  entityName: 'llmops.dev/entity-name',
} as const;

/** The label each backend puts on the pods of a resource, for the Kubernetes tab. */
const POD_SELECTOR: Record<ServingBackendId, string> = {
  kserve: 'serving.kserve.io/inferenceservice',
  rayserve: 'ray.io/originated-from-cr-name',
};

/** @public */
export interface ServingDeploymentEntityProviderOptions
  extends LlmOpsEntityProviderOptions {
  /** The cluster's name in `kubernetes.clusterLocatorMethods`. */
  cluster: string;
  /** The cluster's API URL, for the location annotations. */
  clusterUrl: string;
  lister: ServingResourceLister;
  /** Which backends to list. Default both. */
  backends?: ServingBackendId[];
  /** The environment of a resource without an `llmops.dev/environment` label. */
  environment?: SpecEnvironment;
  /** The owner of a resource without an `llmops.dev/owner` annotation. */
  defaultOwner?: string;
}

const conditionStatus = (status: unknown): 'True' | 'False' | 'Unknown' =>
  status === 'True' || status === 'False' ? status : 'Unknown';

/**
 * `Deployment` entities for the InferenceServices and RayServices of one
 * cluster, with their status, endpoint, traffic split and the annotations
 * the Kubernetes plugin reads (a label selector on the backend's pod label,
 * the namespace and the cluster). Each backend is read on its own, so a
 * backend that fails (or whose CRD is gone) keeps its last entities.
 *
 * @public
 */
export class ServingDeploymentEntityProvider extends LlmOpsEntityProvider {
  readonly #options: ServingDeploymentEntityProviderOptions;

  constructor(options: ServingDeploymentEntityProviderOptions) {
    super(`llm-ops-serving:${options.cluster}`, options);
    this.#options = options;
  }

  protected locationTarget(): string {
    return this.#options.clusterUrl.replace(/\/+$/, '');
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const parts: ProviderPartition[] = [];
    for (const backend of this.#options.backends ?? ['kserve', 'rayserve']) {
      const partition = `${this.#options.cluster}:${backend}`;
      try {
        const objects = await this.#options.lister.list(backend, signal);
        const entities = objects.flatMap(o => this.toEntity(backend, o) ?? []);
        parts.push({ partition, entities });
      } catch (error) {
        parts.push({ partition, error: error as Error });
      }
    }
    return parts;
  }

  /** The entity of a serving resource, or undefined (logged) when it cannot be one. */
  toEntity(
    backend: ServingBackendId,
    object: ServingObject,
  ): DeploymentEntity | undefined {
    const { cluster } = this.#options;
    const { name, namespace = 'default' } = object.metadata;
    const labels = object.metadata.labels ?? {};
    const annotations = object.metadata.annotations ?? {};
    const read = (key: string) => labels[key] ?? annotations[key];
    const item = `${object.kind} ${namespace}/${name} in cluster ${cluster}`;
    const M = SERVING_METADATA;

    const modelRef = annotations[M.modelRef];
    if (!modelRef) {
      this.skip(
        item,
        `annotation ${M.modelRef} is missing, so the model it serves is unknown`,
      );
      return undefined;
    }
    let model: string;
    try {
      model = stringifyEntityRef(
        parseEntityRef(modelRef, {
          defaultKind: 'model',
          defaultNamespace: 'default',
        }),
      );
    } catch (error) {
      this.skip(item, `annotation ${M.modelRef}: ${describeInvalid(error)}`);
      return undefined;
    }
    const environment = (read(M.environment) ?? this.#options.environment) as
      | SpecEnvironment
      | undefined;
    if (!environment || !SPEC_ENVIRONMENTS.includes(environment)) {
      this.skip(
        item,
        environment
          ? `label ${
              M.environment
            } '${environment}' is not one of ${SPEC_ENVIRONMENTS.join(', ')}`
          : `label ${M.environment} is missing and the cluster has no configured environment`,
      );
      return undefined;
    }
    const owner = read(M.owner) ?? this.#options.defaultOwner;
    if (!owner) {
      this.skip(
        item,
        `annotation ${M.owner} is missing and catalog.providers.llmOpsServing.defaultOwner is not set`,
      );
      return undefined;
    }

    const status = object.status ?? {};
    const conditions: NonNullable<
      NonNullable<DeploymentEntity['spec']['status']>['conditions']
    > = (Array.isArray(status.conditions) ? status.conditions : []).map(c => ({
      type: String(c.type),
      status: conditionStatus(c.status),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.lastTransitionTime
        ? { lastTransitionTime: c.lastTransitionTime }
        : {}),
    }));
    const ready = conditions.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
    const url: unknown = status.url ?? status.address?.url;
    const trafficSplit = servingTrafficSplit(backend, object);
    const strategy = read(M.rolloutStrategy);
    const concurrency = readConcurrency(object);

    const spec: DeploymentEntity['spec'] = {
      model,
      serveTarget: read(M.serveTarget) === 'RAG' ? 'RAG' : 'GENERATION',
      backend,
      cluster,
      namespace,
      environment,
      owner,
      lifecycle: environment === 'prod' ? 'production' : 'experimental',
      ...(typeof url === 'string' && /^https?:\/\//.test(url)
        ? { endpoint: url }
        : {}),
      ...(typeof concurrency === 'number' && concurrency > 0
        ? { runtime: { maxConcurrentRequests: concurrency } }
        : {}),
      ...(isRolloutStrategy(strategy)
        ? { rollout: { strategy, trafficSplit } }
        : {}),
      status: { ready, conditions },
    };
    const entity: DeploymentEntity = {
      apiVersion: LLM_OPS_API_VERSION,
      kind: 'Deployment',
      metadata: {
        name:
          annotations[M.entityName] ??
          toEntityName(`${name}.${namespace}.${cluster}`),
        title: `${name} (${namespace}, ${cluster})`,
        annotations: {
          [ANNOTATION_KUBERNETES_ID]: name,
          [ANNOTATION_KUBERNETES_NAMESPACE]: namespace,
          [ANNOTATION_KUBERNETES_LABEL_SELECTOR]: `${POD_SELECTOR[backend]}=${name}`,
          [ANNOTATION_KUBERNETES_CLUSTER]: cluster,
        },
      },
      spec,
    };
    try {
      deploymentEntityValidator(entity);
    } catch (error) {
      this.skip(item, `invalid Deployment: ${describeInvalid(error)}`);
      return undefined;
    }
    return entity;
  }
}

const ROLLOUT_STRATEGIES = [
  'canary',
  'blue-green',
  'rolling',
  'recreate',
] as const;

function isRolloutStrategy(
  value: string | undefined,
): value is (typeof ROLLOUT_STRATEGIES)[number] {
  return ROLLOUT_STRATEGIES.includes(
    value as (typeof ROLLOUT_STRATEGIES)[number],
  );
}

/**
 * The requests a replica serves at once: Knative's containerConcurrency in
 * Serverless mode, else the serve image's `--max-num-seqs` (vLLM's).
 */
function readConcurrency(object: ServingObject): number | undefined {
  const predictor = object.spec?.predictor;
  if (typeof predictor?.containerConcurrency === 'number') {
    return predictor.containerConcurrency;
  }
  const args: unknown[] = predictor?.model?.args ?? [];
  for (const arg of args) {
    const match = /^--max-num-seqs=(\d+)$/.exec(String(arg));
    if (match) return Number(match[1]);
  }
  return undefined;
}
