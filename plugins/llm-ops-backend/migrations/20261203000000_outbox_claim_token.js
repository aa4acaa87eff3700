// @ts-check

/**
 * A claim token on each outbox item: set when a delivery claims the item,
 * and required to settle it, so that a late result from a delivery whose
 * lease expired (the item since claimed again, dropped or superseded) is
 * refused rather than recorded.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('outbox', t => {
    t.string('claim_token', 64).nullable();
    t.index(['subject_id', 'state', 'seq'], 'outbox_subject_state_seq');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('outbox', t => {
    t.dropIndex(['subject_id', 'state', 'seq'], 'outbox_subject_state_seq');
    t.dropColumn('claim_token');
  });
};
