/**
 * Scaffolder actions that validate and submit LLM Ops training jobs and
 * deployments.
 *
 * @packageDocumentation
 */

export { scaffolderModuleLlmOps as default } from './module';
export * from './actions';
