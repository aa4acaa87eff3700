import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { LlmOpsAdapter } from './types';

/**
 * Lets backend modules register tool adapters (say W&B, Kubeflow or Vertex)
 * without forking the plugin. An adapter registered for a tool id replaces
 * the built-in adapter of that id.
 *
 * @public
 */
export interface LlmOpsAdaptersExtensionPoint {
  addAdapter(...adapters: LlmOpsAdapter[]): void;
}

/** @public */
export const llmOpsAdaptersExtensionPoint =
  createExtensionPoint<LlmOpsAdaptersExtensionPoint>({
    id: 'llm-ops.adapters',
  });
