import {
  DefaultApiClient,
  RequestOptions,
  TypedResponse,
} from '../schema/openapi';
import type {
  AliasChange,
  CatalogProviderList,
  DatasetList,
  DatasetVersionList,
  Deployment,
  DeploymentDetail,
  DeploymentPage,
  DeploymentRequest,
  DeploymentStatus,
  DeploymentValidationRequest,
  ExperimentPage,
  Health,
  Integrations,
  MetricHistory,
  RegisteredModelPage,
  RegisteredModelRead,
  RevalidationSummary,
  RunPage,
  ToolUiList,
  ToolUiSession,
  TrainingJob,
  TrainingJobDetail,
  TrainingJobPage,
  Validation,
} from '../schema/openapi';
import type {
  ListDeployments,
  ListExperiments,
  ListModelRuns,
  ListRuns,
  ListTrainingJobs,
  SubmitTrainingJob,
} from '../schema/openapi';
import { errorFromResponse } from './LlmOpsApiError';

/**
 * The Idempotency-Key header. The generated client spreads `header` into the
 * request's headers as it is, so it must hold the header's real name.
 */
function idempotencyHeader(key?: string): SubmitTrainingJob['header'] {
  return (key ? { 'Idempotency-Key': key } : {}) as SubmitTrainingJob['header'];
}

/** A successful reply: the envelope's message and data. @public */
export interface LlmOpsReply<T> {
  message: string;
  data: T;
  /** The HTTP status: 201 created, 202 queued for a tool that is down, … */
  status: number;
}

/** @public */
export interface LlmOpsClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/**
 * The typed client of the `/llm-ops/v1` API, over the client generated from
 * its OpenAPI document: each call returns the envelope's `data` (or the
 * whole reply, from the `*Reply` methods), and a failure throws an
 * `LlmOpsApiError` with the envelope's message and data. The frontend, the
 * scaffolder actions and the CLI wrap it with their own auth.
 *
 * @public
 */
export class LlmOpsClient {
  readonly #api: DefaultApiClient;

  constructor(options: LlmOpsClientOptions) {
    // The generated paths are relative to the API's version root.
    this.#api = new DefaultApiClient({
      discoveryApi: {
        getBaseUrl: async pluginId =>
          `${await options.discoveryApi.getBaseUrl(pluginId)}/v1`,
      },
      fetchApi: options.fetchApi,
    });
  }

  /** The reply of a call: its message and data, or the thrown LlmOpsApiError. */
  static async reply<E extends { message: string; data: unknown }>(
    call: Promise<TypedResponse<E>>,
  ): Promise<LlmOpsReply<E['data']>> {
    const response = await call;
    if (!response.ok) throw await errorFromResponse(response);
    const body = await response.json();
    return { message: body.message, data: body.data, status: response.status };
  }

  /** The data of a call's reply. */
  static async data<E extends { message: string; data: unknown }>(
    call: Promise<TypedResponse<E>>,
  ): Promise<E['data']> {
    return (await LlmOpsClient.reply(call)).data;
  }

  // Health
  getHealth(o?: RequestOptions): Promise<Health> {
    return LlmOpsClient.data(this.#api.getHealth({}, o));
  }
  listIntegrations(o?: RequestOptions): Promise<Integrations> {
    return LlmOpsClient.data(this.#api.listIntegrations({}, o));
  }
  listCatalogProviders(o?: RequestOptions): Promise<CatalogProviderList> {
    return LlmOpsClient.data(this.#api.listCatalogProviders({}, o));
  }
  revalidate(o?: RequestOptions): Promise<RevalidationSummary> {
    return LlmOpsClient.data(this.#api.revalidate({}, o));
  }

  // Training jobs
  validateTrainingJob(spec: unknown, o?: RequestOptions): Promise<Validation> {
    return LlmOpsClient.data(
      this.#api.validateTrainingJob({ body: { spec: spec as object } }, o),
    );
  }
  submitTrainingJobReply(
    spec: unknown,
    options: RequestOptions & { idempotencyKey?: string } = {},
  ): Promise<LlmOpsReply<TrainingJob>> {
    const { idempotencyKey, ...o } = options;
    return LlmOpsClient.reply(
      this.#api.submitTrainingJob(
        {
          body: { spec: spec as object },
          header: idempotencyHeader(idempotencyKey),
        },
        o,
      ),
    );
  }
  listTrainingJobs(
    query: ListTrainingJobs['query'] = {},
    o?: RequestOptions,
  ): Promise<TrainingJobPage> {
    return LlmOpsClient.data(this.#api.listTrainingJobs({ query }, o));
  }
  getTrainingJob(id: string, o?: RequestOptions): Promise<TrainingJobDetail> {
    return LlmOpsClient.data(this.#api.getTrainingJob({ path: { id } }, o));
  }
  cancelTrainingJob(id: string, o?: RequestOptions): Promise<TrainingJob> {
    return LlmOpsClient.data(this.#api.cancelTrainingJob({ path: { id } }, o));
  }
  retryTrainingJob(id: string, o?: RequestOptions): Promise<TrainingJob> {
    return LlmOpsClient.data(this.#api.retryTrainingJob({ path: { id } }, o));
  }

  // Deployments
  /** With its target (environment, backend), the rollout is checked against that backend's mode. */
  validateDeployment(
    spec: unknown,
    target: Omit<DeploymentValidationRequest, 'spec'> = {},
    o?: RequestOptions,
  ): Promise<Validation> {
    return LlmOpsClient.data(
      this.#api.validateDeployment(
        { body: { ...target, spec: spec as object } },
        o,
      ),
    );
  }
  createDeploymentReply(
    request: DeploymentRequest,
    options: RequestOptions & { idempotencyKey?: string } = {},
  ): Promise<LlmOpsReply<Deployment>> {
    const { idempotencyKey, ...o } = options;
    return LlmOpsClient.reply(
      this.#api.createDeployment(
        { body: request, header: idempotencyHeader(idempotencyKey) },
        o,
      ),
    );
  }
  listDeployments(
    query: ListDeployments['query'] = {},
    o?: RequestOptions,
  ): Promise<DeploymentPage> {
    return LlmOpsClient.data(this.#api.listDeployments({ query }, o));
  }
  getDeployment(id: string, o?: RequestOptions): Promise<DeploymentDetail> {
    return LlmOpsClient.data(this.#api.getDeployment({ path: { id } }, o));
  }
  getDeploymentStatus(
    id: string,
    o?: RequestOptions,
  ): Promise<DeploymentStatus> {
    return LlmOpsClient.data(
      this.#api.getDeploymentStatus({ path: { id } }, o),
    );
  }
  updateDeploymentReply(
    id: string,
    spec: unknown,
    o?: RequestOptions,
  ): Promise<LlmOpsReply<Deployment>> {
    return LlmOpsClient.reply(
      this.#api.updateDeployment(
        { path: { id }, body: { spec: spec as object } },
        o,
      ),
    );
  }
  shiftTrafficReply(
    id: string,
    direction: 'promote' | 'rollback',
    o?: RequestOptions,
  ): Promise<LlmOpsReply<Deployment>> {
    const request = { path: { id } };
    return LlmOpsClient.reply(
      direction === 'promote'
        ? this.#api.promoteDeployment(request, o)
        : this.#api.rollbackDeployment(request, o),
    );
  }

  // What the tools hold
  listExperiments(
    query: ListExperiments['query'] = {},
    o?: RequestOptions,
  ): Promise<ExperimentPage> {
    return LlmOpsClient.data(this.#api.listExperiments({ query }, o));
  }
  listRuns(
    experimentId: string,
    query: ListRuns['query'] = {},
    o?: RequestOptions,
  ): Promise<RunPage> {
    return LlmOpsClient.data(
      this.#api.listRuns({ path: { id: experimentId }, query }, o),
    );
  }
  getMetricHistory(
    runId: string,
    key: string,
    o?: RequestOptions,
  ): Promise<MetricHistory> {
    return LlmOpsClient.data(
      this.#api.getMetricHistory({ path: { id: runId, key } }, o),
    );
  }
  listRegisteredModels(
    query: ListExperiments['query'] = {},
    o?: RequestOptions,
  ): Promise<RegisteredModelPage> {
    return LlmOpsClient.data(this.#api.listRegisteredModels({ query }, o));
  }
  getRegisteredModel(
    name: string,
    o?: RequestOptions,
  ): Promise<RegisteredModelRead> {
    return LlmOpsClient.data(
      this.#api.getRegisteredModel({ path: { name } }, o),
    );
  }
  listModelRuns(
    name: string,
    query: ListModelRuns['query'] = {},
    o?: RequestOptions,
  ): Promise<RunPage> {
    return LlmOpsClient.data(
      this.#api.listModelRuns({ path: { name }, query }, o),
    );
  }
  setModelAlias(
    name: string,
    alias: string,
    version: string,
    o?: RequestOptions,
  ): Promise<AliasChange> {
    return LlmOpsClient.data(
      this.#api.setModelAlias({ path: { name, alias }, body: { version } }, o),
    );
  }
  listDatasets(o?: RequestOptions): Promise<DatasetList> {
    return LlmOpsClient.data(this.#api.listDatasets({}, o));
  }
  listDatasetVersions(
    name: string,
    namespace = 'default',
    o?: RequestOptions,
  ): Promise<DatasetVersionList> {
    return LlmOpsClient.data(
      this.#api.listDatasetVersions(
        { path: { name }, query: { namespace } },
        o,
      ),
    );
  }
  listToolUis(o?: RequestOptions): Promise<ToolUiList> {
    return LlmOpsClient.data(this.#api.listToolUis({}, o));
  }
  /** Where the signed-in user opens a tool's page through the proxy. */
  openToolUi(
    tool: string,
    path: string,
    o?: RequestOptions,
  ): Promise<ToolUiSession> {
    return LlmOpsClient.data(
      this.#api.openToolUi({ path: { tool }, body: { path } }, o),
    );
  }
}
