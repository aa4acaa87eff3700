export { DeploymentRolloutCard } from './DeploymentRolloutCard';
export type { DeploymentRolloutCardProps } from './DeploymentRolloutCard';
export { DeploymentRuntimeCard } from './DeploymentRuntimeCard';
export { DeploymentConditionsCard } from './DeploymentConditionsCard';
export { TrafficSplitBar } from './TrafficSplitBar';
export { formatSplit } from './trafficSplit';
export type { TrafficSplit } from './trafficSplit';
