import type { ToolCategory } from '@llmops/plugin-llm-ops-common';
import {
  ENVIRONMENT_LABEL,
  REVISION_LABEL,
  type AdapterOf,
  type LlmOpsTools,
} from '@llmops/plugin-llm-ops-node';
import type {
  DeploymentRevision,
  OperationName,
  Operations,
  OutboxItemOf,
  ResultOf,
} from './operations';

/** Delivers one queued operation to its tool; returns what the tool made. */
export type DeliveryHandler<K extends OperationName> = (
  item: OutboxItemOf<K>,
) => Promise<ResultOf<K>>;

/** A handler for every operation, keyed by its name. */
export type DeliveryHandlers = { [K in OperationName]: DeliveryHandler<K> };

/**
 * Converts a deployment revision to the manifests its serving tool applies
 * (looking up the model's files in its own tool, through that tool's breaker).
 */
export type DeploymentConverter = (
  deployment: DeploymentRevision,
) => Promise<object[]>;

/** Each queued operation, and the adapter call that delivers it. */
export function createDeliveryHandlers(
  tools: LlmOpsTools,
  convertDeployment: DeploymentConverter,
): DeliveryHandlers {
  /** A handler that calls the item's tool, of a category, through its breaker. */
  const on =
    <K extends OperationName, C extends ToolCategory>(
      category: C,
      run: (
        adapter: AdapterOf<C>,
        item: OutboxItemOf<K>,
        signal: AbortSignal,
      ) => Promise<Operations[K]['result'] | void>,
    ): DeliveryHandler<K> =>
    async item => {
      const adapter = tools.require(category, item.tool);
      const result = await tools.call(adapter, (a, signal) =>
        run(a, item, signal),
      );
      return {
        ...(result || ({} as Operations[K]['result'])),
        deliveredAt: new Date().toISOString(),
      };
    };

  return {
    'submit-workflow': on('orchestration', (a, item, signal) =>
      a.submitWorkflow(
        { jobId: item.subjectId, workflow: item.payload.workflow },
        signal,
      ),
    ),
    'stop-workflow': on('orchestration', (a, item, signal) =>
      a.stopWorkflow(
        { id: item.payload.id, namespace: item.payload.namespace },
        signal,
      ),
    ),
    'create-run': on('experiment-tracking', (a, item, signal) =>
      a.createRun({ jobId: item.subjectId, ...item.payload }, signal),
    ),
    'set-model-alias': on('experiment-tracking', (a, item, signal) =>
      a.setModelAlias(
        item.payload.name,
        item.payload.alias,
        item.payload.version,
        signal,
      ),
    ),
    'apply-deployment': async item => {
      // before the serving tool's call, so that its breaker counts only its own failures
      const manifests = await convertDeployment(item.payload.deployment);
      const { environment, revision } = item.payload.deployment;
      return on<'apply-deployment', 'serving'>('serving', (a, _item, signal) =>
        a.applyDeployment(
          {
            deploymentId: item.subjectId,
            manifests,
            labels: {
              [ENVIRONMENT_LABEL]: environment,
              [REVISION_LABEL]: String(revision),
            },
          },
          signal,
        ),
      )(item);
    },
    'set-traffic': on('serving', (a, item, signal) =>
      a.setTraffic(
        { id: item.payload.name, namespace: item.payload.namespace },
        { ...item.payload.split, revision: item.payload.revision },
        signal,
      ),
    ),
  };
}
