import type { ToolCategory } from '@llmops/plugin-llm-ops-common';

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

/** A page of results and the token of the next page, if any. @public */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
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

/** The state of a served deployment. @public */
export interface ServingStatus {
  ready: boolean;
  url?: string;
  trafficSplit?: { old: number; new: number };
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
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

/** Dataset versions, such as DVC. @public */
export interface DataVersioning extends ToolAdapter {
  readonly category: 'data-versioning';
  listDatasets(signal: AbortSignal): Promise<Array<{ name: string; repo: string; path: string }>>;
  listDatasetVersions(name: string, signal: AbortSignal): Promise<DatasetVersion[]>;
}

/** Any adapter of the five categories. @public */
export type LlmOpsAdapter =
  | ExperimentTracker
  | Orchestrator
  | ServingBackend
  | ModelHub
  | DataVersioning;
