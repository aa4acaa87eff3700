import { z } from 'zod';
import {
  DEFAULT_MODEL_FAMILIES,
  JOB_TYPES,
  SERVE_TARGETS,
  SPEC_ENVIRONMENTS,
  SpecEnvironment,
} from './constants';
import type { ImageOverrides } from './selectImage';
import type { GpuTypeTable } from './gpuTypes';
import {
  EnvironmentsSettings,
  PlatformSettings,
  ServingSettings,
  TrainingSettings,
  environmentsSchema,
  gpuTypesSchema,
  servingSettingsSchema,
  trainingSettingsSchema,
} from './platformSettings';
import { DEFAULT_SPEC_LIMITS, SpecLimits } from './specLimits';

/**
 * The platform settings the specs depend on, read from `llmOps.*`.
 *
 * @public
 */
export interface SpecsConfig extends PlatformSettings {
  /** `llmOps.modelFamilies`, the model family whitelist. */
  modelFamilies: readonly string[];
  /** `llmOps.images`, overrides of the image mapping. */
  images: ImageOverrides;
  /** `llmOps.gpuAvailable`, true unless set to false. */
  gpuAvailable: boolean;
  /** `llmOps.environment`: dev, stg or prod. */
  environment?: SpecEnvironment;
  /** `llmOps.gpuTypes`: GPU types beside the built-in ones. */
  gpuTypes: GpuTypeTable;
  /** `llmOps.training`. */
  training: TrainingSettings;
  /** `llmOps.serving`. */
  serving: ServingSettings;
  /** `llmOps.environments`, per-environment training and serving settings. */
  environments: EnvironmentsSettings;
  /** `llmOps.specLimits`, the maxima of spec values, with the defaults. */
  specLimits: SpecLimits;
}

/**
 * Anything that reads config values by dotted key, such as Backstage's
 * `Config`.
 *
 * @public
 */
export interface SpecsConfigReader {
  getOptional(key: string): unknown;
}

const variants = z
  .object({ gpu: z.string().min(1), cpu: z.string().min(1) })
  .partial()
  .strict();
const mapping = z
  .object({
    train: z.partialRecord(z.enum(JOB_TYPES), variants),
    serve: z.partialRecord(z.enum(SERVE_TARGETS), variants),
  })
  .partial()
  .strict();
const images = mapping
  .extend({
    environments: z.partialRecord(z.enum(SPEC_ENVIRONMENTS), mapping),
  })
  .partial()
  .strict();
const limit = z.int().positive();
const specLimits = z
  .object({
    maxNodes: limit,
    maxGpusPerNode: limit,
    maxEpochs: limit,
    maxStringLength: limit,
    maxUriLength: limit,
  })
  .partial()
  .strict();
const settings = z.object({
  modelFamilies: z.array(z.string().min(1)).min(1).optional(),
  images: images.optional(),
  gpuAvailable: z.boolean().optional(),
  environment: z.enum(SPEC_ENVIRONMENTS).optional(),
  gpuTypes: gpuTypesSchema.optional(),
  training: trainingSettingsSchema.optional(),
  serving: servingSettingsSchema.optional(),
  environments: environmentsSchema.optional(),
  specLimits: specLimits.optional(),
});

/**
 * Reads the spec settings from a config reader (keys under `llmOps`) or
 * from a plain object with the same keys, applying the defaults. Throws an
 * error naming the key when a value is malformed. The result can be spread
 * into the converters' options: they resolve `training`, `serving` and
 * `environments` for the conversion's `environment`.
 *
 * @public
 */
export function readSpecsConfig(
  source: SpecsConfigReader | { [K in keyof SpecsConfig]?: unknown } = {},
): SpecsConfig {
  const plain: Record<string, unknown> = isReader(source) ? {} : { ...source };
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(settings.shape)) {
    raw[key] = isReader(source)
      ? source.getOptional(`llmOps.${key}`)
      : plain[key];
  }
  const parsed = settings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key is reported at its parent; name the key itself.
    const path =
      issue.code === 'unrecognized_keys' && issue.keys.length === 1
        ? [...issue.path, issue.keys[0]]
        : issue.path;
    throw new Error(
      `Invalid configuration at llmOps.${path.map(String).join('.')}: ${
        issue.message
      }`,
    );
  }
  return {
    modelFamilies: parsed.data.modelFamilies ?? DEFAULT_MODEL_FAMILIES,
    images: parsed.data.images ?? {},
    gpuAvailable: parsed.data.gpuAvailable ?? true,
    environment: parsed.data.environment,
    gpuTypes: parsed.data.gpuTypes ?? {},
    training: parsed.data.training ?? {},
    serving: parsed.data.serving ?? {},
    environments: (parsed.data.environments ?? {}) as EnvironmentsSettings,
    specLimits: { ...DEFAULT_SPEC_LIMITS, ...parsed.data.specLimits },
  };
}

function isReader(value: object): value is SpecsConfigReader {
  return 'getOptional' in value && typeof value.getOptional === 'function';
}
