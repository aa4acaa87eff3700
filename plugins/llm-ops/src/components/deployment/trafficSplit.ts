import type { Deployment, TrafficSplit } from '@llmops/plugin-llm-ops-common';

export type { TrafficSplit };

/** The split a deployment's DeploymentSpec asks for. */
export function recordSplit(deployment: Deployment): TrafficSplit | undefined {
  const split = deployment.spec.rollout?.traffic_split;
  return typeof split?.old === 'number' && typeof split?.new === 'number'
    ? { old: split.old, new: split.new }
    : undefined;
}

/** `old 90% / new 10%`. */
export function formatSplit(split: TrafficSplit): string {
  return `old ${split.old}% / new ${split.new}%`;
}

export function sameSplit(a?: TrafficSplit, b?: TrafficSplit): boolean {
  return !!a && !!b && a.old === b.old && a.new === b.new;
}
