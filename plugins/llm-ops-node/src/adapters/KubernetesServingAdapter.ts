import type { ServingBackend } from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/**
 * A serving backend whose resources are Kubernetes custom resources:
 * KServe InferenceServices or KubeRay RayServices. The two differ only in
 * their API group and kind, so one class serves both.
 *
 * @public
 */
export class KubernetesServingAdapter implements ServingBackend {
  readonly category = 'serving' as const;

  constructor(
    readonly tool: 'kserve' | 'rayserve',
    private readonly http: ToolHttpClient,
    readonly namespace: string,
  ) {}

  /** The API group and version of the tool's custom resources. */
  get groupVersion(): string {
    return this.tool === 'kserve' ? 'serving.kserve.io/v1beta1' : 'ray.io/v1';
  }

  /** Reachable means the cluster answers and serves the tool's CRD group. */
  async ping(signal: AbortSignal): Promise<void> {
    await this.http.json(`/apis/${this.groupVersion}`, { signal });
  }
}
