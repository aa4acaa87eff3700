import type {
  ExperimentTracker,
  LlmOpsAdapter,
  Orchestrator,
  ServingBackend,
} from '@llmops/plugin-llm-ops-node';
import type { OutboxItem } from '../database/LlmOpsStore';
import { ToolUnavailableError } from '../tools/CircuitBreaker';
import type { ToolGateway } from '../tools/ToolGateway';
import type { DeliveryHandler } from './DeliveryQueue';

type Payload = Record<string, any>;

/** Each queued operation, and the adapter call that delivers it. */
export function createDeliveryHandlers(gateway: ToolGateway): Record<string, DeliveryHandler> {
  const via =
    <A extends LlmOpsAdapter>(
      run: (adapter: A, item: OutboxItem, payload: Payload, signal: AbortSignal) => Promise<object | void>,
    ): DeliveryHandler =>
    async item => {
      const adapter = gateway.byTool(item.tool) as A | undefined;
      if (!adapter) throw new ToolUnavailableError(item.tool, 'not enabled');
      const result = await gateway.call(adapter, (a, signal) =>
        run(a, item, item.payload as Payload, signal),
      );
      return { ...(result ?? {}), deliveredAt: new Date().toISOString() };
    };

  return {
    'submit-workflow': via<Orchestrator>((a, item, p, signal) =>
      a.submitWorkflow({ jobId: item.subjectId, workflow: p.workflow }, signal),
    ),
    'stop-workflow': via<Orchestrator>((a, _item, p, signal) =>
      a.stopWorkflow({ id: p.id, namespace: p.namespace }, signal),
    ),
    'create-run': via<ExperimentTracker>((a, item, p, signal) =>
      a.createRun(
        {
          jobId: item.subjectId,
          experimentName: p.experimentName,
          runName: p.runName,
          params: p.params,
          tags: p.tags,
        },
        signal,
      ),
    ),
    'set-model-alias': via<ExperimentTracker>((a, _item, p, signal) =>
      a.setModelAlias(p.name, p.alias, p.version, signal),
    ),
    'apply-deployment': via<ServingBackend>((a, item, p, signal) =>
      a.applyDeployment({ deploymentId: item.subjectId, manifests: p.manifests }, signal),
    ),
    'set-traffic': via<ServingBackend>((a, _item, p, signal) =>
      a.setTraffic({ id: p.name, namespace: p.namespace }, p.split, signal),
    ),
  };
}
