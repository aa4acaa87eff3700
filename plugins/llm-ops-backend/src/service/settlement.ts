import type { OutboxItem } from '../queue/operations';
import type { SubjectRecord } from '../database/records';
import type { ApiContext } from './context';

/**
 * The table of a record, to change its common fields (status, tool state,
 * compliance) whatever its kind.
 */
export function tableOf(ctx: ApiContext, record: SubjectRecord) {
  return record.kind === 'training_jobs'
    ? ctx.db.trainingJobs
    : ctx.db.deployments;
}

/**
 * Statuses that delivery no longer changes: ended, or followed by the
 * lifecycle tracker from the tool's own state.
 */
const SETTLED = [
  'cancelled',
  'non_compliant',
  'succeeded',
  'running',
  'cancelling',
  'progressing',
  'ready',
  'degraded',
];

/** What a record's status becomes once its queue items have settled. */
export function subjectStatus(
  record: Pick<SubjectRecord, 'status'>,
  items: OutboxItem[],
  deliveredStatus: string,
): { status: string; reason?: string; lastError?: string | null } {
  if (SETTLED.includes(record.status)) return { status: record.status };
  const failed = items.find(i => i.state === 'failed');
  // failed by its tool (the tracker), not by a delivery
  if (record.status === 'failed' && !failed) return { status: record.status };
  if (failed) {
    return {
      status: 'failed',
      reason: `${failed.operation} to ${failed.tool} failed`,
      lastError: `${failed.tool}: ${failed.lastError}`,
    };
  }
  if (items.some(i => i.state === 'pending')) {
    const waiting = items.find(i => i.state === 'pending' && i.lastError);
    return {
      status: 'queued',
      reason: waiting ? `waiting for ${waiting.tool}` : undefined,
      lastError: waiting ? `${waiting.tool}: ${waiting.lastError}` : undefined,
    };
  }
  return { status: deliveredStatus, lastError: null };
}

/**
 * After a subject's queue items settle: records each delivered item's
 * result as the record's tool state, and moves its status.
 */
export async function settleSubject(ctx: ApiContext, id: string) {
  const record = await ctx.db.findSubject(id);
  if (!record) return;
  const items = await ctx.db.outbox.forSubject(id);
  const toolState: Record<string, object> = {};
  for (const item of items) {
    if (item.state === 'delivered' && item.result)
      toolState[item.operation] = item.result;
  }
  const next = subjectStatus(
    record,
    items,
    record.kind === 'training_jobs' ? 'submitted' : 'applying',
  );
  await tableOf(ctx, record).update(id, {
    status: next.status,
    reason: next.reason,
    lastError: next.lastError,
    toolState,
  });
}
