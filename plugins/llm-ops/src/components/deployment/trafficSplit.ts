import type { DeploymentView } from '@llmops/plugin-llm-ops-common';

/** The share of traffic, in percent, of the old and new revisions. */
export interface TrafficSplit {
  old: number;
  new: number;
}

/** What a deployment record's `spec` holds (see the backend's `DeploymentState`). */
export interface DeploymentRecordSpec {
  name?: string;
  environment?: string;
  backend?: 'kserve' | 'rayserve';
  namespace?: string;
  revision?: number;
  spec?: { rollout?: { strategy?: string; traffic_split?: TrafficSplit } };
}

/** The split a deployment record asks for. */
export function recordSplit(view: DeploymentView): TrafficSplit | undefined {
  return (view.spec as DeploymentRecordSpec).spec?.rollout?.traffic_split;
}

/** `old 90% / new 10%`. */
export function formatSplit(split: TrafficSplit): string {
  return `old ${split.old}% / new ${split.new}%`;
}

export function sameSplit(a?: TrafficSplit, b?: TrafficSplit): boolean {
  return !!a && !!b && a.old === b.old && a.new === b.new;
}
