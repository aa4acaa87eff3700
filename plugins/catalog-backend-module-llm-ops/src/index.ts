/**
 * The LLM Ops entity kinds, their processor and entity providers.
 *
 * @packageDocumentation
 */

export { catalogModuleLlmOpsEntityModel as default } from './module';
export { LlmOpsEntitiesProcessor } from './processor/LlmOpsEntitiesProcessor';
export * from './providers';
