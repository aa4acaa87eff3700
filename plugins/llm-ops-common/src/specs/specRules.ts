/**
 * The rule codes of a DeploymentSpec's `model_version` checked against
 * MLflow's registry: the portal's API gives them, not `validateSpec`.
 *
 * @public
 */
export const REGISTRY_RULES = [
  'model_version.not_registered',
  'model_version.unknown',
] as const;

/**
 * Every rule code a spec validation error can carry. `schema` covers all
 * structural problems: a missing field, a wrong type, an unknown enum value,
 * an unknown field or a bound. The `REGISTRY_RULES` come from the portal's
 * API, which looks a `model_version` up in MLflow's registry.
 *
 * @public
 */
export const SPEC_RULES = [
  'schema',
  'model_family.not_allowed',
  'base_model_ref.required',
  'base_model_ref.forbidden',
  'base_model_ref.unresolved',
  'model_family.base_model_mismatch',
  'dataset_ref.type_mismatch',
  'method.not_allowed',
  'hyperparams.max_seq_len_exceeds_base_model',
  'serve_target.incompatible',
  'model_ref.unresolved',
  'model_family.mismatch',
  'job_type.mismatch',
  'runtime.max_input_tokens_exceeds_model',
  'resources.insufficient_gpu',
  'rollout.traffic_split_invalid',
  'serve_image.override_forbidden',
  'resources.gpu_type_unknown',
  'rollout.split_unsupported_in_raw_deployment',
  'rollout.split_unsupported_by_rayservice',
  'rollout.recreate_unsupported',
  'serving.not_configured',
  'output.artifact_name_invalid',
  'resources.nodes_exceeds_limit',
  'resources.gpus_exceeds_limit',
  'hyperparams.num_epochs_exceeds_limit',
  'string.length_exceeds_limit',
  ...REGISTRY_RULES,
] as const;

/** A rule code of a spec validation error. @public */
export type SpecRule = (typeof SPEC_RULES)[number];
