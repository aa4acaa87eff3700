import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { HistoryStore } from './HistoryStore';
import { OutboxStore } from './OutboxStore';
import { ReadCache } from './ReadCache';
import type { DeploymentRecord, SubjectRecord, TrainingJobRecord } from './records';
import { deploymentsTable, SubjectTable, trainingJobsTable } from './SubjectTable';
import type { DeploymentRow, TrainingJobRow } from './tables';

/**
 * The plugin's database, migrated, and its stores: the records (jobs and
 * deployments, each table typed by its kind, with idempotency), their
 * status history, the delivery queue and the cached tool reads.
 */
export interface LlmOpsDatabase {
  trainingJobs: SubjectTable<TrainingJobRecord, TrainingJobRow>;
  deployments: SubjectTable<DeploymentRecord, DeploymentRow>;
  /** A record of either kind by id. */
  findSubject(id: string): Promise<SubjectRecord | undefined>;
  history: HistoryStore;
  outbox: OutboxStore;
  cache: ReadCache;
}

export async function createLlmOpsDatabase(
  database: DatabaseService,
): Promise<LlmOpsDatabase> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({
      directory: resolvePackagePath('@llmops/plugin-llm-ops-backend', 'migrations'),
    });
  }
  return storesOf(knex);
}

/** The stores over a migrated database. */
export function storesOf(knex: Knex): LlmOpsDatabase {
  const trainingJobs = trainingJobsTable(knex);
  const deployments = deploymentsTable(knex);
  return {
    trainingJobs,
    deployments,
    findSubject: async id =>
      (await trainingJobs.get(id)) ?? (await deployments.get(id)),
    history: new HistoryStore(knex),
    outbox: new OutboxStore(knex),
    cache: new ReadCache(knex),
  };
}
