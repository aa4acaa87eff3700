import type { TrainingJob } from '@llmops/plugin-llm-ops-common';

/** Items grouped by a key, groups in first-seen order sorted by key. */
export function groupBy<T>(items: T[], key: (item: T) => string) {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => key(a).localeCompare(key(b)))) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** A job is known by the model it makes; by its id when it names none. */
export function jobTitle(job: TrainingJob): string {
  return job.spec.output?.artifact_name ?? job.id;
}
