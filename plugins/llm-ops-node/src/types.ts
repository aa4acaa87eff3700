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
  listExperiments(page: PageRequest, signal: AbortSignal): Promise<Page<Experiment>>;
  searchRuns(
    query: PageRequest & { experimentIds: string[]; filter?: string },
    signal: AbortSignal,
  ): Promise<Page<Run>>;
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
  getRegisteredModel(name: string, signal: AbortSignal): Promise<RegisteredModel>;
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
}

/** The state of a submitted workflow. @public */
export interface WorkflowStatus {
  phase: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  nodes?: Array<{ name: string; phase: string }>;
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
}

/**
 * Model serving, such as KServe or Ray Serve. `applyDeployment` is
 * idempotent (server-side apply of the same manifests).
 *
 * @public
 */
export interface ServingBackend extends ToolAdapter {
  readonly category: 'serving';
  applyDeployment(
    input: { deploymentId: string; manifests: object[] },
    signal: AbortSignal,
  ): Promise<ToolObjectRef>;
  setTraffic(
    ref: ToolObjectRef,
    split: { old: number; new: number },
    signal: AbortSignal,
  ): Promise<void>;
  getDeploymentStatus(ref: ToolObjectRef, signal: AbortSignal): Promise<ServingStatus>;
}

/** Base model metadata, such as the Hugging Face Hub. @public */
export interface ModelHub extends ToolAdapter {
  readonly category: 'model-hub';
  /**
   * The models a search of the hub finds (the Hugging Face Hub's
   * `GET /api/models`), following its pages up to `limit` models (default
   * 100, at most 1000). `search` is a substring of the repo id, `author` its
   * organization or user, and each `filter` a tag the model must have (such
   * as `text-generation`). Optional: a hub that cannot search lacks it.
   */
  searchModels?(
    query: {
      author?: string;
      search?: string;
      filter?: string | string[];
      limit?: number;
    },
    signal: AbortSignal,
  ): Promise<
    Array<{
      id: string;
      tags: string[];
      pipelineTag?: string;
      libraryName?: string;
      private?: boolean;
    }>
  >;
}

/** Dataset versions, such as DVC. @public */
export interface DataVersioning extends ToolAdapter {
  readonly category: 'data-versioning';
  listDatasets(signal: AbortSignal): Promise<Array<{ name: string; repo: string; path: string }>>;
  listDatasetVersions(name: string, signal: AbortSignal): Promise<DatasetVersion[]>;
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
