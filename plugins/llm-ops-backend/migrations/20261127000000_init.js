// @ts-check

/**
 * Training jobs, deployments, their status history, the durable delivery
 * queue (outbox) and the last-known tool reads.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of ['training_jobs', 'deployments']) {
    await knex.schema.createTable(table, t => {
      t.string('id', 64).primary();
      t.string('owner', 255).notNullable();
      t.string('status', 32).notNullable();
      t.text('spec').notNullable();
      // The owner's Idempotency-Key and the hash of the body sent with it.
      t.string('idempotency_key', 255).nullable();
      t.string('request_hash', 64).nullable();
      t.text('tool_state').notNullable().defaultTo('{}');
      t.text('non_compliant_rules').nullable();
      t.text('last_error').nullable();
      t.timestamp('created_at', { useTz: true }).notNullable();
      t.timestamp('updated_at', { useTz: true }).notNullable();
      t.unique(['owner', 'idempotency_key']);
      t.index(['status']);
      t.index(['created_at', 'id']);
    });
  }
  await knex.schema.alterTable('training_jobs', t => {
    t.string('job_type', 32).notNullable().defaultTo('');
    t.string('model_family', 64).notNullable().defaultTo('');
  });
  await knex.schema.alterTable('deployments', t => {
    t.string('environment', 16).notNullable().defaultTo('dev');
    t.string('model_ref', 255).notNullable().defaultTo('');
  });

  await knex.schema.createTable('status_history', t => {
    t.bigIncrements('seq').primary();
    t.string('subject_id', 64).notNullable();
    t.string('status', 32).notNullable();
    t.text('reason').nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['subject_id', 'seq']);
  });

  // One row per (subject, tool, operation): the unique key is what makes
  // delivery exactly-once from the queue's side.
  await knex.schema.createTable('outbox', t => {
    t.bigIncrements('seq').primary();
    t.string('subject_id', 64).notNullable();
    t.string('tool', 64).notNullable();
    t.string('operation', 64).notNullable();
    t.string('dedupe_key', 255).notNullable().unique();
    t.text('payload').notNullable();
    t.string('state', 16).notNullable(); // pending | delivered | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.timestamp('locked_until', { useTz: true }).nullable();
    t.text('last_error').nullable();
    t.text('result').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['state', 'next_attempt_at']);
    t.index(['subject_id']);
  });

  await knex.schema.createTable('read_cache', t => {
    t.string('cache_key', 512).primary();
    t.text('data').notNullable();
    t.timestamp('fetched_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'read_cache',
    'outbox',
    'status_history',
    'deployments',
    'training_jobs',
  ]) {
    await knex.schema.dropTable(table);
  }
};
