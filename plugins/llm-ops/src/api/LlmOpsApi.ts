import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ApiEnvelope,
  IntegrationHealth,
} from '@llmops/plugin-llm-ops-common';

/**
 * The frontend's view of the `/llm-ops/v1` API.
 *
 * @public
 */
export interface LlmOpsApi {
  getHealth(): Promise<IntegrationHealth[]>;
}

/** @public */
export const llmOpsApiRef = createApiRef<LlmOpsApi>({ id: 'plugin.llm-ops' });

/**
 * Calls the backend through Backstage's `fetchApi`, which adds the user's
 * token; tool tokens never reach the browser.
 *
 * @public
 */
export class LlmOpsClient implements LlmOpsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getHealth(): Promise<IntegrationHealth[]> {
    const body = await this.get<{ integrations: IntegrationHealth[] }>(
      '/health',
    );
    return body.integrations;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('llm-ops');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}/v1${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const envelope = (await response.json()) as ApiEnvelope<T>;
    return envelope.data;
  }
}
