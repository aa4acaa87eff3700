import path from 'node:path';
import {
  ConversionError,
  ConversionOptions,
  DeploymentSpec,
  InMemoryModelResolver,
  SpecEnvironment,
  TrainJobSpec,
  argoWorkflowToTrainJob,
  deploymentToInferenceService,
  deploymentToRayService,
  inferenceServiceToDeployment,
  manifestToYaml,
  mlflowToTrainJob,
  rayServiceToDeployment,
  trainJobToArgoWorkflow,
  trainJobSpecSchema,
  trainJobToMlflow,
  servingTargetOf,
  validateSpec,
} from '@llmops/plugin-llm-ops-common';
import { escapeInvisible } from '../escape';
import { loadCatalog } from '../loadCatalog';
import { loadConfig, LoadedConfig } from '../loadConfig';
import { readDocument } from '../readDocument';
import type { RunIO } from '../run';
import { UsageError } from '../UsageError';
import { formatError } from './validate';

/** The formats of `--to`. */
export const TO_FORMATS = ['mlflow', 'argo', 'kserve', 'rayservice'] as const;
/** The formats of `--from`. */
export const FROM_FORMATS = ['mlflow', 'argo', 'kserve', 'rayservice'] as const;

type ToFormat = (typeof TO_FORMATS)[number];
type FromFormat = (typeof FROM_FORMATS)[number];

const KIND_OF_FORMAT: Record<ToFormat, 'TrainJobSpec' | 'DeploymentSpec'> = {
  mlflow: 'TrainJobSpec',
  argo: 'TrainJobSpec',
  kserve: 'DeploymentSpec',
  rayservice: 'DeploymentSpec',
};

/** The `llmOps.integrations` block whose namespace the portal submits to. */
const INTEGRATION_OF_FORMAT: Partial<Record<ToFormat, string>> = {
  argo: 'argo',
  kserve: 'kserve',
  rayservice: 'rayserve',
};

/** The options of `llmops convert`. */
export interface ConvertOptions {
  to?: ToFormat;
  from?: FromFormat;
  catalog: string[];
  /** app-config files, merged in order. */
  config: string[];
  environment?: SpecEnvironment;
  jobId?: string;
  storageUri?: string;
  name?: string;
  namespace?: string;
}

const READERS: Record<
  FromFormat,
  (doc: unknown) => TrainJobSpec | DeploymentSpec
> = {
  mlflow: mlflowToTrainJob,
  argo: argoWorkflowToTrainJob,
  kserve: inferenceServiceToDeployment,
  rayservice: rayServiceToDeployment,
};

/**
 * `llmops convert`: prints the tool-native document (`--to`) or the spec
 * (`--from`) as YAML. Exits 1 when the input is invalid (spec errors, or a
 * manifest that cannot be read back), 2 on usage and read errors.
 */
export async function convertCommand(
  file: string,
  options: ConvertOptions,
  io: RunIO,
): Promise<number> {
  const { to, from } = options;
  if (from !== undefined && to === undefined) {
    return convertFrom(file, from, options, io);
  }
  if (to !== undefined && from === undefined) {
    return convertTo(file, to, options, io);
  }
  throw new UsageError(
    'convert needs exactly one of --to <format> and --from <format>',
  );
}

/** The rules `--from` leaves to a warning without `--catalog`. */
const UNRESOLVED: string[] = [
  'base_model_ref.unresolved',
  'model_ref.unresolved',
];

/**
 * Reads a spec back and validates it as `validate` does (with the Models of
 * `--catalog` and the settings of `--config`), so that it never prints a
 * spec that `validate` refuses. Without `--catalog`, unresolved references
 * are only warned about.
 */
async function convertFrom(
  file: string,
  from: FromFormat,
  options: ConvertOptions,
  io: RunIO,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const config = options.config.length
    ? loadConfig(options.config, cwd)
    : undefined;
  const doc = readDocument(file, path.resolve(cwd, file));
  let spec: TrainJobSpec | DeploymentSpec;
  try {
    spec = READERS[from](doc);
  } catch (error) {
    if (error instanceof ConversionError) {
      for (const each of error.errors) {
        io.stderr(`error: ${escapeInvisible(`${file}: ${each.message}`)}\n`);
      }
      return 1;
    }
    throw error;
  }

  const { resolver, warnings } = loadCatalog(options.catalog, cwd);
  warnings.forEach(warning =>
    io.stderr(`warning: ${escapeInvisible(warning)}\n`),
  );
  const result = await validateSpec(spec, {
    resolver,
    modelFamilies: config?.specs.modelFamilies,
    gpuTypes: config?.specs.gpuTypes,
    limits: config?.specs.specLimits,
  });
  const unchecked = options.catalog.length
    ? []
    : result.errors.filter(e => UNRESOLVED.includes(e.rule));
  const blocking = result.errors.filter(e => !unchecked.includes(e));
  if (blocking.length) {
    printInvalid(file, `reads back as an invalid ${spec.kind}`, blocking, io);
    return 1;
  }
  for (const e of unchecked) {
    io.stderr(
      `warning: ${escapeInvisible(
        `${file}: ${e.path} is not checked against a catalog; pass --catalog to check it`,
      )}\n`,
    );
  }
  io.stdout(manifestToYaml(spec));
  return 0;
}

/** The `error: FILE is not a valid …:` line and one line per error. */
function printInvalid(
  file: string,
  problem: string,
  errors: Array<{ path: string; rule: string; message: string }>,
  io: RunIO,
) {
  io.stderr(
    [
      `error: ${escapeInvisible(file)} ${problem}:`,
      ...errors.map(formatError),
      '',
    ].join('\n'),
  );
}

async function convertTo(
  file: string,
  to: ToFormat,
  options: ConvertOptions,
  io: RunIO,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const config = options.config.length
    ? loadConfig(options.config, cwd)
    : undefined;
  const platform = conversionOptions(to, options, config);
  const doc = readDocument(file, path.resolve(cwd, file));
  const expectedKind = KIND_OF_FORMAT[to];
  const kind =
    typeof doc === 'object' && doc !== null && 'kind' in doc
      ? doc.kind
      : undefined;
  if (kind !== 'TrainJobSpec' && kind !== 'DeploymentSpec') {
    throw new UsageError(
      `${file}: kind must be TrainJobSpec or DeploymentSpec, got ${
        JSON.stringify(kind) ?? 'nothing'
      }`,
    );
  }
  if (kind !== expectedKind) {
    throw new UsageError(
      `--to ${to} converts a ${expectedKind}, but ${file} is a ${kind}`,
    );
  }

  for (const [flag, value, allowed] of [
    ['--job-id', options.jobId, ['argo']],
    ['--storage-uri', options.storageUri, ['kserve', 'rayservice']],
    ['--name', options.name, ['kserve', 'rayservice']],
  ] as const) {
    if (value !== undefined && !(allowed as readonly string[]).includes(to)) {
      throw new UsageError(
        `${flag} applies to --to ${allowed.join(' and ')}, not --to ${to}`,
      );
    }
  }

  const { resolver, warnings } = loadCatalog(options.catalog, cwd);
  warnings.forEach(warning =>
    io.stderr(`warning: ${escapeInvisible(warning)}\n`),
  );
  const result = await validateSpec(doc, {
    resolver,
    modelFamilies: config?.specs.modelFamilies,
    gpuTypes: platform.gpuTypes,
    limits: config?.specs.specLimits,
    ...(to === 'kserve' || to === 'rayservice'
      ? {
          servingTarget: servingTargetOf(
            to === 'kserve' ? 'kserve' : 'rayserve',
            platform,
          ),
        }
      : {}),
  });
  // A TrainJobSpec converts without its base model; other errors stop it.
  const blocking = result.errors.filter(
    e => e.rule !== 'base_model_ref.unresolved',
  );
  if (blocking.some(e => e.rule === 'model_ref.unresolved')) {
    throw new UsageError(
      `${file}: model_ref is not in the catalog; pass the catalog holding the Model with --catalog, which gives its storage URI`,
    );
  }
  if (blocking.length) {
    printInvalid(file, `is not a valid ${kind}`, blocking, io);
    return 1;
  }
  if (!result.valid) {
    io.stderr(
      `warning: ${escapeInvisible(
        file,
      )}: base_model_ref is not in the catalog, so the rules that need the base model were not checked; pass --catalog to check them\n`,
    );
  }
  // Only base_model_ref.unresolved can remain, so the structure is valid.
  const spec = result.valid ? result.spec : trainJobSpecSchema.parse(doc);

  try {
    io.stdout(manifestToYaml(convert(to, spec, resolver, platform, options)));
    return 0;
  } catch (error) {
    if (error instanceof ConversionError) {
      io.stderr(
        `error: ${escapeInvisible(
          `${file}: ${error.path}${error.rule ? ` [${error.rule}]` : ''} ${
            error.message
          }`,
        )}\n`,
      );
      return 1;
    }
    throw error;
  }
}

/**
 * The platform settings the portal converts with: the `--config` files'
 * `llmOps` settings, the environment of `--environment` (else
 * `llmOps.environment`), and the namespace of `--namespace` (else the
 * tool's `llmOps.integrations.<tool>.namespace`, `default` when the tool is
 * configured without one, as the portal's adapters do).
 */
function conversionOptions(
  to: ToFormat,
  options: ConvertOptions,
  config: LoadedConfig | undefined,
): ConversionOptions {
  const integration = INTEGRATION_OF_FORMAT[to];
  const configured =
    integration && config
      ? config.reader.getOptional(`llmOps.integrations.${integration}`)
      : undefined;
  const configuredNamespace =
    configured !== undefined
      ? config?.reader.getOptional(
          `llmOps.integrations.${integration}.namespace`,
        ) ?? 'default'
      : undefined;
  if (
    configuredNamespace !== undefined &&
    typeof configuredNamespace !== 'string'
  ) {
    throw new UsageError(
      `llmOps.integrations.${integration}.namespace must be a string`,
    );
  }
  const namespace = options.namespace ?? configuredNamespace;
  const specs = config?.specs;
  return {
    ...(specs
      ? {
          images: specs.images,
          gpuAvailable: specs.gpuAvailable,
          gpuTypes: specs.gpuTypes,
          training: specs.training,
          serving: specs.serving,
          environments: specs.environments,
        }
      : {}),
    environment: options.environment ?? specs?.environment,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function convert(
  to: ToFormat,
  spec: TrainJobSpec | DeploymentSpec,
  resolver: InMemoryModelResolver,
  platform: ConversionOptions,
  options: ConvertOptions,
): unknown {
  if (spec.kind === 'TrainJobSpec') {
    return to === 'mlflow'
      ? trainJobToMlflow(spec, platform)
      : trainJobToArgoWorkflow(spec, {
          ...platform,
          ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
        });
  }
  const model = resolver.get(spec.model_ref);
  if (!model) {
    throw new UsageError(`model_ref ${spec.model_ref} is not in the catalog`);
  }
  const deployment = {
    ...platform,
    model,
    ...(options.storageUri !== undefined
      ? { storageUri: options.storageUri }
      : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
  };
  return to === 'kserve'
    ? deploymentToInferenceService(spec, deployment)
    : deploymentToRayService(spec, deployment);
}
