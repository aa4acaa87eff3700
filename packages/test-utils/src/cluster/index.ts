/**
 * A real small Kubernetes cluster for tests (`startCluster`): etcd, the
 * v1.34 control plane, kwok's fake GPU nodes and, on request, Argo
 * Workflows, KServe and KubeRay, all built by `scripts/peers/cluster.sh`.
 */
export {
  startCluster,
  httpsAnswers,
  SERVICE_CLUSTER_IP_RANGE,
} from './cluster';
export type { Cluster, ClusterOptions } from './cluster';
export {
  GPU_NODES,
  GPU_TAINT,
  GPU_TOLERATION,
  KWOK_NODE_ANNOTATION,
  gfdFamily,
  gfdProductName,
  nodeObject,
} from './gpuNodes';
export type { GpuNodeModel } from './gpuNodes';
export { condition, kubeClient } from './kube';
export type { KubeClient, KubeObject, KubeResponse } from './kube';
export {
  POD_EXIT_CODE_ANNOTATION,
  POD_EXIT_CONTAINER_ANNOTATION,
  POD_READY_ANNOTATION,
} from './kwokStages';
export type { PodDriver } from './kwokStages';
export {
  ArgoExecutorStandIn,
  defaultDecision,
  STAND_IN_EXIT_CODE_ANNOTATION,
  STAND_IN_HOLD_ANNOTATION,
} from './argo';
export type {
  ArgoOptions,
  ArgoPeer,
  ExecutorDecision,
  ExecutorOutcome,
} from './argo';
export type { KserveOptions, KservePeer } from './kserve';
export type { KuberayOptions, KuberayPeer } from './kuberay';
export {
  clusterBin,
  clusterBuild,
  moduleDir,
  moduleManifests,
} from './manifests';
