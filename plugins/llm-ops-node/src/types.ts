import type {
  DatasetVersion,
  Experiment,
  MetricPoint,
  Page,
  RegisteredModel,
  Run,
  ServingStatus,
  ToolCategory,
} from '@llmops/plugin-llm-ops-common';

// The tools' data is isomorphic (the frontend shows it): it lives in -common.
export type {
  DatasetVersion,
  Experiment,
  MetricPoint,
  Page,
  RegisteredModel,
  Run,
  ServingStatus,
};

/**
 * What every tool adapter has: its identity and a cheap health call.
 *
 * @public
 */
export interface ToolAdapter {
  /** The tool id, such as `mlflow`; a company's own tools pick their own. */
  readonly tool: string;
  readonly category: ToolCategory;
  /** Proves the tool answers; throws (with a reason) when it does not. */
  ping(signal: AbortSignal): Promise<void>;
}

/** @public */
export interface PageRequest {
  pageToken?: string;
  maxResults?: number;
}

/** A reference to something a tool created for the portal. @public */
export interface ToolObjectRef {
  /** The tool's own id or name of the object. */
  id: string;
  namespace?: string;
  /** A link into the tool's own UI. */
  url?: string;
  /**
   * The same page of the tool's UI as a path under its base URL, for the
   * portal's tool UI proxy (`/api/llm-ops/ui/<tool>/<uiPath>`).
   */
  uiPath?: string;
}

/**
 * Experiment tracking and model registry, such as MLflow. Every write is
 * idempotent on the portal's job id, so a retried delivery never creates a
 * second run.
 *
 * @public
 */
export interface ExperimentTracker extends ToolAdapter {
  readonly category: 'experiment-tracking';
  createRun(
    input: {
      jobId: string;
      experimentName: string;
      runName?: string;
      params: Record<string, string>;
      tags: Record<string, string>;
    },
    signal: AbortSignal,
  ): Promise<ToolObjectRef & { experimentId: string }>;
  listExperiments(
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<Experiment>>;
  searchRuns(
    query: PageRequest & { experimentIds: string[]; filter?: string },
    signal: AbortSignal,
  ): Promise<Page<Run>>;
  /** One run, with its params, tags and latest metrics. */
  getRun(runId: string, signal: AbortSignal): Promise<Run>;
  getMetricHistory(
    runId: string,
    metricKey: string,
    signal: AbortSignal,
  ): Promise<MetricPoint[]>;
  listRegisteredModels(
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<RegisteredModel>>;
  /** One registered model with its versions and aliases. */
  getRegisteredModel(
    name: string,
    signal: AbortSignal,
  ): Promise<RegisteredModel>;
  /**
   * The training runs of a registered model, newest first: the runs whose
   * `llmops.artifact_name` tag names it (the portal's converter writes it).
   */
  listModelRuns(
    name: string,
    page: PageRequest,
    signal: AbortSignal,
  ): Promise<Page<Run>>;
  setModelAlias(
    name: string,
    alias: string,
    version: string,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * Where a registered model version's files are (MLflow's download URI of
   * the version, such as `s3://bucket/…/artifacts/model`): what a serving
   * tool downloads for a Model whose source is `mlflow://models/<name>/<version>`.
   */
  getModelVersionUri(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<string>;
  /**
   * Ends a run with its final status, unless it has ended already (the
   * training code may end it itself); gives the status the run has after.
   */
  endRun(
    runId: string,
    status: RunEndStatus,
    signal: AbortSignal,
  ): Promise<{ status: string; ended: boolean }>;
  /**
   * The model versions a job produced: those registered with its
   * `llmops.job_id` tag, or from its run. Oldest first.
   */
  findJobModelVersions(
    job: { jobId: string; runId?: string },
    signal: AbortSignal,
  ): Promise<ModelVersionRef[]>;
}

/** How a run ends: as MLflow's `RunStatus`. @public */
export type RunEndStatus = 'FINISHED' | 'FAILED' | 'KILLED';

/** A registered model version. @public */
export interface ModelVersionRef {
  name: string;
  version: string;
  runId?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
}

/** The state of a submitted workflow. @public */
export interface WorkflowStatus {
  phase: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Its steps and pods: a pending pod's message says why it waits (the scheduler's reason). */
  nodes?: Array<{
    name: string;
    /** Argo's node type: Pod, Steps, DAG, … */
    type?: string;
    /** The workflow template the node runs, such as `train-node`. */
    templateName?: string;
    phase: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    /** A finished pod's main container exit code. */
    exitCode?: number;
  }>;
}

/**
 * Training orchestration, such as Argo Workflows. `submitWorkflow` is
 * idempotent on the job id: the same job always becomes the same workflow.
 *
 * @public
 */
export interface Orchestrator extends ToolAdapter {
  readonly category: 'orchestration';
  submitWorkflow(
    input: { jobId: string; workflow: object },
    signal: AbortSignal,
  ): Promise<ToolObjectRef>;
  getWorkflow(ref: ToolObjectRef, signal: AbortSignal): Promise<WorkflowStatus>;
  stopWorkflow(ref: ToolObjectRef, signal: AbortSignal): Promise<void>;
  /**
   * Optional: one window of a watch of the portal's workflows, from a
   * resource version (undefined: from now, every workflow first). Calls
   * `onChange` with the job id of each workflow that changed, as it
   * changes; gives the version to go on from (undefined: start over).
   */
  watchWorkflows?(
    from: string | undefined,
    onChange: (jobId: string) => void,
    signal: AbortSignal,
  ): Promise<string | undefined>;
}

/**
 * A traffic change: percentages of the old and the new revision, and the
 * portal's revision of the deployment it belongs to.
 *
 * @public
 */
export interface TrafficChange {
  old: number;
  new: number;
  revision?: number;
}

/**
 * Model serving, such as KServe or Ray Serve. `applyDeployment` is
 * idempotent (server-side apply of the same manifests).
 *
 * @public
 */
export interface ServingBackend extends ToolAdapter {
  readonly category: 'serving';
  /** The namespace it deploys to unless told otherwise. */
  readonly namespace?: string;
  /** Its cluster's name (`kubernetes.clusterLocatorMethods`). */
  readonly cluster?: string;
  /**
   * `labels` go on every object (with the deployment id). An object that
   * exists and is not this deployment's, or runs a newer revision, is a
   * 409: the portal takes over nothing.
   */
  applyDeployment(
    input: {
      deploymentId: string;
      manifests: object[];
      labels?: Record<string, string>;
    },
    signal: AbortSignal,
  ): Promise<ToolObjectRef>;
  /**
   * Sets the split between the old and the new revision. With a
   * `revision`, stamps it on the object and refuses (409, reason
   * `stale-revision`) when the object already has a newer one.
   */
  setTraffic(
    ref: ToolObjectRef,
    split: TrafficChange,
    signal: AbortSignal,
  ): Promise<void>;
  getDeploymentStatus(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<ServingStatus>;
  /**
   * Optional: one window of a watch of the tool's resources in its
   * namespace, from a resource version (undefined: from now, every
   * resource first). Calls `onChange` with each resource that changed, as
   * it changes; gives the version to go on from (undefined: start over).
   */
  watchDeployments?(
    from: string | undefined,
    onChange: (ref: ToolObjectRef) => void,
    signal: AbortSignal,
  ): Promise<string | undefined>;
}

/** A model repository's metadata on a hub (`GET /api/models/{repo}`). @public */
export interface ModelInfo {
  id: string;
  /** The commit the revision resolved to. */
  sha?: string;
  pipelineTag?: string;
  libraryName?: string;
  tags: string[];
  gated?: boolean | string;
  private?: boolean;
  lastModified?: string;
  /** The repository's file names. */
  files: string[];
}

/** What the portal needs from a model's `config.json`. @public */
export interface ModelConfig {
  /** `model_type`, such as `llama`. */
  family?: string;
  architectures?: string[];
  /** `max_position_embeddings`, or GPT-2's `n_positions`. */
  maxPositionEmbeddings?: number;
  /** The whole file. */
  raw: Record<string, unknown>;
}

/** A search of a hub's models, as the Hugging Face Hub's query parameters. @public */
export interface ModelSearch {
  /** The organization or user that owns the models, such as `meta-llama`. */
  author?: string;
  /** A substring of the repo id (case-insensitive), such as `llama-3`. */
  search?: string;
  /** Tags the models must all have, such as `text-generation` or `transformers`. */
  filter?: string | string[];
  /** At most this many models, over as many pages as needed. Default 100, at most 1000. */
  limit?: number;
}

/** One model of a search's results. @public */
export interface ModelSummary {
  /** `org/name`. */
  id: string;
  tags: string[];
  pipelineTag?: string;
  libraryName?: string;
  private?: boolean;
  likes?: number;
  downloads?: number;
  createdAt?: string;
}

/**
 * Base model metadata, such as the Hugging Face Hub: what the catalog's
 * model provider reads.
 *
 * @public
 */
export interface ModelHub extends ToolAdapter {
  readonly category: 'model-hub';
  /** The models a search finds, following its pages up to `limit`. */
  searchModels(
    query: ModelSearch,
    signal: AbortSignal,
  ): Promise<ModelSummary[]>;
  /** A model's metadata at a revision (default `main`). */
  getModelInfo(
    repoId: string,
    signal: AbortSignal,
    revision?: string,
  ): Promise<ModelInfo>;
  /** A model's `config.json` at a revision (default `main`). */
  getConfig(
    repoId: string,
    signal: AbortSignal,
    revision?: string,
  ): Promise<ModelConfig>;
}

/** Dataset versions, such as DVC. @public */
export interface DataVersioning extends ToolAdapter {
  readonly category: 'data-versioning';
  listDatasets(
    signal: AbortSignal,
  ): Promise<Array<{ name: string; repo: string; path: string }>>;
  listDatasetVersions(
    name: string,
    signal: AbortSignal,
  ): Promise<DatasetVersion[]>;
  /**
   * The id (as `listDatasets` names it) of the dataset at a repository and
   * path, as a catalog Dataset's `spec.dvc` gives them; undefined when no
   * configured repository is that one.
   */
  findDataset(
    location: { repo: string; path: string },
    signal: AbortSignal,
  ): Promise<string | undefined>;
}

/** Any adapter of the five categories. @public */
export type LlmOpsAdapter =
  | ExperimentTracker
  | Orchestrator
  | ServingBackend
  | ModelHub
  | DataVersioning;
