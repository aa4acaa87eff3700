import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  ExperimentTracker,
  llmOpsAdaptersExtensionPoint,
  Orchestrator,
  ServingBackend,
} from '@llmops/plugin-llm-ops-node';

/** An in-memory Argo: records the workflows it is given. */
class TestOrchestrator implements Orchestrator {
  readonly tool = 'argo';
  readonly category = 'orchestration' as const;
  readonly workflows = new Map<string, object>();
  async ping() {}
  async submitWorkflow(input: { jobId: string; workflow: object }) {
    this.workflows.set(input.jobId, input.workflow);
    return {
      id: `llmops-${input.jobId}`,
      namespace: 'ml',
      url: `http://argo.test/workflows/ml/llmops-${input.jobId}`,
    };
  }
  async getWorkflow() {
    return { phase: 'Running', nodes: [] };
  }
  async stopWorkflow() {}
}

/** An in-memory MLflow: records the runs it is asked to create. */
class TestTracker implements ExperimentTracker {
  readonly tool = 'mlflow';
  readonly category = 'experiment-tracking' as const;
  readonly runs = new Map<string, object>();
  async ping() {}
  async createRun(input: { jobId: string }) {
    this.runs.set(input.jobId, input);
    return {
      id: `run-${input.jobId}`,
      experimentId: '1',
      url: `http://mlflow.test/#/experiments/1/runs/run-${input.jobId}`,
    };
  }
  async listExperiments() {
    return { items: [] };
  }
  async searchRuns() {
    return { items: [] };
  }
  async getRun(runId: string) {
    return {
      id: runId,
      experimentId: '1',
      status: 'RUNNING',
      params: {},
      tags: {},
      metrics: {},
    };
  }
  async getMetricHistory() {
    return [];
  }
  async listRegisteredModels() {
    return { items: [] };
  }
  async getRegisteredModel(name: string) {
    return { name, aliases: {}, versions: [] };
  }
  async listModelRuns() {
    return { items: [] };
  }
  async setModelAlias() {}
  async getModelVersionUri(name: string, version: string) {
    return `s3://models.test/${name}/${version}/artifacts/model`;
  }
  async endRun(_runId: string, status: string) {
    return { status, ended: true };
  }
  async findJobModelVersions() {
    return [];
  }
}

/** An in-memory KServe: records manifests and traffic splits. */
class TestServing implements ServingBackend {
  readonly tool = 'kserve';
  readonly category = 'serving' as const;
  readonly traffic = new Map<string, { old: number; new: number }>();
  async ping() {}
  async applyDeployment(input: { deploymentId: string }) {
    return { id: input.deploymentId, namespace: 'serving' };
  }
  async setTraffic(ref: { id: string }, split: { old: number; new: number }) {
    this.traffic.set(ref.id, split);
  }
  async getDeploymentStatus() {
    return { ready: true, conditions: [] };
  }
}

/** Test tools, registered through the `llm-ops.adapters` extension point. */
export function createTestTools() {
  const orchestrator = new TestOrchestrator();
  const tracker = new TestTracker();
  const serving = new TestServing();
  const module = createBackendModule({
    pluginId: 'llm-ops',
    moduleId: 'scaffolder-test-tools',
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
