// @ts-check

/**
 * A deployment's name as a column, so that a Deployment entity's page can
 * find its record (`GET /v1/deployments?name=`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', t => {
    t.string('name', 64).notNullable().defaultTo('');
    t.index(['name']);
  });
  const rows = await knex('deployments').select('id', 'spec');
  for (const row of rows) {
    const { name } = JSON.parse(row.spec);
    if (typeof name === 'string') {
      await knex('deployments').where('id', row.id).update({ name });
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', t => {
    t.dropIndex(['name']);
    t.dropColumn('name');
  });
};
