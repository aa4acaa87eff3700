import type { OutboxItem, SubjectRecord } from '../database/LlmOpsStore';
import type { ApiContext } from './context';

/** Statuses that delivery no longer changes. */
const SETTLED = ['cancelled', 'non_compliant', 'succeeded'];

/** What a record's status becomes once its queue items have settled. */
export function subjectStatus(
  record: SubjectRecord,
  items: OutboxItem[],
  deliveredStatus: string,
): { status: string; reason?: string; lastError?: string | null } {
  if (SETTLED.includes(record.status)) return { status: record.status };
  const failed = items.find(i => i.state === 'failed');
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

/** Records each delivered item's result as tool state, and updates the status. */
export async function settleSubject(
  ctx: ApiContext,
  record: SubjectRecord,
  deliveredStatus: string,
) {
  const items = await ctx.store.outboxFor(record.id);
  const toolState: Record<string, unknown> = {};
  for (const item of items) {
    if (item.state === 'delivered' && item.result) toolState[item.operation] = item.result;
  }
  const next = subjectStatus(record, items, deliveredStatus);
  await ctx.store.update(record.kind, record.id, {
    status: next.status,
    reason: next.reason,
    lastError: next.lastError,
    toolState,
  });
}

/** The API's view of a record: spec, status history, queue, links. */
export async function describeSubject(ctx: ApiContext, record: SubjectRecord) {
  const [history, items] = await Promise.all([
    ctx.store.history(record.id),
    ctx.store.outboxFor(record.id),
  ]);
  const links = Object.values(record.toolState)
    .map(state => (state as { url?: string }).url)
    .filter((url): url is string => typeof url === 'string');
  return {
    ...toView(record),
    history,
    deliveries: items.map(i => ({
      tool: i.tool,
      operation: i.operation,
      state: i.state,
      attempts: i.attempts,
      nextAttemptAt: i.state === 'pending' ? i.nextAttemptAt : undefined,
      lastError: i.lastError,
    })),
    links,
  };
}

/** A record as list endpoints return it. */
export function toView(record: SubjectRecord) {
  return {
    id: record.id,
    owner: record.owner,
    status: record.status,
    ...record.columns,
    spec: record.spec,
    toolState: record.toolState,
    nonCompliantRules: record.nonCompliantRules,
    lastError: record.lastError,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
