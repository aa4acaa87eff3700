import path from 'node:path';
import {
  ConversionError,
  DeploymentSpec,
  InMemoryModelResolver,
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
  validateSpec,
} from '@llmops/plugin-llm-ops-common';
import { loadCatalog } from '../loadCatalog';
import { readDocument } from '../readDocument';
import type { RunIO } from '../run';
import { UsageError } from '../UsageError';

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
  options: { to?: ToFormat; from?: FromFormat; catalog: string[] },
  io: RunIO,
): Promise<number> {
  const { to, from } = options;
  if (from !== undefined && to === undefined) {
    return convertFrom(file, from, io);
  }
  if (to !== undefined && from === undefined) {
    return convertTo(file, to, options.catalog, io);
  }
  throw new UsageError(
    'convert needs exactly one of --to <format> and --from <format>',
  );
}

function convertFrom(file: string, from: FromFormat, io: RunIO): number {
  const doc = readDocument(file, path.resolve(io.cwd ?? process.cwd(), file));
  try {
    io.stdout(manifestToYaml(READERS[from](doc)));
    return 0;
  } catch (error) {
    if (error instanceof ConversionError) {
      io.stderr(`error: ${file}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function convertTo(
  file: string,
  to: ToFormat,
  catalog: string[],
  io: RunIO,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
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

  const { resolver, warnings } = loadCatalog(catalog, cwd);
  warnings.forEach(warning => io.stderr(`warning: ${warning}\n`));
  const result = await validateSpec(doc, { resolver });
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
    io.stderr(
      [
        `error: ${file} is not a valid ${kind}:`,
        ...blocking.map(
          e => `  - ${e.path || '(document)'} [${e.rule}] ${e.message}`,
        ),
        '',
      ].join('\n'),
    );
    return 1;
  }
  if (!result.valid) {
    io.stderr(
      `warning: ${file}: base_model_ref is not in the catalog, so the rules that need the base model were not checked; pass --catalog to check them\n`,
    );
  }
  // Only base_model_ref.unresolved can remain, so the structure is valid.
  const spec = result.valid ? result.spec : trainJobSpecSchema.parse(doc);

  try {
    io.stdout(manifestToYaml(convert(to, spec, resolver)));
    return 0;
  } catch (error) {
    if (error instanceof ConversionError) {
      io.stderr(`error: ${file}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function convert(
  to: ToFormat,
  spec: TrainJobSpec | DeploymentSpec,
  resolver: InMemoryModelResolver,
): unknown {
  if (spec.kind === 'TrainJobSpec') {
    return to === 'mlflow'
      ? trainJobToMlflow(spec)
      : trainJobToArgoWorkflow(spec);
  }
  const model = resolver.get(spec.model_ref);
  if (!model) {
    throw new UsageError(`model_ref ${spec.model_ref} is not in the catalog`);
  }
  return to === 'kserve'
    ? deploymentToInferenceService(spec, { model })
    : deploymentToRayService(spec, { model });
}
