/**
 * The `llmops` command line: validate and convert TrainJobSpec and
 * DeploymentSpec documents.
 *
 * @packageDocumentation
 */

export { run } from './run';
export type { RunIO } from './run';
