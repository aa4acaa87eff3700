import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DatasetList,
  DatasetVersionList,
  ExperimentPage,
  isDatasetEntity,
  MetricHistory,
  RegisteredModelPage,
  RegisteredModelRead,
  RunPage,
} from '@llmops/plugin-llm-ops-common';
import type { PageRequest } from '@llmops/plugin-llm-ops-node';
import type { ApiContext } from './context';
import type { ToolReads } from './ToolReads';

/**
 * What the tools hold, read through `ToolReads` (cached, stale when the
 * tool is down): experiments, runs, metrics, registered models, datasets.
 */
export class ToolData {
  constructor(
    private readonly ctx: ApiContext,
    private readonly reads: ToolReads,
  ) {}

  experiments(page: PageRequest): Promise<ExperimentPage> {
    return this.reads.read(
      'experiment-tracking',
      `experiments:${page.pageToken}:${page.maxResults}`,
      (a, signal) => a.listExperiments(page, signal),
      { items: [] },
    );
  }

  runs(
    experimentId: string,
    query: PageRequest & { filter?: string },
  ): Promise<RunPage> {
    return this.reads.read(
      'experiment-tracking',
      `runs:${experimentId}:${query.filter}:${query.pageToken}:${query.maxResults}`,
      (a, signal) =>
        a.searchRuns({ experimentIds: [experimentId], ...query }, signal),
      { items: [] },
    );
  }

  metricHistory(runId: string, key: string): Promise<MetricHistory> {
    return this.reads.read(
      'experiment-tracking',
      `metrics:${runId}:${key}`,
      async (a, signal) => ({
        items: await a.getMetricHistory(runId, key, signal),
      }),
      { items: [] },
    );
  }

  registeredModels(page: PageRequest): Promise<RegisteredModelPage> {
    return this.reads.read(
      'experiment-tracking',
      `models:${page.pageToken}:${page.maxResults}`,
      (a, signal) => a.listRegisteredModels(page, signal),
      { items: [] },
    );
  }

  registeredModel(name: string): Promise<RegisteredModelRead> {
    return this.reads.read(
      'experiment-tracking',
      `model:${name}`,
      (a, signal) => a.getRegisteredModel(name, signal),
      { name, aliases: {}, versions: [] },
    );
  }

  modelRuns(name: string, page: PageRequest): Promise<RunPage> {
    return this.reads.read(
      'experiment-tracking',
      `model-runs:${name}:${page.pageToken}:${page.maxResults}`,
      (a, signal) => a.listModelRuns(name, page, signal),
      { items: [] },
    );
  }

  datasets(): Promise<DatasetList> {
    return this.reads.read(
      'data-versioning',
      'datasets',
      async (a, signal) => ({ items: await a.listDatasets(signal) }),
      { items: [] },
    );
  }

  /**
   * The versions of a catalog Dataset (read with the caller's credentials):
   * its `spec.dvc` names the repository, found among the configured ones.
   */
  async datasetVersions(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<DatasetVersionList> {
    const entity = await this.ctx.catalog.getEntityByRef(
      { kind: 'Dataset', ...ref },
      { credentials },
    );
    const display = `dataset:${ref.namespace}/${ref.name}`;
    if (!entity || !isDatasetEntity(entity)) {
      throw new NotFoundError(`${display} is not in the catalog`);
    }
    const location = entity.spec.dvc;
    if (!location) {
      throw new NotFoundError(
        `${display} has no spec.dvc (repository and path), so no tool holds its versions`,
      );
    }
    return this.reads.read(
      'data-versioning',
      `dataset-versions:${location.repo}:${location.path}`,
      async (a, signal) => {
        const id = await a.findDataset(location, signal);
        // Not an error of the caller's: the portal's DVC config does not
        // hold the entity's repository. The read says so, and the page
        // shows the catalog's versions instead.
        if (!id) {
          return {
            items: [],
            unavailable: { tool: a.tool, reason: 'not-configured' },
          };
        }
        return { items: await a.listDatasetVersions(id, signal) };
      },
      { items: [] },
    );
  }
}
