import { z } from 'zod';
import { getAt, isRecord, show } from '../specs/checkStructure';
import { ConversionError } from './ConversionError';
import type { ManifestContainer, ManifestScheduling } from './types';

/*
 * Round-trip metadata. The manifests carry each spec field in its native
 * home where one exists (image, resources, node selector, args, env,
 * storageUri, canaryTrafficPercent, containerConcurrency, serve config), and
 * in these labels and annotations only what has none.
 */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'llmops';
export const LABEL_JOB_TYPE = 'llmops.dev/job-type';
export const LABEL_SERVE_TARGET = 'llmops.dev/serve-target';
export const LABEL_ROLLOUT_STRATEGY = 'llmops.dev/rollout-strategy';
export const ANNOTATION_MODEL_REF = 'llmops.dev/model-ref';
export const ANNOTATION_MODEL_FAMILY = 'llmops.dev/model-family';
/** The document's own `use_gpu`, when it has one. */
export const ANNOTATION_USE_GPU = 'llmops.dev/use-gpu';
/**
 * Optional spec fields the document left out, whose defaulted values the
 * manifest carries natively (`method`, `serve_target`); reading back drops
 * them again.
 */
export const ANNOTATION_DEFAULTED = 'llmops.dev/defaulted-fields';
/** GPU requests of a cpu-variant manifest, which requests no GPUs. */
export const ANNOTATION_GPUS = 'llmops.dev/gpus';
export const ANNOTATION_GPU_TYPE = 'llmops.dev/gpu-type';
export const ANNOTATION_GPU_MEMORY = 'llmops.dev/gpu-memory-gb';

export const GPU_RESOURCE = 'nvidia.com/gpu';
/** Node labels of NVIDIA GPU feature discovery. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** Memory of each GPU, in MiB. */
export const GPU_MEMORY_LABEL = 'nvidia.com/gpu.memory';

/** The toleration of the taint GPU node pools usually carry. */
export const GPU_TOLERATION = {
  key: GPU_RESOURCE,
  operator: 'Exists',
  effect: 'NoSchedule',
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Turns a value into a Kubernetes name: lower case, runs of other characters
 * become `-`. Throws a ConversionError naming `path` when nothing usable is
 * left, or when `startWithLetter` (DNS-1035, as KServe requires) is not met.
 */
export function toK8sName(
  value: string,
  path: string,
  options: { maxLength?: number; startWithLetter?: boolean } = {},
): string {
  const name = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, options.maxLength ?? 63)
    .replace(/-+$/, '');
  if (!DNS_LABEL.test(name)) {
    throw new ConversionError(
      path,
      `${path} ${show(
        value,
      )} cannot become a Kubernetes name: it needs letters or digits`,
    );
  }
  if (options.startWithLetter && !/^[a-z]/.test(name)) {
    throw new ConversionError(
      path,
      `${path} ${show(
        value,
      )} cannot become a Kubernetes name: it must start with a letter`,
    );
  }
  return name;
}

/** The name part of a model reference: `model:default/x` and `hf://org/x@rev` give `x`. */
export function refName(ref: string): string {
  const withoutRevision = ref.replace(/^hf:\/\//, '').replace(/@[^/]*$/, '');
  return withoutRevision.slice(
    Math.max(
      withoutRevision.lastIndexOf('/'),
      withoutRevision.lastIndexOf(':'),
    ) + 1,
  );
}

export function gpuResources(
  gpus: number,
): NonNullable<ManifestContainer['resources']> {
  return {
    requests: { [GPU_RESOURCE]: String(gpus) },
    limits: { [GPU_RESOURCE]: String(gpus) },
  };
}

/** Schedules onto nodes whose GPUs have at least `gb` GB of memory. */
export function gpuMemoryAffinity(
  gb: number,
): NonNullable<ManifestScheduling['affinity']> {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              {
                key: GPU_MEMORY_LABEL,
                operator: 'Gt',
                values: [String(gb * 1024 - 1)],
              },
            ],
          },
        ],
      },
    },
  };
}

/** Reads back the GB of `gpuMemoryAffinity`, if the affinity is one. */
export function readGpuMemoryAffinity(
  affinity: unknown,
  path: string,
): number | undefined {
  const terms = getAt(affinity, [
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  ]);
  if (!Array.isArray(terms)) {
    return undefined;
  }
  for (const term of terms) {
    const expressions = getAt(term, ['matchExpressions']);
    for (const expression of Array.isArray(expressions) ? expressions : []) {
      if (isRecord(expression) && expression.key === GPU_MEMORY_LABEL) {
        const values = expression.values;
        const mib = parseAs(
          z.number().int().nonnegative(),
          numeric(Array.isArray(values) ? values[0] : undefined),
          `${path}.nodeAffinity (${GPU_MEMORY_LABEL})`,
        );
        return (mib + 1) / 1024;
      }
    }
  }
  return undefined;
}

/** Parses a manifest value with a spec field schema, or throws naming `path`. */
export function parseAs<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  const expected = parsed.error.issues[0].message;
  throw new ConversionError(
    path,
    value === undefined
      ? `${path} is missing: expected ${expected}`
      : `${path} must be ${expected}, got ${show(value)}`,
  );
}

/** A string holding a number becomes that number; anything else is kept. */
export function numeric(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isNaN(number) ? value : number;
  }
  return value;
}

export function requireRecord(
  value: unknown,
  path: string,
): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new ConversionError(
      path,
      `${path || 'the manifest'} must be a mapping, got ${show(value)}`,
    );
  }
  return value;
}

export function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ConversionError(
      path,
      `${path} must be a list, got ${show(value)}`,
    );
  }
  return value;
}

/** A map of strings, such as labels; absent gives an empty map. */
export function stringMap(
  value: unknown,
  path: string,
): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  const record = requireRecord(value, path);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record)) {
    result[key] = parseAs(z.string(), entry, `${path}["${key}"]`);
  }
  return result;
}

/** Checks a manifest's apiVersion and kind. */
export function requireKind(
  manifest: Record<string, unknown>,
  apiVersion: string,
  kind: string,
) {
  if (manifest.apiVersion !== apiVersion || manifest.kind !== kind) {
    throw new ConversionError(
      'kind',
      `expected a ${kind} of ${apiVersion}, got kind ${show(
        manifest.kind,
      )} of ${show(manifest.apiVersion)}`,
    );
  }
}

/** Container args of the form `--flag=value`, by flag. */
export function argsMap(value: unknown, path: string): Map<string, string> {
  const result = new Map<string, string>();
  if (value === undefined) {
    return result;
  }
  for (const arg of requireArray(value, path)) {
    if (typeof arg === 'string') {
      const match = /^--([^=]+)=(.*)$/s.exec(arg);
      if (match) {
        result.set(match[1], match[2]);
      }
    }
  }
  return result;
}

/** Container env values, by name. */
export function envMap(value: unknown, path: string): Map<string, string> {
  const result = new Map<string, string>();
  if (value === undefined) {
    return result;
  }
  for (const entry of requireArray(value, path)) {
    if (
      isRecord(entry) &&
      typeof entry.name === 'string' &&
      typeof entry.value === 'string'
    ) {
      result.set(entry.name, entry.value);
    }
  }
  return result;
}

/** The `llmops.dev/defaulted-fields` annotation value, if any field defaulted. */
export function defaultedFields(
  fields: Array<string | false>,
): string | undefined {
  const names = fields.filter((f): f is string => Boolean(f));
  return names.length ? names.join(',') : undefined;
}

export function readDefaultedFields(
  annotations: Record<string, string>,
): Set<string> {
  return new Set(
    (annotations[ANNOTATION_DEFAULTED] ?? '').split(',').filter(Boolean),
  );
}

/** Reads a `true`/`false` annotation. */
export function readBoolean(
  annotations: Record<string, string>,
  key: string,
  path: string,
): boolean | undefined {
  const value = annotations[key];
  if (value === undefined) {
    return undefined;
  }
  return (
    parseAs(z.enum(['true', 'false']), value, `${path}["${key}"]`) === 'true'
  );
}
