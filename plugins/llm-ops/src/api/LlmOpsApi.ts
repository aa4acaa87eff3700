import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ApiEnvelope,
  CatalogSyncStatus,
  CursorPage,
  DatasetVersion,
  DeploymentView,
  IntegrationHealth,
  MetricPoint,
  Page,
  RegisteredModel,
  Run,
  ServingStatus,
  SubjectDetail,
  ToolRead,
  ToolUi,
  TrainingJobView,
} from '@llmops/plugin-llm-ops-common';

/**
 * An error answered in the API's `{status, message, data}` envelope; `data`
 * holds the details (`{errors: [{path, rule, message}]}` or `{tool, reason}`).
 *
 * @public
 */
export class LlmOpsApiError extends Error {
  readonly name = 'LlmOpsApiError';
  constructor(
    message: string,
    readonly statusCode: number,
    readonly data: unknown,
  ) {
    super(message);
  }
}

/** Filters of the training jobs list. @public */
export interface TrainingJobFilter {
  status?: string;
  job_type?: string;
  model_family?: string;
  owner?: string;
  cursor?: string;
  limit?: number;
}

/** Filters of the deployments list. @public */
export interface DeploymentFilter {
  status?: string;
  environment?: string;
  model_ref?: string;
  owner?: string;
  /** The deployment's name, which is its Deployment entity's name. */
  name?: string;
  cursor?: string;
  limit?: number;
}

/**
 * The frontend's view of the `/llm-ops/v1` API. Reads from the tools are
 * `ToolRead`s: when a tool is down they carry `stale: true` and the last
 * known data.
 *
 * @public
 */
export interface LlmOpsApi {
  /** Each tool's state, latency, circuit and last error (signed in). */
  listIntegrations(): Promise<IntegrationHealth[]>;
  /** The catalog's LLM Ops entity providers: in sync, entities, failures. */
  listCatalogProviders(): Promise<CatalogSyncStatus[]>;

  listTrainingJobs(
    filter?: TrainingJobFilter,
  ): Promise<CursorPage<TrainingJobView>>;
  getTrainingJob(id: string): Promise<SubjectDetail<TrainingJobView>>;

  listDeployments(
    filter?: DeploymentFilter,
  ): Promise<CursorPage<DeploymentView>>;
  getDeployment(id: string): Promise<SubjectDetail<DeploymentView>>;
  /** The live state from KServe or Ray Serve: split, conditions, URL. */
  getDeploymentStatus(id: string): Promise<ToolRead<ServingStatus>>;
  promoteDeployment(id: string): Promise<DeploymentView>;
  rollbackDeployment(id: string): Promise<DeploymentView>;

  /** A registered model with its versions and aliases. */
  getRegisteredModel(name: string): Promise<ToolRead<RegisteredModel>>;
  /** The training runs of a registered model, newest first. */
  listModelRuns(
    name: string,
    page?: { pageToken?: string; maxResults?: number },
  ): Promise<ToolRead<Page<Run>>>;
  getMetricHistory(
    runId: string,
    key: string,
  ): Promise<ToolRead<{ items: MetricPoint[] }>>;
  /** `applied`, or `queued` while MLflow is down (delivered when it is back). */
  setModelAlias(
    name: string,
    alias: string,
    version: string,
  ): Promise<{ status: 'applied' | 'queued' }>;

  /** The live versions of a catalog Dataset, read from the tool its `spec.dvc` names. */
  listDatasetVersions(
    name: string,
    namespace?: string,
  ): Promise<ToolRead<{ items: DatasetVersion[] }>>;

  /** The tool UIs the backend can serve through its same-origin proxy. */
  listToolUis(): Promise<ToolUi[]>;
  /** The absolute URL of a page of a tool's UI through the proxy. */
  getToolUiUrl(tool: string, path: string): Promise<string>;
}

/** @public */
export const llmOpsApiRef = createApiRef<LlmOpsApi>({ id: 'plugin.llm-ops' });

const query = (params: object = {}) => {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== '',
  );
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`
    : '';
};
const seg = encodeURIComponent;

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

  async listIntegrations() {
    return (
      await this.call<{ integrations: IntegrationHealth[] }>(
        'GET',
        '/integrations',
      )
    ).integrations;
  }

  async listCatalogProviders() {
    return (
      await this.call<{ items: CatalogSyncStatus[] }>(
        'GET',
        '/catalog-providers',
      )
    ).items;
  }

  listTrainingJobs(filter?: TrainingJobFilter) {
    return this.call<CursorPage<TrainingJobView>>(
      'GET',
      `/training-jobs${query(filter)}`,
    );
  }

  getTrainingJob(id: string) {
    return this.call<SubjectDetail<TrainingJobView>>(
      'GET',
      `/training-jobs/${seg(id)}`,
    );
  }

  listDeployments(filter?: DeploymentFilter) {
    return this.call<CursorPage<DeploymentView>>(
      'GET',
      `/deployments${query(filter)}`,
    );
  }

  getDeployment(id: string) {
    return this.call<SubjectDetail<DeploymentView>>(
      'GET',
      `/deployments/${seg(id)}`,
    );
  }

  getDeploymentStatus(id: string) {
    return this.call<ToolRead<ServingStatus>>(
      'GET',
      `/deployments/${seg(id)}/status`,
    );
  }

  promoteDeployment(id: string) {
    return this.call<DeploymentView>('POST', `/deployments/${seg(id)}/promote`);
  }

  rollbackDeployment(id: string) {
    return this.call<DeploymentView>(
      'POST',
      `/deployments/${seg(id)}/rollback`,
    );
  }

  getRegisteredModel(name: string) {
    return this.call<ToolRead<RegisteredModel>>('GET', `/models/${seg(name)}`);
  }

  listModelRuns(
    name: string,
    page?: { pageToken?: string; maxResults?: number },
  ) {
    return this.call<ToolRead<Page<Run>>>(
      'GET',
      `/models/${seg(name)}/runs${query(page)}`,
    );
  }

  getMetricHistory(runId: string, key: string) {
    return this.call<ToolRead<{ items: MetricPoint[] }>>(
      'GET',
      `/runs/${seg(runId)}/metrics/${seg(key)}`,
    );
  }

  setModelAlias(name: string, alias: string, version: string) {
    return this.call<{ status: 'applied' | 'queued' }>(
      'PUT',
      `/models/${seg(name)}/aliases/${seg(alias)}`,
      { version },
    );
  }

  listDatasetVersions(name: string, namespace = 'default') {
    return this.call<ToolRead<{ items: DatasetVersion[] }>>(
      'GET',
      `/datasets/${seg(name)}/versions?namespace=${encodeURIComponent(
        namespace,
      )}`,
    );
  }

  async listToolUis() {
    return (await this.call<{ items: ToolUi[] }>('GET', '/ui')).items;
  }

  async getToolUiUrl(tool: string, path: string) {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('llm-ops');
    return `${baseUrl}/ui/${seg(tool)}/${path.replace(/^\/+/, '')}`;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('llm-ops');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            body: JSON.stringify(body),
            headers: { 'Content-Type': 'application/json' },
          }),
    });
    if (!response.ok) {
      const envelope = await response
        .clone()
        .json()
        .catch(() => undefined);
      if (
        envelope?.status === 'error' &&
        typeof envelope.message === 'string'
      ) {
        throw new LlmOpsApiError(
          envelope.message,
          response.status,
          envelope.data,
        );
      }
      throw await ResponseError.fromResponse(response);
    }
    const envelope = (await response.json()) as ApiEnvelope<T>;
    return envelope.data;
  }
}
