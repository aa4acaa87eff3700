import type {
  DeploymentSpec,
  DeploymentTracking,
  TrainingJobTracking,
  TrainJobSpec,
} from '@llmops/plugin-llm-ops-common';
import type { ResultOf } from '../queue/operations';

/** The two kinds of submission the API stores, by table. */
export type SubjectKind = 'training_jobs' | 'deployments';

/** What every stored submission has. */
interface SubjectBase {
  id: string;
  owner: string;
  status: string;
  nonCompliantRules?: string[];
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

/** A training job: its spec, and what Argo and MLflow made of it. */
export interface TrainingJobRecord extends SubjectBase {
  kind: 'training_jobs';
  spec: TrainJobSpec;
  jobType: string;
  modelFamily: string;
  toolState: {
    'submit-workflow'?: ResultOf<'submit-workflow'>;
    'create-run'?: ResultOf<'create-run'>;
    /** What the lifecycle tracker last read of the workflow. */
    tracking?: TrainingJobTracking;
  };
}

/** The environments a deployment may target. */
export type DeploymentEnvironment = 'dev' | 'stg' | 'prod';
/** The serving tools a deployment may use. */
export type ServingBackendId = 'kserve' | 'rayserve';

/** A deployment at its current revision, and what the serving tool made of it. */
export interface DeploymentRecord extends SubjectBase {
  kind: 'deployments';
  name: string;
  environment: DeploymentEnvironment;
  backend: ServingBackendId;
  /** The cluster of its environment (llmOps.environments); absent for records from before. */
  cluster?: string;
  namespace?: string;
  /** Each change (a new spec, a promotion) is a new revision. */
  revision: number;
  spec: DeploymentSpec;
  toolState: {
    'apply-deployment'?: ResultOf<'apply-deployment'>;
    /** What the lifecycle tracker last read of the serving resource. */
    tracking?: DeploymentTracking;
  };
}

/** A stored submission of either kind. */
export type SubjectRecord = TrainingJobRecord | DeploymentRecord;

/** The record type of a table. */
export type RecordOf<K extends SubjectKind> = Extract<
  SubjectRecord,
  { kind: K }
>;

/** One entry of a record's status history. */
export interface HistoryEntry {
  status: string;
  reason?: string;
  at: string;
  /** Who asked for the change (a user or service ref); none for a tool's. */
  actor?: string;
  /** A deployment's revision that the change made. */
  revision?: number;
  /** The model that revision serves. */
  model_ref?: string;
  /** The registry version of that model it serves, when the spec pins one. */
  model_version?: string;
}
