import type { SpecRule } from '../specs/specRules';

/**
 * A conversion that cannot be done. `path` names the field that caused it:
 * a spec field (such as `output.artifact_name`) when converting to a tool's
 * format, a manifest field (such as `spec.predictor.model.storageUri`) when
 * converting back. `rule` is set when a spec rule refused the spec (such as
 * `rollout.split_unsupported_in_raw_deployment`), so that a caller can
 * report it as that rule's validation error.
 *
 * @public
 */
export class ConversionError extends Error {
  readonly path: string;
  readonly rule?: SpecRule;
  readonly #all?: readonly ConversionError[];

  constructor(
    path: string,
    message: string,
    rule?: SpecRule,
    all?: readonly ConversionError[],
  ) {
    super(message);
    this.name = 'ConversionError';
    this.path = path;
    if (rule !== undefined) {
      this.rule = rule;
    }
    if (all && all.length > 1) {
      this.#all = all;
    }
  }

  /**
   * Every problem found: a manifest read back reports all its missing and
   * malformed fields at once, the first as this error's path and message.
   */
  get errors(): readonly ConversionError[] {
    return this.#all ?? [this];
  }
}
