import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { LlmOpsClient } from '@llmops/plugin-llm-ops-common';
import type {
  DeploymentFilter,
  DeploymentTarget,
  LlmOpsApi,
  ModelRunsQuery,
  TrainingJobFilter,
} from './LlmOpsApi';

/** A query without its unset fields, so that "any" is not sent. */
function setFields<T extends object>(query: T = {} as T): T {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== ''),
  ) as T;
}

/**
 * The `LlmOpsApi` over the API's typed client, `LlmOpsClient`. Calls go
 * through Backstage's `fetchApi`, which adds the user's token; tool tokens
 * never reach the browser.
 *
 * @public
 */
export class LlmOpsApiClient implements LlmOpsApi {
  readonly #client: LlmOpsClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#client = new LlmOpsClient(deps);
  }

  async listIntegrations() {
    return (await this.#client.listIntegrations()).integrations;
  }

  async listCatalogProviders() {
    return (await this.#client.listCatalogProviders()).items;
  }

  validateTrainingJob(spec: unknown) {
    return this.#client.validateTrainingJob(spec);
  }

  listTrainingJobs(filter?: TrainingJobFilter) {
    return this.#client.listTrainingJobs(setFields(filter));
  }

  getTrainingJob(id: string) {
    return this.#client.getTrainingJob(id);
  }

  validateDeployment(spec: unknown, target?: DeploymentTarget) {
    return this.#client.validateDeployment(spec, setFields(target));
  }

  listDeployments(filter?: DeploymentFilter) {
    return this.#client.listDeployments(setFields(filter));
  }

  cancelTrainingJob(id: string) {
    return this.#client.cancelTrainingJob(id);
  }

  retryTrainingJob(id: string) {
    return this.#client.retryTrainingJob(id);
  }

  getDeployment(id: string) {
    return this.#client.getDeployment(id);
  }

  getDeploymentStatus(id: string) {
    return this.#client.getDeploymentStatus(id);
  }

  async promoteDeployment(id: string) {
    return (await this.#client.shiftTrafficReply(id, 'promote')).data;
  }

  async rollbackDeployment(id: string) {
    return (await this.#client.shiftTrafficReply(id, 'rollback')).data;
  }

  getRegisteredModel(name: string) {
    return this.#client.getRegisteredModel(name);
  }

  listModelRuns(name: string, page?: ModelRunsQuery) {
    return this.#client.listModelRuns(name, setFields(page));
  }

  getMetricHistory(runId: string, key: string) {
    return this.#client.getMetricHistory(runId, key);
  }

  setModelAlias(name: string, alias: string, version: string) {
    return this.#client.setModelAlias(name, alias, version);
  }

  listDatasetVersions(name: string, namespace = 'default') {
    return this.#client.listDatasetVersions(name, namespace);
  }

  async listToolUis() {
    return (await this.#client.listToolUis()).items;
  }

  /** The backend says where: its proxy's own origin, through a session link, or its path. */
  async getToolUiUrl(tool: string, path: string) {
    return (await this.#client.openToolUi(tool, path)).url;
  }
}
