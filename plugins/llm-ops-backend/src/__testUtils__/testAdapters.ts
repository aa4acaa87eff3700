import {
  MLFLOW_TAGS,
  trainJobWorkflowName,
} from '@llmops/plugin-llm-ops-common';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ExperimentTracker,
  RegisteredModel,
  llmOpsAdaptersExtensionPoint,
  Orchestrator,
  ModelVersionRef,
  RunEndStatus,
  ServingBackend,
  ServingStatus,
  ToolError,
  ToolObjectRef,
  TrafficChange,
  WorkflowStatus,
} from '@llmops/plugin-llm-ops-node';

/** How a test tool behaves: up, down (connection refused) or hanging. */
export type ToolMode = 'up' | 'down' | 'hang' | 'flaky';

function refused(tool: string): Error {
  const error = new TypeError('fetch failed');
  (error as { cause?: unknown }).cause = Object.assign(
    new Error(`connect ECONNREFUSED (${tool})`),
    {
      code: 'ECONNREFUSED',
    },
  );
  return error;
}

/** The failure behaviour all test tools share. */
class TestTool {
  mode: ToolMode = 'up';
  calls = 0;
  #flip = false;
  constructor(readonly tool: string) {}

  protected async gate(signal: AbortSignal): Promise<void> {
    this.calls += 1;
    if (this.mode === 'down') throw refused(this.tool);
    if (this.mode === 'flaky') {
      this.#flip = !this.#flip;
      if (this.#flip) throw refused(this.tool);
    }
    if (this.mode === 'hang') {
      await new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    }
  }

  async ping(signal: AbortSignal) {
    await this.gate(signal);
  }
}

/**
 * An orchestrator that keeps workflows in memory, one per job id, named as
 * the converter names them. A stopped workflow ends Failed as Argo's does.
 */
export class TestOrchestrator extends TestTool implements Orchestrator {
  readonly category = 'orchestration' as const;
  readonly workflows = new Map<
    string,
    { workflow: object; submissions: number; stopped: boolean }
  >();
  /** The state each workflow reports, by job id; a test sets it (default: Running). */
  readonly states = new Map<string, WorkflowStatus>();
  readonly #jobs = new Map<string, string>();

  async submitWorkflow(
    input: { jobId: string; workflow: object },
    signal: AbortSignal,
  ) {
    await this.gate(signal);
    const existing = this.workflows.get(input.jobId);
    if (existing) existing.submissions += 1;
    else
      this.workflows.set(input.jobId, {
        workflow: input.workflow,
        submissions: 1,
        stopped: false,
      });
    const name = trainJobWorkflowName(input.jobId);
    this.#jobs.set(name, input.jobId);
    return {
      id: name,
      namespace: 'ml',
      url: `http://argo.test/workflows/ml/${name}`,
    };
  }

  async getWorkflow(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<WorkflowStatus> {
    await this.gate(signal);
    const jobId = this.#jobs.get(ref.id);
    const workflow = jobId && this.workflows.get(jobId);
    if (!jobId || !workflow) {
      throw Object.assign(
        new NotFoundError(`argo: workflow ${ref.id} not found`),
        {
          statusCode: 404,
        },
      );
    }
    if (workflow.stopped) {
      return {
        phase: 'Failed',
        message: "Stopped with strategy 'Stop'",
        finishedAt: new Date().toISOString(),
      };
    }
    return (
      this.states.get(jobId) ?? {
        phase: 'Running',
        nodes: [{ name: ref.id, phase: 'Running' }],
      }
    );
  }

  async stopWorkflow(ref: ToolObjectRef, signal: AbortSignal) {
    await this.gate(signal);
    const workflow = this.workflows.get(this.#jobs.get(ref.id) ?? '');
    if (workflow) workflow.stopped = true;
  }
}

/** An experiment tracker that keeps runs in memory, one per job id. */
export class TestTracker extends TestTool implements ExperimentTracker {
  readonly category = 'experiment-tracking' as const;
  readonly runs = new Map<
    string,
    {
      params: Record<string, string>;
      tags: Record<string, string>;
      experimentName: string;
    }
  >();

  async createRun(
    input: Parameters<ExperimentTracker['createRun']>[0],
    signal: AbortSignal,
  ) {
    await this.gate(signal);
    if (!this.runs.has(input.jobId)) this.runs.set(input.jobId, input);
    return {
      id: `run-${input.jobId}`,
      experimentId: '1',
      url: `http://mlflow.test/#/experiments/1/runs/run-${input.jobId}`,
    };
  }

  async listExperiments(_page: object, signal: AbortSignal) {
    await this.gate(signal);
    const names = [
      ...new Set([...this.runs.values()].map(r => r.experimentName)),
    ];
    return { items: names.map((name, i) => ({ id: String(i + 1), name })) };
  }

  async searchRuns(query: { experimentIds: string[] }, signal: AbortSignal) {
    await this.gate(signal);
    return {
      items: [...this.runs.entries()].map(([jobId, run]) => ({
        id: `run-${jobId}`,
        experimentId: query.experimentIds[0],
        status: 'RUNNING',
        params: run.params,
        tags: run.tags,
        metrics: {},
      })),
    };
  }

  async getRun(runId: string, signal: AbortSignal) {
    const { items } = await this.searchRuns({ experimentIds: ['1'] }, signal);
    const run = items.find(r => r.id === runId);
    if (!run)
      throw new NotFoundError(`mlflow: RESOURCE_DOES_NOT_EXIST: run ${runId}`);
    return run;
  }

  async getMetricHistory(_runId: string, _key: string, signal: AbortSignal) {
    await this.gate(signal);
    return [
      { step: 1, value: 2.5, timestamp: 1 },
      { step: 2, value: 1.5, timestamp: 2 },
    ];
  }

  async listRegisteredModels(_page: object, signal: AbortSignal) {
    await this.gate(signal);
    return { items: [...this.models.values()] };
  }

  /** Registered models by name; a test adds them. */
  readonly models = new Map<string, RegisteredModel>();

  async getRegisteredModel(name: string, signal: AbortSignal) {
    await this.gate(signal);
    const model = this.models.get(name);
    if (!model)
      throw new NotFoundError(`mlflow: RESOURCE_DOES_NOT_EXIST: ${name}`);
    return structuredClone(model);
  }

  /** The runs whose `llmops.artifact_name` tag names the model. */
  async listModelRuns(name: string, _page: object, signal: AbortSignal) {
    const { items } = await this.searchRuns({ experimentIds: ['1'] }, signal);
    return {
      items: items.filter(run => run.tags[MLFLOW_TAGS.artifactName] === name),
    };
  }

  async setModelAlias(
    name: string,
    alias: string,
    version: string,
    signal: AbortSignal,
  ) {
    await this.gate(signal);
    const model = this.models.get(name);
    if (!model?.versions.some(v => v.version === version)) {
      throw new NotFoundError(
        `mlflow: RESOURCE_DOES_NOT_EXIST: ${name} version ${version}`,
      );
    }
    model.aliases[alias] = version;
    this.aliasSets.push({ name, alias, version });
  }

  /** A registered version's files, in a test bucket. */
  async getModelVersionUri(name: string, version: string, signal: AbortSignal) {
    await this.gate(signal);
    if (!this.models.get(name)?.versions.some(v => v.version === version)) {
      throw new NotFoundError(
        `mlflow: RESOURCE_DOES_NOT_EXIST: ${name} version ${version}`,
      );
    }
    return `s3://models.test/${name}/${version}/artifacts/model`;
  }

  /** How each run ended, by run id. */
  readonly endedRuns = new Map<string, string>();

  async endRun(runId: string, status: RunEndStatus, signal: AbortSignal) {
    await this.gate(signal);
    const ended = this.endedRuns.get(runId);
    if (ended) return { status: ended, ended: false };
    this.endedRuns.set(runId, status);
    return { status, ended: true };
  }

  /** The registered versions tagged with the job's id, or from its run. */
  async findJobModelVersions(
    job: { jobId: string; runId?: string },
    signal: AbortSignal,
  ): Promise<ModelVersionRef[]> {
    await this.gate(signal);
    return [...this.models.values()].flatMap(model =>
      model.versions
        .filter(
          v =>
            v.tags?.[MLFLOW_TAGS.jobId] === job.jobId ||
            (job.runId !== undefined && v.runId === job.runId),
        )
        .map(v => ({ name: model.name, version: v.version, runId: v.runId })),
    );
  }

  /** Every alias change that reached the tracker, in order. */
  readonly aliasSets: Array<{ name: string; alias: string; version: string }> =
    [];
}

/** A serving backend that keeps applied manifests and traffic in memory. */
export class TestServing extends TestTool implements ServingBackend {
  readonly category = 'serving' as const;
  readonly namespace = 'llm-serving';
  readonly cluster = 'test-cluster';
  readonly applied = new Map<string, object[][]>();
  readonly traffic = new Map<string, { old: number; new: number }>();
  /** The labels of each deployment's last apply. */
  readonly labels = new Map<string, Record<string, string> | undefined>();

  async applyDeployment(
    input: {
      deploymentId: string;
      manifests: object[];
      labels?: Record<string, string>;
    },
    signal: AbortSignal,
  ) {
    await this.gate(signal);
    this.labels.set(input.deploymentId, input.labels);
    this.applied.set(input.deploymentId, [
      ...(this.applied.get(input.deploymentId) ?? []),
      input.manifests,
    ]);
    const { metadata } = input.manifests[0] as { metadata: { name: string } };
    this.names.set(metadata.name, input.deploymentId);
    return { id: metadata.name, namespace: 'serving' };
  }

  /** Deployment ids by resource name. */
  readonly names = new Map<string, string>();

  /** Every traffic change set, in the order the tool took them. */
  readonly trafficLog: Array<{ id: string } & TrafficChange> = [];

  /** Stamps the revision and refuses an older one, as the Kubernetes adapter does. */
  async setTraffic(
    ref: ToolObjectRef,
    change: TrafficChange,
    signal: AbortSignal,
  ) {
    await this.gate(signal);
    const live = this.trafficLog.findLast(c => c.id === ref.id)?.revision;
    if (
      change.revision !== undefined &&
      live !== undefined &&
      live > change.revision
    ) {
      throw new ToolError(
        { tool: this.tool, reason: 'stale-revision' },
        `${this.tool}: ${ref.id} already runs revision ${live}`,
        { statusCode: 409 },
      );
    }
    this.trafficLog.push({ id: ref.id, ...change });
    this.traffic.set(ref.id, { old: change.old, new: change.new });
  }

  /** The state each resource reports, by name; a test sets it (default: Ready). */
  readonly states = new Map<string, ServingStatus>();

  /** The split last set, else the applied InferenceService's canary percent. */
  async getDeploymentStatus(
    ref: ToolObjectRef,
    signal: AbortSignal,
  ): Promise<ServingStatus> {
    await this.gate(signal);
    const state = this.states.get(ref.id);
    if (state) return state;
    const applied = this.applied.get(this.names.get(ref.id) ?? '') ?? [];
    const manifest = applied.at(-1)?.[0] as
      | { spec?: { predictor?: { canaryTrafficPercent?: number } } }
      | undefined;
    const canary = manifest?.spec?.predictor?.canaryTrafficPercent ?? 100;
    return {
      ready: true,
      url: `http://${ref.id}.serving.test`,
      trafficSplit: this.traffic.get(ref.id) ?? {
        old: 100 - canary,
        new: canary,
      },
      conditions: [{ type: 'Ready', status: 'True' }],
    };
  }
}

/** The test tools, registered through the `llm-ops.adapters` extension point. */
export function createTestTools() {
  const orchestrator = new TestOrchestrator('argo');
  const tracker = new TestTracker('mlflow');
  // the registered version the fine-tuned fixture Model serves (mlflow://models/support/3)
  tracker.models.set('support', {
    name: 'support',
    aliases: {},
    versions: ['1', '2', '3'].map(version => ({ version, status: 'READY' })),
  });
  const serving = new TestServing('kserve');
  const module = createBackendModule({
    pluginId: 'llm-ops',
    moduleId: 'test-tools',
    register(env) {
      env.registerInit({
        deps: { adapters: llmOpsAdaptersExtensionPoint },
        async init({ adapters }) {
          adapters.addAdapter(orchestrator, tracker, serving);
        },
      });
    },
  });
  return { orchestrator, tracker, serving, module };
}
