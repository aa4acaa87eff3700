import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MLFLOW_MODEL,
  parseMlflowModelSource,
  Run,
  RunPage,
} from '@llmops/plugin-llm-ops-common';
import type { LlmOpsApi } from '../../api/LlmOpsApi';

/** Runs fetched per request. */
export const RUNS_PAGE_SIZE = 200;
/** Pages fetched at most, so the newest 1000 runs are shown. */
export const MAX_RUN_PAGES = 5;

/**
 * The MLflow registered model name of a Model entity: its annotation, else
 * the name in an `mlflow://models/` source (as the backend reads it).
 */
export function getMlflowModelName(entity: Entity): string | undefined {
  const source = entity.spec?.source;
  return (
    entity.metadata.annotations?.[ANNOTATION_MLFLOW_MODEL] ||
    (typeof source === 'string'
      ? parseMlflowModelSource(source)?.name
      : undefined)
  );
}

/** The runs of a registered model, every page of them up to a limit. */
export interface ModelRuns {
  runs: Run[];
  /** Each page's read, for the stale banner. */
  reads: RunPage[];
  /** True when more runs exist than were fetched. */
  truncated: boolean;
}

/** Pages through `listModelRuns` by `nextPageToken`. */
export async function fetchModelRuns(
  api: LlmOpsApi,
  name: string,
): Promise<ModelRuns> {
  const reads: RunPage[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listModelRuns(name, {
      maxResults: RUNS_PAGE_SIZE,
      pageToken,
    });
    reads.push(page);
    pageToken = page.nextPageToken;
  } while (pageToken && reads.length < MAX_RUN_PAGES);
  return { runs: reads.flatMap(r => r.items), reads, truncated: !!pageToken };
}

/** The metric keys found across runs, sorted. */
export function metricKeysOf(runs: Run[]): string[] {
  return [
    ...new Set(runs.flatMap(run => Object.keys(run.metrics ?? {}))),
  ].sort();
}

/** The newest `count` runs by start time. */
export function newestRuns(runs: Run[], count: number): Run[] {
  return [...runs]
    .sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0))
    .slice(0, count);
}

/** A run's display name. */
export function runLabel(run: Run): string {
  return run.name || run.id;
}
