/**
 * A conversion that cannot be done. `path` names the field that caused it:
 * a spec field (such as `output.artifact_name`) when converting to a tool's
 * format, a manifest field (such as `spec.predictor.model.storageUri`) when
 * converting back.
 *
 * @public
 */
export class ConversionError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.name = 'ConversionError';
    this.path = path;
  }
}
