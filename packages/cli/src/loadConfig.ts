import path from 'node:path';
import {
  SpecsConfig,
  SpecsConfigReader,
  readSpecsConfig,
} from '@llmops/plugin-llm-ops-common';
import { describe, readDocuments } from './readDocument';
import { UsageError } from './UsageError';

/** The portal's settings that `llmops convert` applies, from `--config` files. */
export interface LoadedConfig {
  specs: SpecsConfig;
  /** Reads any key of the merged files, such as `llmOps.integrations.argo.namespace`. */
  reader: SpecsConfigReader;
}

/**
 * Reads app-config files as the portal does: YAML, merged in order (later
 * files win; objects merge key by key, everything else is replaced).
 * `${VAR}` substitutions and `$include`/`$env` directives are not
 * resolved; the keys `convert` reads do not need them. Throws a UsageError
 * for a file that cannot be read and for a malformed `llmOps` setting.
 */
export function loadConfig(files: string[], cwd: string): LoadedConfig {
  let merged: Record<string, unknown> = {};
  for (const file of files) {
    const absolute = path.resolve(cwd, file);
    for (const doc of readDocuments(file, absolute)) {
      if (!isObject(doc)) {
        throw new UsageError(
          `${file} is not an app-config file: expected a mapping`,
        );
      }
      merged = mergeConfig(merged, doc);
    }
  }
  const reader: SpecsConfigReader = {
    getOptional(key: string) {
      let value: unknown = merged;
      for (const part of key.split('.')) {
        value =
          isObject(value) && Object.hasOwn(value, part)
            ? value[part]
            : undefined;
      }
      return value;
    },
  };
  try {
    return { specs: readSpecsConfig(reader), reader };
  } catch (error) {
    throw new UsageError(`${files.join(', ')}: ${describe(error)}`);
  }
}

function mergeConfig(
  base: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const result = { ...base };
  for (const [key, value] of Object.entries(next)) {
    const current = result[key];
    result[key] =
      isObject(current) && isObject(value)
        ? mergeConfig(current, value)
        : value;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
