// @ts-check

/**
 * An index on when each cached tool read was fetched, by which the read
 * cache drops the expired and the oldest answers.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('read_cache', t => {
    t.index(['fetched_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('read_cache', t => {
    t.dropIndex(['fetched_at']);
  });
};
