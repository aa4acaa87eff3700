// @ts-check

/**
 * Who made each change, and for a deployment the revision it made and the
 * model that revision serves: the revision history the entity pages show
 * (each change is also an auditor event).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('status_history', t => {
    t.string('actor', 255).nullable();
    t.integer('revision').nullable();
    t.string('model_ref', 255).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('status_history', t => {
    t.dropColumn('model_ref');
    t.dropColumn('revision');
    t.dropColumn('actor');
  });
};
