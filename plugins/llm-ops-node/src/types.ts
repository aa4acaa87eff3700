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

/** Experiment tracking and model registry, such as MLflow. @public */
export interface ExperimentTracker extends ToolAdapter {
  readonly category: 'experiment-tracking';
}

/** Training orchestration, such as Argo Workflows. @public */
export interface Orchestrator extends ToolAdapter {
  readonly category: 'orchestration';
}

/** Model serving, such as KServe or Ray Serve. @public */
export interface ServingBackend extends ToolAdapter {
  readonly category: 'serving';
}

/** Base model metadata, such as the Hugging Face Hub. @public */
export interface ModelHub extends ToolAdapter {
  readonly category: 'model-hub';
}

/** Dataset versions, such as DVC. @public */
export interface DataVersioning extends ToolAdapter {
  readonly category: 'data-versioning';
}

/** Any adapter of the five categories. @public */
export type LlmOpsAdapter =
  | ExperimentTracker
  | Orchestrator
  | ServingBackend
  | ModelHub
  | DataVersioning;
