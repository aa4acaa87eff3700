/**
 * What the tools hold, as the adapters return it and the API serves it, and
 * the API's views of the portal's own records. Isomorphic: the frontend
 * renders these.
 */

/** @public */
export interface Experiment {
  id: string;
  name: string;
  lifecycleStage?: string;
  tags?: Record<string, string>;
}

/** @public */
export interface Run {
  id: string;
  experimentId: string;
  name?: string;
  status: string;
  startTime?: number;
  endTime?: number;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest value of each metric. */
  metrics: Record<string, number>;
  url?: string;
}

/** @public */
export interface MetricPoint {
  step: number;
  value: number;
  timestamp: number;
}

/** @public */
export interface RegisteredModel {
  name: string;
  description?: string;
  tags?: Record<string, string>;
  aliases: Record<string, string>;
  versions: Array<{
    version: string;
    runId?: string;
    source?: string;
    status?: string;
    tags?: Record<string, string>;
    createdAt?: number;
  }>;
}

/** A version of a dataset. @public */
export interface DatasetVersion {
  version: string;
  md5?: string;
  size?: number;
  files?: number;
  url?: string;
  date?: string;
}

/** The state of a served deployment. @public */
export interface ServingStatus {
  ready: boolean;
  url?: string;
  trafficSplit?: { old: number; new: number };
  conditions: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
  }>;
}

/** A page of results and the token of the next page, if any. @public */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/**
 * A read from a tool. When the tool is down, the last known answer comes
 * back with `stale: true` and the time it was fetched.
 *
 * @public
 */
export type ToolRead<T> = T & {
  stale: boolean;
  fetchedAt?: string;
  /** Why the tool is unavailable, when `stale`. */
  unavailable?: { tool: string; reason: string };
};

/** A training job or deployment, as the list endpoints return it. @public */
export interface SubjectView {
  id: string;
  owner: string;
  /** `queued`, `submitted`, `running`, `succeeded`, `failed`, `cancelled`, `non_compliant`, … */
  status: string;
  spec: Record<string, unknown>;
  toolState: Record<
    string,
    { url?: string; id?: string; [key: string]: unknown }
  >;
  nonCompliantRules?: string[] | null;
  lastError?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** @public */
export interface TrainingJobView extends SubjectView {
  job_type: string;
  model_family: string;
}

/** @public */
export interface DeploymentView extends SubjectView {
  name: string;
  environment: 'dev' | 'stg' | 'prod';
  model_ref: string;
}

/** One record with its status history, its queued deliveries and its links. @public */
export type SubjectDetail<V extends SubjectView = SubjectView> = V & {
  history: Array<{ status: string; reason?: string | null; at: string }>;
  deliveries: Array<{
    tool: string;
    operation: string;
    state: 'pending' | 'delivered' | 'failed';
    attempts: number;
    nextAttemptAt?: string;
    lastError?: string | null;
  }>;
  links: string[];
};

/** A list endpoint's page of the portal's own records. @public */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * A tool UI that the backend serves through its same-origin proxy, from
 * `GET /v1/ui`.
 *
 * @public
 */
export interface ToolUi {
  tool: string;
  /** False when config says the UI can't be framed: link out instead. */
  embeddable: boolean;
  /** The proxy's path under the plugin's base URL, such as `/ui/mlflow/`. */
  proxyPath: string;
  /** The tool's own address for users, for link-outs. */
  publicUrl?: string;
}

/**
 * The state of one of the catalog's LLM Ops entity providers (MLflow, the
 * Hugging Face Hub, DVC, KServe, Ray Serve) after its last run.
 *
 * @public
 */
export interface CatalogSyncStatus {
  provider: string;
  /** False when the last run could not read every part of the tool. */
  healthy: boolean;
  lastRunAt?: string;
  lastSuccessAt?: string;
  /** The entities the provider currently keeps in the catalog. */
  entityCount: number;
  /** The parts whose tool did not answer in the last run, and why. */
  failures: Array<{ partition: string; error: string }>;
  /** Upstream items skipped in the last run, and why. */
  skipped: Array<{ item: string; reason: string }>;
}
