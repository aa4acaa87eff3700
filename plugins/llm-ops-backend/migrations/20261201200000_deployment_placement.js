// @ts-check

/**
 * Where a deployment's objects live: its `cluster`, beside the `backend`,
 * `namespace` and `name` it already has, and a unique index over the four,
 * so that no two records ever drive one InferenceService or RayService.
 * Records from before have no cluster (their placement was not checked);
 * NULLs never collide in a unique index, so they are left as they are.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', t => {
    t.string('cluster', 253).nullable();
    t.unique(['backend', 'cluster', 'namespace', 'name'], {
      indexName: 'deployments_placement_unique',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', t => {
    t.dropUnique(
      ['backend', 'cluster', 'namespace', 'name'],
      'deployments_placement_unique',
    );
    t.dropColumn('cluster');
  });
};
