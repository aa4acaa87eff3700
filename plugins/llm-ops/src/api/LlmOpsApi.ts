import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AliasChange,
  CatalogSyncStatus,
  DatasetVersionList,
  Deployment,
  DeploymentDetail,
  DeploymentPage,
  DeploymentStatus,
  DeploymentValidationRequest,
  IntegrationHealth,
  ListDeployments,
  ListModelRuns,
  ListTrainingJobs,
  MetricHistory,
  RegisteredModelRead,
  RunPage,
  ToolUi,
  TrainingJob,
  TrainingJobDetail,
  TrainingJobPage,
  Validation,
} from '@llmops/plugin-llm-ops-common';

/** Filters of the training jobs list (the API's query). @public */
export type TrainingJobFilter = ListTrainingJobs['query'];

/**
 * Filters of the deployments list (the API's query); `name` is the
 * deployment's Deployment entity's name.
 *
 * @public
 */
export type DeploymentFilter = ListDeployments['query'];

/**
 * Where a DeploymentSpec would deploy (environment, backend): its rollout is
 * checked against the serving mode there.
 *
 * @public
 */
export type DeploymentTarget = Omit<DeploymentValidationRequest, 'spec'>;

/** A page of a registered model's runs. @public */
export type ModelRunsQuery = ListModelRuns['query'];

/**
 * The frontend's view of the `/llm-ops/v1` API, with the API's generated
 * models. Reads from the tools carry `stale: true` and the last known data
 * when a tool is down. A failed call throws the `LlmOpsApiError` of
 * `@llmops/plugin-llm-ops-common`.
 *
 * @public
 */
export interface LlmOpsApi {
  /** Each tool's state, latency, circuit and last error (signed in). */
  listIntegrations(): Promise<IntegrationHealth[]>;
  /** The catalog's LLM Ops entity providers: in sync, entities, failures. */
  listCatalogProviders(): Promise<CatalogSyncStatus[]>;

  /** Checks a TrainJobSpec against the shared rules. */
  validateTrainingJob(spec: unknown): Promise<Validation>;
  listTrainingJobs(filter?: TrainingJobFilter): Promise<TrainingJobPage>;
  getTrainingJob(id: string): Promise<TrainingJobDetail>;
  /** Stops the job's workflow (or drops it before delivery). */
  cancelTrainingJob(id: string): Promise<TrainingJob>;
  /** Delivers again what the queue gave up on. */
  retryTrainingJob(id: string): Promise<TrainingJob>;

  /** Checks a DeploymentSpec against the shared rules, where it would deploy. */
  validateDeployment(
    spec: unknown,
    target?: DeploymentTarget,
  ): Promise<Validation>;
  listDeployments(filter?: DeploymentFilter): Promise<DeploymentPage>;
  getDeployment(id: string): Promise<DeploymentDetail>;
  /** The live state from KServe or Ray Serve: split, conditions, URL. */
  getDeploymentStatus(id: string): Promise<DeploymentStatus>;
  promoteDeployment(id: string): Promise<Deployment>;
  rollbackDeployment(id: string): Promise<Deployment>;

  /** A registered model with its versions and aliases. */
  getRegisteredModel(name: string): Promise<RegisteredModelRead>;
  /** The training runs of a registered model, newest first. */
  listModelRuns(name: string, page?: ModelRunsQuery): Promise<RunPage>;
  getMetricHistory(runId: string, key: string): Promise<MetricHistory>;
  /** `applied`, or `queued` while MLflow is down (delivered when it is back). */
  setModelAlias(
    name: string,
    alias: string,
    version: string,
  ): Promise<AliasChange>;

  /** The live versions of a catalog Dataset, read from the tool its `spec.dvc` names. */
  listDatasetVersions(
    name: string,
    namespace?: string,
  ): Promise<DatasetVersionList>;

  /** The tool UIs the backend can serve through its same-origin proxy. */
  listToolUis(): Promise<ToolUi[]>;
  /**
   * The absolute URL of a page of a tool's UI through the proxy, such as a
   * `uiPath` the API gives for a delivered workflow or run.
   */
  getToolUiUrl(tool: string, path: string): Promise<string>;
}

/** @public */
export const llmOpsApiRef = createApiRef<LlmOpsApi>({ id: 'plugin.llm-ops' });
