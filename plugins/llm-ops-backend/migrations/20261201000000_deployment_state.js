// @ts-check

/**
 * A deployment's state in its own columns: `backend`, `namespace` and
 * `revision`, which the `spec` column used to wrap around the
 * DeploymentSpec (`{name, environment, backend, namespace, revision,
 * spec}`). After this, `spec` holds the DeploymentSpec itself, as it does
 * for a training job. The cached tool reads are dropped: their keys are
 * hashed from now on.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', t => {
    t.string('backend', 16).notNullable().defaultTo('kserve');
    t.string('namespace', 63).nullable();
    t.integer('revision').notNullable().defaultTo(1);
  });
  const rows = await knex('deployments').select('id', 'spec');
  for (const row of rows) {
    const state = JSON.parse(row.spec);
    if (!state || typeof state.spec !== 'object') continue;
    await knex('deployments')
      .where('id', row.id)
      .update({
        backend: state.backend ?? 'kserve',
        namespace: state.namespace ?? null,
        revision: state.revision ?? 1,
        spec: JSON.stringify(state.spec),
      });
  }
  await knex('read_cache').delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const rows = await knex('deployments').select(
    'id',
    'spec',
    'name',
    'environment',
    'backend',
    'namespace',
    'revision',
  );
  for (const row of rows) {
    const state = {
      name: row.name,
      environment: row.environment,
      backend: row.backend,
      namespace: row.namespace ?? undefined,
      revision: row.revision,
      spec: JSON.parse(row.spec),
    };
    await knex('deployments')
      .where('id', row.id)
      .update({ spec: JSON.stringify(state) });
  }
  await knex.schema.alterTable('deployments', t => {
    t.dropColumn('backend');
    t.dropColumn('namespace');
    t.dropColumn('revision');
  });
};
