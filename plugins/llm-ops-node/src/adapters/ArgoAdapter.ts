import { trainJobWorkflowName } from '@llmops/plugin-llm-ops-common';
import { isToolError } from '../tools/ToolError';
import type { Orchestrator, ToolObjectRef, WorkflowStatus } from '../types';
import { KubernetesObject, KubernetesResources } from './KubernetesResources';
import { ToolHttpClient } from './ToolHttpClient';

/** A Workflow, with the status fields the adapter reads. */
type WorkflowObject = KubernetesObject<
  Record<string, unknown>,
  {
    phase?: string;
    message?: string;
    startedAt?: string | null;
    finishedAt?: string | null;
    nodes?: Record<
      string,
      {
        displayName?: string;
        name: string;
        type?: string;
        templateName?: string;
        phase?: string;
        message?: string;
        startedAt?: string | null;
        finishedAt?: string | null;
        outputs?: { exitCode?: string };
      }
    >;
  }
>;

const API_VERSION = 'argoproj.io/v1alpha1';
const KIND = 'Workflow';
/** Holds the job id in full, since a name cannot. @public */
export const ARGO_JOB_ID_ANNOTATION = 'llmops.dev/job-id';

/**
 * Argo Workflows: through argo-server's REST API (`mode: 'server'`), or as
 * `argoproj.io/v1alpha1` Workflow objects through the Kubernetes API
 * (`mode: 'kubernetes'`). Only the three calls below differ by mode.
 *
 * @public
 */
export class ArgoAdapter implements Orchestrator {
  readonly tool = 'argo';
  readonly category = 'orchestration' as const;
  readonly #kube: KubernetesResources;

  constructor(
    private readonly http: ToolHttpClient,
    readonly namespace: string,
    readonly mode: 'server' | 'kubernetes' = 'server',
  ) {
    this.#kube = new KubernetesResources(http);
    if (mode === 'kubernetes') {
      this.watchWorkflows = (from, onChange, signal) =>
        this.#watchWorkflows(from, onChange, signal);
    }
  }

  async ping(signal: AbortSignal): Promise<void> {
    const path =
      this.mode === 'server' ? '/api/v1/version' : `/apis/${API_VERSION}`;
    await this.http.json(path, { signal });
  }

  /**
   * Creates the job's workflow; if it exists already, returns that one. Its
   * name is the converter's (`trainJobWorkflowName(jobId)`), so that what
   * `llmops convert --job-id` prints is what runs.
   */
  async submitWorkflow(
    input: { jobId: string; workflow: object },
    signal: AbortSignal,
  ): Promise<ToolObjectRef> {
    const source = input.workflow as Partial<KubernetesObject>;
    const { generateName: _ignored, ...metadata } = (source.metadata ??
      {}) as KubernetesObject['metadata'];
    const namespace = metadata.namespace ?? this.namespace;
    const workflow = {
      ...source,
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: {
        ...metadata,
        name: metadata.name ?? trainJobWorkflowName(input.jobId),
        namespace,
        annotations: {
          ...metadata.annotations,
          [ARGO_JOB_ID_ANNOTATION]: input.jobId,
        },
      },
    } as KubernetesObject;
    const ref = {
      id: workflow.metadata.name,
      namespace,
      url: this.#url(namespace, workflow.metadata.name),
      uiPath: workflowUiPath(namespace, workflow.metadata.name),
    };
    try {
      if (this.mode === 'server') {
        await this.http.json(
          `/api/v1/workflows/${encodeURIComponent(namespace)}`,
          {
            method: 'POST',
            signal,
            json: { namespace, workflow },
          },
        );
      } else {
        await this.#kube.create(workflow, namespace, signal);
      }
    } catch (error) {
      // 409: this job was submitted before, so its workflow is already there
      if (!(isToolError(error) && error.statusCode === 409)) throw error;
      const existing = await this.#get(ref, signal);
      if (
        existing.metadata.annotations?.[ARGO_JOB_ID_ANNOTATION] !== input.jobId
      )
        throw error;
    }
    return ref;
  }

  async getWorkflow(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<WorkflowStatus> {
    const { status = {} } = await this.#get(ref, signal);
    const nodes = Object.values(status.nodes ?? {});
    return {
      phase: status.phase || 'Pending',
      message: status.message,
      startedAt: status.startedAt ?? undefined,
      finishedAt: status.finishedAt ?? undefined,
      nodes: nodes.map(n => ({
        name: n.displayName ?? n.name,
        type: n.type,
        templateName: n.templateName,
        phase: n.phase ?? 'Pending',
        message: n.message || undefined,
        startedAt: n.startedAt ?? undefined,
        finishedAt: n.finishedAt ?? undefined,
        exitCode:
          n.outputs?.exitCode !== undefined
            ? Number(n.outputs.exitCode)
            : undefined,
      })),
    };
  }

  /** Stops the workflow: running steps get their exit handlers run. */
  async stopWorkflow(ref: ToolObjectRef, signal: AbortSignal): Promise<void> {
    const namespace = ref.namespace ?? this.namespace;
    if (this.mode === 'server') {
      await this.http.request(
        `/api/v1/workflows/${encodeURIComponent(
          namespace,
        )}/${encodeURIComponent(ref.id)}/stop`,
        { method: 'PUT', signal, json: { name: ref.id, namespace } },
      );
      return;
    }
    await this.#kube.mergePatch(
      { apiVersion: API_VERSION, kind: KIND, namespace, name: ref.id },
      { spec: { shutdown: 'Stop' } },
      signal,
    );
  }

  /**
   * Watches the namespace's Workflows through the Kubernetes API, with
   * bookmarks: only in `mode: 'kubernetes'` (argo-server's mode is followed
   * by the tracker's rounds).
   */
  readonly watchWorkflows?: Orchestrator['watchWorkflows'];

  #watchWorkflows(
    from: string | undefined,
    onChange: (jobId: string) => void,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    return this.#kube.watch<WorkflowObject>(
      { apiVersion: API_VERSION, kind: KIND, namespace: this.namespace },
      from,
      (_type, workflow) => {
        const jobId = workflow.metadata.annotations?.[ARGO_JOB_ID_ANNOTATION];
        if (jobId) onChange(jobId);
      },
      signal,
    );
  }

  #get(ref: ToolObjectRef, signal: AbortSignal): Promise<WorkflowObject> {
    const namespace = ref.namespace ?? this.namespace;
    return this.mode === 'server'
      ? this.http.json(
          `/api/v1/workflows/${encodeURIComponent(
            namespace,
          )}/${encodeURIComponent(ref.id)}`,
          { signal },
        )
      : this.#kube.get<WorkflowObject>(
          API_VERSION,
          KIND,
          namespace,
          ref.id,
          signal,
        );
  }

  #url(namespace: string, name: string): string | undefined {
    return this.mode === 'server'
      ? `${this.http.baseUrl}/${workflowUiPath(namespace, name)}`
      : undefined;
  }
}

/** A workflow's page in Argo's UI, relative to the UI's base URL. */
function workflowUiPath(namespace: string, name: string) {
  return `workflows/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}`;
}
