/**
 * The LLM Ops frontend plugin: entity pages and LLM Ops views.
 *
 * @packageDocumentation
 */

export {
  llmOpsPlugin,
  LlmOpsIntegrationsPage,
  EntityModelOverviewCard,
  LlmOpsSpecFieldExtension,
} from './plugin';
export { llmOpsApiRef, LlmOpsClient } from './api/LlmOpsApi';
export type { LlmOpsApi } from './api/LlmOpsApi';
export * from './scaffolder';
