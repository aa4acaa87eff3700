/**
 * Versions and aliases of an MLflow registered model, as a DeploymentSpec's
 * `model_version` names them (`3` or `@champion`) and as `mlflow://` model
 * sources hold them.
 */

/** The API's rule for an alias name (the alias route's path parameter). @public */
export const MODEL_ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** That rule in words, for error messages. @public */
export const MODEL_ALIAS_RULE =
  'an alias starts with a letter and has up to 64 letters, digits, _ or -';

/** Why an alias name is refused, or undefined when it is a valid one. @public */
export function aliasProblem(alias: string): string | undefined {
  if (!alias) return 'Name the alias, such as champion';
  return MODEL_ALIAS_PATTERN.test(alias)
    ? undefined
    : `"${alias}" is not a valid alias: ${MODEL_ALIAS_RULE}`;
}

/** A registry version by number, or by an alias that points at one. @public */
export type RegistryVersionRef = { version: string } | { alias: string };

/** `3` or `@champion` as a ref; undefined when it is neither. @public */
export function parseModelVersion(value: string): RegistryVersionRef | undefined {
  if (/^[1-9][0-9]{0,9}$/.test(value)) return { version: value };
  if (value.startsWith('@') && MODEL_ALIAS_PATTERN.test(value.slice(1))) {
    return { alias: value.slice(1) };
  }
  return undefined;
}

/** The `model_version` text of a ref. @public */
export function formatModelVersion(ref: RegistryVersionRef): string {
  return 'version' in ref ? ref.version : `@${ref.alias}`;
}

/** `mlflow://models/<name>/<version or @alias>`. @public */
export function mlflowModelSource(name: string, ref: RegistryVersionRef): string {
  return `mlflow://models/${encodeURIComponent(name)}/${formatModelVersion(
    ref,
  )}`;
}

/** The registered model and version (or alias) of an `mlflow://models/` source. @public */
export function parseMlflowModelSource(
  source: string,
): ({ name: string } & RegistryVersionRef) | undefined {
  const match = /^mlflow:\/\/models\/([^/]+)\/([^/]+)$/.exec(source);
  const ref = match ? parseModelVersion(match[2]) : undefined;
  return match && ref
    ? { name: decodeURIComponent(match[1]), ...ref }
    : undefined;
}

/**
 * The version a ref names in a registered model (its versions and aliases),
 * or why it names none, in words.
 *
 * @public
 */
export function resolveModelVersion(
  model: {
    name: string;
    aliases: Record<string, string>;
    versions: Array<{ version: string }>;
  },
  ref: RegistryVersionRef,
): { version: string } | { problem: string } {
  const known = model.versions.map(v => v.version);
  if ('alias' in ref) {
    const version = model.aliases[ref.alias];
    if (version) return { version };
    const aliases = Object.entries(model.aliases)
      .map(([alias, v]) => `@${alias} (version ${v})`)
      .join(', ');
    return {
      problem: `${model.name} has no alias ${ref.alias} in MLflow's registry; ${
        aliases ? `its aliases are ${aliases}` : 'it has no aliases'
      }`,
    };
  }
  if (known.includes(ref.version)) return { version: ref.version };
  return {
    problem: `${model.name} has no version ${
      ref.version
    } in MLflow's registry; ${
      known.length
        ? `its versions are ${known.join(', ')}`
        : 'it has no versions'
    }`,
  };
}
