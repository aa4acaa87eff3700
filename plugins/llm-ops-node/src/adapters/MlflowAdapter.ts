import { MLFLOW_TAGS } from '@llmops/plugin-llm-ops-common';
import { isToolError } from '../tools/ToolError';
import type {
  Experiment,
  ExperimentTracker,
  MetricPoint,
  ModelVersionRef,
  Page,
  PageRequest,
  RegisteredModel,
  Run,
  RunEndStatus,
  ToolObjectRef,
} from '../types';
import { mapLimited } from './mapLimited';
import { ToolHttpClient } from './ToolHttpClient';

const MLFLOW_JOB_ID_TAG = MLFLOW_TAGS.jobId;
const ARTIFACT_NAME_TAG = MLFLOW_TAGS.artifactName;

type KeyValue = { key: string; value: string };
type MlflowRun = {
  info: {
    run_id: string;
    experiment_id: string;
    run_name?: string;
    status: string;
    start_time?: number;
    end_time?: number;
  };
  data?: {
    params?: KeyValue[];
    tags?: KeyValue[];
    metrics?: Array<KeyValue & { value: number }>;
  };
};
type MlflowRegisteredModel = {
  name: string;
  description?: string;
  tags?: KeyValue[];
  aliases?: Array<{ alias: string; version: string }>;
};
type MlflowModelVersion = {
  name: string;
  version: string;
  run_id?: string;
  source?: string;
  status?: string;
  tags?: KeyValue[];
  creation_timestamp?: number;
};

const API = '/api/2.0/mlflow';
const BATCH = 100;
/** The most points of a metric history one read gives. */
const MAX_POINTS = 10_000;
/** MLflow's most points per run of `get-history-bulk-interval`. */
const MAX_SAMPLED_POINTS = 2500;
/** The most model-version reads at a time. */
const CONCURRENCY = 8;
const toPairs = (record: Record<string, string>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));
const fromPairs = <V>(pairs?: Array<{ key: string; value: V }>) =>
  Object.fromEntries((pairs ?? []).map(p => [p.key, p.value]));
/**
 * A string literal in MLflow's search filter syntax, which has no escapes:
 * a value with a single quote goes in double quotes.
 */
const quote = (value: string) =>
  value.includes("'") ? `"${value}"` : `'${value}'`;

/** MLflow tracking server and model registry, through its REST API. @public */
export class MlflowAdapter implements ExperimentTracker {
  readonly tool = 'mlflow';
  readonly category = 'experiment-tracking' as const;
  constructor(private readonly http: ToolHttpClient) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request('/health', { signal });
  }

  /** Creates the run of a job, or returns the one already tagged with its job id. */
  async createRun(
    input: {
      jobId: string;
      experimentName: string;
      runName?: string;
      params: Record<string, string>;
      tags: Record<string, string>;
    },
    signal: AbortSignal,
  ): Promise<ToolObjectRef & { experimentId: string }> {
    const experimentId = await this.#ensureExperiment(
      input.experimentName,
      signal,
    );
    const existing = await this.searchRuns(
      {
        experimentIds: [experimentId],
        filter: `tags.\`${MLFLOW_JOB_ID_TAG}\` = ${quote(input.jobId)}`,
        maxResults: 1,
      },
      signal,
    );
    let runId = existing.items[0]?.id;
    if (!runId) {
      const { run } = await this.http.json<{ run: MlflowRun }>(
        `${API}/runs/create`,
        {
          method: 'POST',
          signal,
          json: {
            experiment_id: experimentId,
            run_name: input.runName,
            start_time: Date.now(),
            tags: toPairs({ ...input.tags, [MLFLOW_JOB_ID_TAG]: input.jobId }),
          },
        },
      );
      runId = run.info.run_id;
    }
    // Logging the same params and tags again is a no-op, so this completes
    // a run whose first delivery failed half-way. MLflow takes at most 100
    // params and 100 tags per batch.
    const params = toPairs(input.params);
    const tags = toPairs({ ...input.tags, [MLFLOW_JOB_ID_TAG]: input.jobId });
    for (let i = 0; i < Math.max(params.length, tags.length); i += BATCH) {
      await this.http.request(`${API}/runs/log-batch`, {
        method: 'POST',
        idempotent: true,
        signal,
        json: {
          run_id: runId,
          params: params.slice(i, i + BATCH),
          tags: tags.slice(i, i + BATCH),
        },
      });
    }
    return {
      id: runId,
      experimentId,
      url: this.#runUrl(experimentId, runId),
      uiPath: runUiPath(experimentId, runId),
    };
  }

  async listExperiments(
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<Experiment>> {
    const body = await this.http.json<{
      experiments?: Array<{
        experiment_id: string;
        name: string;
        lifecycle_stage?: string;
        tags?: KeyValue[];
      }>;
      next_page_token?: string;
    }>(`${API}/experiments/search`, {
      method: 'POST',
      idempotent: true,
      signal,
      json: { max_results: page.maxResults ?? 100, page_token: page.pageToken },
    });
    return {
      items: (body.experiments ?? []).map(e => ({
        id: e.experiment_id,
        name: e.name,
        lifecycleStage: e.lifecycle_stage,
        tags: fromPairs(e.tags),
      })),
      nextPageToken: body.next_page_token || undefined,
    };
  }

  async searchRuns(
    query: PageRequest & {
      experimentIds: string[];
      filter?: string;
      orderBy?: string[];
    },
    signal: AbortSignal,
  ): Promise<Page<Run>> {
    const body = await this.http.json<{
      runs?: MlflowRun[];
      next_page_token?: string;
    }>(`${API}/runs/search`, {
      method: 'POST',
      idempotent: true,
      signal,
      json: {
        experiment_ids: query.experimentIds,
        filter: query.filter,
        order_by: query.orderBy,
        max_results: query.maxResults ?? 100,
        page_token: query.pageToken,
      },
    });
    return {
      items: (body.runs ?? []).map(run => this.#toRun(run)),
      nextPageToken: body.next_page_token || undefined,
    };
  }

  /**
   * A metric's history: every point when there are at most 10,000, else
   * MLflow's even sample of it (first and last points kept), or the first
   * 10,000 from an MLflow without `get-history-bulk-interval`.
   */
  async getMetricHistory(
    runId: string,
    metricKey: string,
    signal: AbortSignal,
  ): Promise<MetricPoint[]> {
    type Body = { metrics?: MetricPoint[]; next_page_token?: string };
    const toPoints = (body: Body) =>
      (body.metrics ?? []).map(m => ({
        step: Number(m.step ?? 0),
        value: m.value,
        timestamp: Number(m.timestamp),
      }));
    const page = await this.http.json<Body>(`${API}/metrics/get-history`, {
      signal,
      query: { run_id: runId, metric_key: metricKey, max_results: MAX_POINTS },
    });
    if (!page.next_page_token) return toPoints(page);
    try {
      const sample = await this.http.json<Body>(
        `${API}/metrics/get-history-bulk-interval`,
        {
          signal,
          query: {
            run_ids: [runId],
            metric_key: metricKey,
            max_results: MAX_SAMPLED_POINTS,
          },
        },
      );
      return toPoints(sample);
    } catch (error) {
      if (isToolError(error) && error.statusCode === 404) {
        return toPoints(page);
      }
      throw error;
    }
  }

  async listRegisteredModels(
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<RegisteredModel>> {
    const body = await this.http.json<{
      registered_models?: MlflowRegisteredModel[];
      next_page_token?: string;
    }>(`${API}/registered-models/search`, {
      signal,
      query: {
        max_results: page.maxResults ?? 100,
        page_token: page.pageToken,
      },
    });
    const items = await mapLimited(
      body.registered_models ?? [],
      CONCURRENCY,
      model => this.#toRegisteredModel(model, signal),
    );
    return { items, nextPageToken: body.next_page_token || undefined };
  }

  async getRegisteredModel(
    name: string,
    signal: AbortSignal,
  ): Promise<RegisteredModel> {
    const { registered_model: model } = await this.http.json<{
      registered_model: MlflowRegisteredModel;
    }>(`${API}/registered-models/get`, { signal, query: { name } });
    return this.#toRegisteredModel(model, signal);
  }

  async getModelVersionUri(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<string> {
    const { artifact_uri: uri } = await this.http.json<{
      artifact_uri: string;
    }>(`${API}/model-versions/get-download-uri`, {
      signal,
      query: { name, version },
    });
    return uri;
  }

  async getRun(runId: string, signal: AbortSignal): Promise<Run> {
    const { run } = await this.http.json<{ run: MlflowRun }>(
      `${API}/runs/get`,
      {
        signal,
        query: { run_id: runId },
      },
    );
    return this.#toRun(run);
  }

  async endRun(
    runId: string,
    status: RunEndStatus,
    signal: AbortSignal,
  ): Promise<{ status: string; ended: boolean }> {
    const run = await this.getRun(runId, signal);
    // RUNNING and SCHEDULED are the statuses of a run that has not ended.
    if (!['RUNNING', 'SCHEDULED'].includes(run.status)) {
      return { status: run.status, ended: false };
    }
    await this.http.request(`${API}/runs/update`, {
      method: 'POST',
      idempotent: true,
      signal,
      json: { run_id: runId, status, end_time: Date.now() },
    });
    return { status, ended: true };
  }

  async findJobModelVersions(
    job: { jobId: string; runId?: string },
    signal: AbortSignal,
  ): Promise<ModelVersionRef[]> {
    const filters = [`tags.\`${MLFLOW_JOB_ID_TAG}\` = ${quote(job.jobId)}`];
    if (job.runId) filters.push(`run_id = ${quote(job.runId)}`);
    const found = new Map<string, ModelVersionRef>();
    for (const filter of filters) {
      for (const v of await this.#searchModelVersions(filter, signal)) {
        found.set(`${v.name}/${v.version}`, {
          name: v.name,
          version: v.version,
          runId: v.run_id || undefined,
          createdAt:
            v.creation_timestamp === undefined
              ? undefined
              : Number(v.creation_timestamp),
        });
      }
    }
    return [...found.values()].sort(
      (a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0),
    );
  }

  async listModelRuns(
    name: string,
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<Run>> {
    // MLflow searches runs within given experiments only: search them all.
    const experimentIds: string[] = [];
    let pageToken: string | undefined;
    do {
      const experiments = await this.listExperiments(
        { pageToken, maxResults: 1000 },
        signal,
      );
      experimentIds.push(...experiments.items.map(e => e.id));
      pageToken = experiments.nextPageToken;
    } while (pageToken);
    if (experimentIds.length === 0) return { items: [] };
    return this.searchRuns(
      {
        ...page,
        experimentIds,
        filter: `tags.\`${ARTIFACT_NAME_TAG}\` = ${quote(name)}`,
        orderBy: ['attributes.start_time DESC'],
      },
      signal,
    );
  }

  async setModelAlias(
    name: string,
    alias: string,
    version: string,
    signal: AbortSignal,
  ): Promise<void> {
    await this.http.request(`${API}/registered-models/alias`, {
      method: 'POST',
      idempotent: true,
      signal,
      json: { name, alias, version },
    });
  }

  async #ensureExperiment(name: string, signal: AbortSignal): Promise<string> {
    const get = async () => {
      try {
        const { experiment } = await this.http.json<{
          experiment: { experiment_id: string };
        }>(`${API}/experiments/get-by-name`, {
          signal,
          query: { experiment_name: name },
        });
        return experiment.experiment_id;
      } catch (error) {
        if (isToolError(error) && error.statusCode === 404) return undefined;
        throw error;
      }
    };
    const found = await get();
    if (found) return found;
    try {
      const created = await this.http.json<{ experiment_id: string }>(
        `${API}/experiments/create`,
        { method: 'POST', signal, json: { name } },
      );
      return created.experiment_id;
    } catch (error) {
      // another delivery created it meanwhile
      const raced = await get();
      if (raced) return raced;
      throw error;
    }
  }

  async #toRegisteredModel(
    model: MlflowRegisteredModel,
    signal: AbortSignal,
  ): Promise<RegisteredModel> {
    return {
      name: model.name,
      description: model.description || undefined,
      tags: fromPairs(model.tags),
      aliases: Object.fromEntries(
        (model.aliases ?? []).map(a => [a.alias, a.version]),
      ),
      versions: await this.#modelVersions(model.name, signal),
    };
  }

  /** Every model version a search filter finds, over its pages. */
  async #searchModelVersions(
    filter: string,
    signal: AbortSignal,
  ): Promise<MlflowModelVersion[]> {
    const versions: MlflowModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.http.json<{
        model_versions?: MlflowModelVersion[];
        next_page_token?: string;
      }>(`${API}/model-versions/search`, {
        signal,
        query: { filter, max_results: 1000, page_token: pageToken },
      });
      versions.push(...(body.model_versions ?? []));
      pageToken = body.next_page_token || undefined;
    } while (pageToken);
    return versions;
  }

  async #modelVersions(
    name: string,
    signal: AbortSignal,
  ): Promise<RegisteredModel['versions']> {
    const versions = await this.#searchModelVersions(
      `name = ${quote(name)}`,
      signal,
    );
    return versions
      .map(v => ({
        version: v.version,
        runId: v.run_id || undefined,
        source: v.source,
        status: v.status,
        tags: fromPairs(v.tags),
        createdAt:
          v.creation_timestamp === undefined
            ? undefined
            : Number(v.creation_timestamp),
      }))
      .sort((a, b) => Number(a.version) - Number(b.version));
  }

  #toRun(run: MlflowRun): Run {
    const { info, data } = run;
    return {
      id: info.run_id,
      experimentId: info.experiment_id,
      name: info.run_name,
      status: info.status,
      startTime:
        info.start_time === undefined ? undefined : Number(info.start_time),
      endTime: info.end_time === undefined ? undefined : Number(info.end_time),
      params: fromPairs(data?.params),
      tags: fromPairs(data?.tags),
      metrics: fromPairs(data?.metrics),
      url: this.#runUrl(info.experiment_id, info.run_id),
    };
  }

  #runUrl(experimentId: string, runId: string): string {
    return `${this.http.baseUrl}/${runUiPath(experimentId, runId)}`;
  }
}

/** A run's page in MLflow's UI (a hash route), relative to the UI's base URL. */
function runUiPath(experimentId: string, runId: string) {
  return `#/experiments/${encodeURIComponent(
    experimentId,
  )}/runs/${encodeURIComponent(runId)}`;
}
