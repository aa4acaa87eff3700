/**
 * Test utilities for the LLM Ops packages' tests: the real tools (MLflow,
 * a Kubernetes API over etcd, DVC and Python clients from the
 * test virtualenv) started on loopback. `make test` sets `LLMOPS_PEERS=1`.
 *
 * @packageDocumentation
 */

/* eslint-disable no-restricted-imports */
export {
  answers,
  describePeer,
  fixturesDir,
  freePort,
  onFreePort,
  peersEnabled,
  python,
  repoRoot,
  sh,
  startPeer,
  tempDir,
  venvBin,
} from './peers';
export type { Peer } from './peers';
export { startMlflow } from './mlflow';
export { startOlah } from './olah';
export * from './cluster';
export type { OlahPeer } from './olah';
export type { MlflowPeer } from './mlflow';
