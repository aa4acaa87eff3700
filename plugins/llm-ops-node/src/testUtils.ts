/**
 * Test utilities for the LLM Ops packages' tests: the real tools (MLflow,
 * a CRD-serving Kubernetes API over etcd, DVC and Python clients from the
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
  startPeer,
  tempDir,
  venvBin,
} from './adapters/__testUtils__/peers';
export type { Peer } from './adapters/__testUtils__/peers';
export { startKubeApiserver } from './adapters/__testUtils__/kubeApiserver';
export type { KubeApiserver } from './adapters/__testUtils__/kubeApiserver';
export { startMlflow } from './adapters/__testUtils__/mlflow';
export { startOlah } from './adapters/__testUtils__/olah';
export type { OlahPeer } from './adapters/__testUtils__/olah';
export type { MlflowPeer } from './adapters/__testUtils__/mlflow';
