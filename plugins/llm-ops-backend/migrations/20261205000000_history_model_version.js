// @ts-check

/**
 * The registry version a deployment revision serves (its spec's pinned
 * `model_version`), so the history names old and new as model versions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('status_history', t => {
    t.string('model_version', 64).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('status_history', t => {
    t.dropColumn('model_version');
  });
};
