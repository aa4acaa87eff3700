import { createHash, randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { AliasChange } from '@llmops/plugin-llm-ops-common';
import { describeError, isToolError } from '@llmops/plugin-llm-ops-node';
import { queueItem } from '../queue/operations';
import { ApiContext, ensureQueueCapacity } from './context';
import { authorizeModelAlias } from './modelAliasPermissions';

/** The queue subject of one alias: a newer change supersedes one still waiting. */
const aliasSubject = (name: string, alias: string) =>
  `alias:${createHash('sha1').update(`${name}\n${alias}`).digest('hex')}`;

/**
 * Moves a registered model's alias (such as `champion`) to a version. When
 * the tracker is down, the change waits in the durable retry queue, and a
 * newer change to the same alias supersedes it.
 */
export class ModelAliases {
  constructor(private readonly ctx: ApiContext) {}

  async set(
    change: { name: string; alias: string; version: string },
    credentials: BackstageCredentials,
  ): Promise<AliasChange> {
    await authorizeModelAlias(this.ctx, credentials, change);
    const tracker = this.ctx.tools.require('experiment-tracking');
    const subjectId = aliasSubject(change.name, change.alias);
    // An older queued change must never land after this one.
    await this.ctx.db.outbox.dropPending(
      subjectId,
      'superseded by a newer alias change',
    );
    try {
      await this.ctx.tools.call(tracker, (a, signal) =>
        a.setModelAlias(change.name, change.alias, change.version, signal),
      );
    } catch (error) {
      if (!(isToolError(error) && error.transient)) throw error;
      // The tool is down: the change waits in the durable retry queue.
      await ensureQueueCapacity(this.ctx);
      await this.ctx.db.outbox.replacePending(
        subjectId,
        [
          queueItem('set-model-alias', {
            tool: tracker.tool,
            dedupeKey: `${subjectId}:${randomUUID()}`,
            payload: change,
          }),
        ],
        'superseded by a newer alias change',
      );
      this.ctx.logger.info(
        `Alias ${change.alias} of ${change.name} → ${
          change.version
        } queued: ${describeError(error)}`,
      );
      return { ...change, status: 'queued', reason: error.message };
    }
    this.ctx.logger.info(
      `Alias ${change.alias} of ${change.name} now points at version ${change.version}`,
    );
    return { ...change, status: 'applied' };
  }
}
