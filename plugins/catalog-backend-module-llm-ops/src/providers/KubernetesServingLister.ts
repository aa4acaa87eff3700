import type {
  ServingObject,
  ToolHttpClient,
} from '@llmops/plugin-llm-ops-node';

/** The serving backends whose resources become Deployment entities. @public */
export type ServingBackendId = 'kserve' | 'rayserve';

/**
 * Lists a cluster's serving resources. The serving adapters of
 * `llm-ops-node` read one resource at a time; a provider needs the list.
 *
 * @public
 */
export interface ServingResourceLister {
  list(
    backend: ServingBackendId,
    signal: AbortSignal,
  ): Promise<ServingObject[]>;
}

/** The custom resource each backend serves with. @public */
export const SERVING_RESOURCES = {
  kserve: {
    groupVersion: 'serving.kserve.io/v1beta1',
    plural: 'inferenceservices',
  },
  rayserve: { groupVersion: 'ray.io/v1', plural: 'rayservices' },
} as const;

/**
 * Lists InferenceServices and RayServices through the Kubernetes API, in
 * all namespaces or in the given ones, page by page.
 *
 * @public
 */
export class KubernetesServingLister implements ServingResourceLister {
  constructor(
    private readonly http: ToolHttpClient,
    private readonly namespaces?: string[],
  ) {}

  async list(
    backend: ServingBackendId,
    signal: AbortSignal,
  ): Promise<ServingObject[]> {
    const { groupVersion, plural } = SERVING_RESOURCES[backend];
    const collections = this.namespaces?.length
      ? this.namespaces.map(
          ns =>
            `/apis/${groupVersion}/namespaces/${encodeURIComponent(
              ns,
            )}/${plural}`,
        )
      : [`/apis/${groupVersion}/${plural}`];
    const items: ServingObject[] = [];
    for (const collection of collections) {
      let token: string | undefined;
      do {
        const body = await this.http.json<{
          items?: ServingObject[];
          metadata?: { continue?: string };
        }>(collection, { signal, query: { limit: 500, continue: token } });
        items.push(...(body.items ?? []));
        token = body.metadata?.continue || undefined;
      } while (token);
    }
    return items;
  }
}
