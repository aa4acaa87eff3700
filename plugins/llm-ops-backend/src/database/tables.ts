/*
 * The rows of the plugin's tables, as knex reads them. Timestamps come back
 * as strings from SQLite and as Dates from PostgreSQL.
 */

type Timestamp = string | Date;

/** The columns training_jobs and deployments share. */
export interface SubjectRow {
  id: string;
  owner: string;
  status: string;
  /** JSON: the TrainJobSpec or DeploymentSpec. */
  spec: string;
  idempotency_key: string | null;
  request_hash: string | null;
  /** JSON: what each delivered operation returned, by operation. */
  tool_state: string;
  non_compliant_rules: string | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TrainingJobRow extends SubjectRow {
  job_type: string;
  model_family: string;
}

export interface DeploymentRow extends SubjectRow {
  name: string;
  environment: string;
  model_ref: string;
  backend: string;
  cluster: string | null;
  namespace: string | null;
  revision: number;
}

export interface StatusHistoryRow {
  seq: number | string;
  subject_id: string;
  status: string;
  reason: string | null;
  at: Timestamp;
  actor?: string | null;
  revision?: number | null;
  model_ref?: string | null;
  model_version?: string | null;
}

export interface OutboxRow {
  seq: number | string;
  subject_id: string;
  tool: string;
  operation: string;
  dedupe_key: string;
  /** JSON */
  payload: string;
  state: 'pending' | 'delivered' | 'failed' | 'superseded';
  attempts: number | string;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  /** JSON */
  result: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReadCacheRow {
  cache_key: string;
  /** JSON */
  data: string;
  fetched_at: Timestamp;
}

/** An ISO timestamp of a column value. */
export const iso = (value: Timestamp) => new Date(value).toISOString();

/** A JSON column's value, or the fallback when it is empty. */
export function fromJson<T>(value: string | null | undefined, fallback: T): T {
  return typeof value === 'string' && value
    ? (JSON.parse(value) as T)
    : fallback;
}
