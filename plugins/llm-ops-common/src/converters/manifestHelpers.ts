import { z } from 'zod';
import { getAt, isRecord, show } from '../specs/checkStructure';
import { ConversionError } from './ConversionError';
import type {
  ManifestContainer,
  ManifestScheduling,
  ManifestVolume,
} from './types';

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
/** The portal's job id of a Workflow (the Argo adapter's conflict check reads it). */
export const ANNOTATION_JOB_ID = 'llmops.dev/job-id';

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

/**
 * CPU, memory and GPU requests of a container, with limits equal to the
 * requests (the Guaranteed QoS class: never BestEffort, and last to be
 * evicted).
 */
export function podResources(
  gpus: number,
  cpus: number,
  memoryGb: number,
): NonNullable<ManifestContainer['resources']> {
  const quantities: Record<string, string> = {
    cpu: cpuQuantity(cpus),
    memory: `${memoryGb}Gi`,
    ...(gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {}),
  };
  return { requests: { ...quantities }, limits: { ...quantities } };
}

/** A CPU count as a Kubernetes quantity: `4`, or `1500m`. */
export function cpuQuantity(cpus: number): string {
  const millis = Math.round(cpus * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Reads a CPU quantity the converters write (`4`, `1500m`) back as cores. */
export function readCpuQuantity(value: unknown, path: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(
    typeof value === 'string' ? value : '',
  );
  if (!match) {
    fail(
      new ConversionError(
        path,
        `${path} must be a CPU quantity such as 4 or 1500m, got ${show(value)}`,
      ),
    );
    return NaN;
  }
  return match[2] ? Number(match[1]) / 1000 : Number(match[1]);
}

/** Reads a memory quantity the converters write (`12Gi`) back as GiB. */
export function readMemoryQuantity(value: unknown, path: string): number {
  const match = /^(\d+)Gi$/.exec(typeof value === 'string' ? value : '');
  if (!match) {
    fail(
      new ConversionError(
        path,
        `${path} must be a memory quantity in Gi, such as 12Gi, got ${show(
          value,
        )}`,
      ),
    );
    return NaN;
  }
  return Number(match[1]);
}

/**
 * A container's resource quantities by name, each with the path it is read
 * from: its limits, and its requests where it has no limit (what the pod
 * is given then).
 */
export function resourceQuantities(
  resources: unknown,
  path: string,
): Map<string, { value: unknown; path: string }> {
  const result = new Map<string, { value: unknown; path: string }>();
  for (const kind of ['requests', 'limits']) {
    const quantities = isRecord(resources) ? resources[kind] : undefined;
    if (quantities === undefined) {
      continue;
    }
    const kindPath = `${path}.${kind}`;
    for (const [name, value] of Object.entries(
      requireRecord(quantities, kindPath),
    )) {
      const key = /^[a-z]+$/.test(name) ? `.${name}` : `["${name}"]`;
      result.set(name, { value, path: `${kindPath}${key}` });
    }
  }
  return result;
}

/** The `/dev/shm` volume and its mount: NCCL and data loaders need more than the runtime's 64 MiB. */
export const SHM_VOLUME = 'dshm';
export function shmVolume(memoryGb: number): ManifestVolume {
  return {
    name: SHM_VOLUME,
    emptyDir: {
      medium: 'Memory',
      // memory-backed emptyDir counts against the pod's memory limit
      sizeLimit: `${Math.max(1, Math.floor(memoryGb / 2))}Gi`,
    },
  };
}
export const SHM_MOUNT = { name: SHM_VOLUME, mountPath: '/dev/shm' };

/** A required node affinity on one label. */
function nodeAffinity(expression: {
  key: string;
  operator: string;
  values: string[];
}): NonNullable<ManifestScheduling['affinity']> {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [expression] }],
      },
    },
  };
}

/** Schedules onto nodes whose GPU is one of `products` (GFD's `nvidia.com/gpu.product`). */
export function gpuProductAffinity(
  products: string[],
): NonNullable<ManifestScheduling['affinity']> {
  return nodeAffinity({
    key: GPU_PRODUCT_LABEL,
    operator: 'In',
    values: products,
  });
}

/**
 * How much of a requested GB figure a GPU must report. GPU Feature
 * Discovery's `nvidia.com/gpu.memory` is NVML's total memory in MiB, which
 * is below the marketed size (the driver reserves some, and on GDDR cards
 * ECC more):
 *
 * | GPU       | marketed | gpu.memory (MiB) | share of GB×1024 |
 * | --------- | -------- | ---------------- | ---------------- |
 * | A100 80GB | 80 GB    | 81920            | 1.000            |
 * | H100 80GB | 80 GB    | 81559            | 0.996            |
 * | H200      | 141 GB   | 143771           | 0.996            |
 * | A100 40GB | 40 GB    | 40960            | 1.000            |
 * | L40S      | 48 GB    | 46068            | 0.937            |
 * | L4        | 24 GB    | 23034            | 0.937            |
 * | A10G      | 24 GB    | 23028            | 0.937            |
 * | T4        | 16 GB    | 15360            | 0.938            |
 *
 * A request of `gb` GB matches GPUs reporting at least
 * ⌈gb × 1024 × 0.92⌉ MiB: 24 GB (22610) takes the L4 and A10G, 80 GB
 * (75367) the A100-80GB and H100, 48 GB (45220) the L40S but not an
 * A100-40GB, 24 GB not a T4. 0.92 sits below the lowest share (0.937)
 * with room for drivers that reserve more, and above 0.834 (48 GB against
 * an A100-40GB), the highest ratio the table must exclude.
 *
 * @public
 */
export const GPU_MEMORY_TOLERANCE_PERCENT = 92;

/** The least `nvidia.com/gpu.memory` (MiB) a request of `gb` GB matches. @public */
export function minimumGpuMemoryMiB(gb: number): number {
  return Math.ceil((gb * 1024 * GPU_MEMORY_TOLERANCE_PERCENT) / 100);
}

/** Schedules onto nodes whose GPUs have `gb` GB of memory, by the rule above. */
/** How much more memory than requested still counts as a good fit. */
const GPU_MEMORY_FIT_FACTOR = 1.5;

export function gpuMemoryAffinity(
  gb: number,
): NonNullable<ManifestScheduling['affinity']> {
  const affinity = nodeAffinity({
    key: GPU_MEMORY_LABEL,
    operator: 'Gt',
    values: [String(minimumGpuMemoryMiB(gb) - 1)],
  });
  // Of the GPUs that fit, prefer those that fit best (below 1.5 × the
  // request): a 24 GB model goes to an L4 before an idle 80 GB H100.
  affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = [
    {
      weight: 100,
      preference: {
        matchExpressions: [
          {
            key: GPU_MEMORY_LABEL,
            operator: 'Lt',
            values: [String(Math.ceil(gb * 1024 * GPU_MEMORY_FIT_FACTOR))],
          },
        ],
      },
    },
  ];
  return affinity;
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
        // minimumGpuMemoryMiB is within 1 MiB of gb × 942.08, so this is exact
        return Math.round(
          ((mib + 1) * 100) / (1024 * GPU_MEMORY_TOLERANCE_PERCENT),
        );
      }
    }
  }
  return undefined;
}

/** The errors of the fields read so far, while `readManifest` runs. */
let collected: ConversionError[] | undefined;

/**
 * Runs a reader of a manifest, which goes on past a missing or malformed
 * field (`parseAs` then gives undefined), and throws one ConversionError
 * holding every field's error. A structural problem (`requireRecord`,
 * `requireKind`) still stops it.
 */
export function readManifest<T>(read: () => T): T {
  const outer = collected;
  const errors: ConversionError[] = [];
  collected = errors;
  let result: T | undefined;
  try {
    result = read();
  } catch (error) {
    if (error instanceof ConversionError) {
      errors.push(...error.errors);
    } else if (!errors.length) {
      throw error;
    }
    // else a consequence of a field read as undefined: its error says it
  } finally {
    collected = outer;
  }
  // one error per field: the first
  const all = errors.filter(
    (error, i) => errors.findIndex(e => e.path === error.path) === i,
  );
  if (all.length) {
    throw new ConversionError(all[0].path, all[0].message, all[0].rule, all);
  }
  return result as T;
}

/** Throws `error`, or records it while `readManifest` runs. */
export function fail(error: ConversionError): void {
  if (!collected) {
    throw error;
  }
  collected.push(error);
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
  fail(
    new ConversionError(
      path,
      value === undefined
        ? `${path} is missing: expected ${expected}`
        : `${path} must be ${expected}, got ${show(value)}`,
    ),
  );
  // read on without the field
  return undefined as T;
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

/** Container env values, by name (`valueFrom` entries are left out). */
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
