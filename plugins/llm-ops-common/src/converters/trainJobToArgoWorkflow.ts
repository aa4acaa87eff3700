import { z } from 'zod';
import { isRecord } from '../specs/checkStructure';
import { gpuProducts, gpuTypeTable } from '../specs/gpuTypes';
import { selectTrainImage } from '../specs/selectImage';
import type { TrainJobSpec } from '../specs';
import { ConversionError } from './ConversionError';
import {
  ANNOTATION_DEFAULTED,
  ANNOTATION_GPU_TYPE,
  ANNOTATION_GPUS,
  ANNOTATION_JOB_ID,
  ANNOTATION_USE_GPU,
  GPU_RESOURCE,
  GPU_TOLERATION,
  LABEL_JOB_TYPE,
  LABEL_MANAGED_BY,
  MANAGED_BY,
  SHM_MOUNT,
  argsMap,
  defaultedFields,
  envMap,
  gpuProductAffinity,
  numeric,
  parseAs,
  podResources,
  readBoolean,
  readCpuQuantity,
  readDefaultedFields,
  readManifest,
  readMemoryQuantity,
  requireArray,
  resourceQuantities,
  requireKind,
  requireRecord,
  shmVolume,
  stringMap,
  toK8sName,
} from './manifestHelpers';
import { podSize, trainingPlatform } from './platform';
import { trainJobWorkflowName } from './workflowName';
import {
  assembleTrainJobSpec,
  datasetFields,
  hyperparamFields,
  outputFields,
  trainFields,
  trainResourceFields,
} from './specFields';
import type { ArgoWorkflow, TrainConversionOptions } from './types';

/**
 * The workflow template of the training pods (one per node), each with
 * `resources.gpus` GPUs: what a job's GPU-hours count.
 *
 * @public
 */
export const TRAIN_NODE_TEMPLATE = 'train-node';
const TRAIN_TEMPLATE = TRAIN_NODE_TEMPLATE;
const RENDEZVOUS_TEMPLATE = 'rendezvous';
const RENDEZVOUS_PORT = 29400;
/**
 * The c10d rendezvous store of a multi-node job: a TCPStore server that the
 * `torchrun --rdzv-backend=c10d` of every node joins as a client.
 */
const RENDEZVOUS_SERVER = [
  'import time, torch.distributed as dist',
  `store = dist.TCPStore("0.0.0.0", ${RENDEZVOUS_PORT}, is_master=True, wait_for_workers=False)`,
  'while True: time.sleep(3600)',
].join('\n');
/** The rendezvous store's pod: one Python process holding a TCPStore. */
const RENDEZVOUS_RESOURCES = podResources(0, 1, 2);

/** The training container's args: the hyperparameters and the method. */
const ARG = {
  lr: 'lr',
  batchSize: 'batch_size',
  numEpochs: 'num_epochs',
  maxSeqLen: 'max_seq_len',
  precision: 'precision',
  method: 'method',
} as const;

/**
 * Converts a TrainJobSpec to an Argo Workflow. A DAG fans out one pod per
 * node (`withSequence`), each running the selected training image with
 * `NNODES`, `NODE_RANK` and `NPROC_PER_NODE`; jobs of more than one node add
 * a daemon c10d rendezvous store whose address reaches the nodes as
 * `RDZV_ENDPOINT`, for `torchrun`.
 *
 * Each pod requests `resources.gpus` `nvidia.com/gpu` and is placed by a
 * node affinity `nvidia.com/gpu.product In` the GFD product labels of
 * `resources.gpu_type` (see `KNOWN_GPU_TYPES`), with the `nvidia.com/gpu`
 * toleration; CPU and memory requests equal their limits, from
 * `resources.cpus` / `memory_gb` or the per-GPU share of the config; a
 * memory-backed `/dev/shm` (half the memory) serves NCCL and data loaders.
 * When the cpu image is selected, no GPUs are requested. The Workflow runs
 * as the environment's training service account, for at most
 * `max_runtime_hours` (else the configured `activeDeadlineSeconds`). The
 * hyperparameters and method are the container's args, the model, dataset
 * and output its env. With `options.jobId` the name is
 * `trainJobWorkflowName(jobId)`, else generated from `output.artifact_name`.
 *
 * @public
 */
export function trainJobToArgoWorkflow(
  spec: TrainJobSpec,
  options: TrainConversionOptions = {},
): ArgoWorkflow {
  const { image, variant } = selectTrainImage(spec.job_type, {
    ...options,
    useGpu: spec.use_gpu,
  });
  const onGpu = variant === 'gpu';
  const { resources, hyperparams, dataset_ref, output } = spec;
  const gpus = onGpu ? resources.gpus : 0;
  const distributed = resources.nodes > 1;
  const prefix = toK8sName(output.artifact_name, 'output.artifact_name', {
    maxLength: 52,
  });
  const products =
    resources.gpu_type === undefined
      ? undefined
      : gpuProducts(resources.gpu_type, options.gpuTypes);
  if (resources.gpu_type !== undefined && products === undefined) {
    throw new ConversionError(
      'resources.gpu_type',
      `resources.gpu_type ${JSON.stringify(
        resources.gpu_type,
      )} is not a known GPU type; use one of ${Object.keys(
        gpuTypeTable(options.gpuTypes),
      ).join(', ')}, or add it to llmOps.gpuTypes`,
      'resources.gpu_type_unknown',
    );
  }
  const platform = trainingPlatform(options);
  // a pod without GPUs is not on a node of gpu_type: the general share
  const size = podSize(
    resources,
    platform.share(gpus > 0 ? resources.gpu_type : undefined),
    gpus,
  );
  const deadlineSeconds =
    spec.max_runtime_hours !== undefined
      ? spec.max_runtime_hours * 3600
      : platform.activeDeadlineSeconds;

  const annotations: Record<string, string> = {};
  if (options.jobId !== undefined) {
    annotations[ANNOTATION_JOB_ID] = options.jobId;
  }
  if (spec.use_gpu !== undefined) {
    annotations[ANNOTATION_USE_GPU] = String(spec.use_gpu);
  }
  const defaulted = defaultedFields([
    spec.method === undefined && 'method',
    ...size.defaulted,
    spec.max_runtime_hours === undefined && 'max_runtime_hours',
  ]);
  if (defaulted) {
    annotations[ANNOTATION_DEFAULTED] = defaulted;
  }
  if (!onGpu) {
    annotations[ANNOTATION_GPUS] = String(resources.gpus);
  }
  if (resources.gpu_type !== undefined) {
    annotations[ANNOTATION_GPU_TYPE] = resources.gpu_type;
  }

  const env = [
    // the tag contract: training code tags the model version it registers with it
    ...(options.jobId ? [{ name: 'LLMOPS_JOB_ID', value: options.jobId }] : []),
    { name: 'JOB_TYPE', value: spec.job_type },
    { name: 'MODEL_FAMILY', value: spec.model_family },
    ...(spec.base_model_ref
      ? [{ name: 'BASE_MODEL_REF', value: spec.base_model_ref }]
      : []),
    { name: 'DATASET_NAME', value: dataset_ref.name },
    { name: 'DATASET_VERSION', value: dataset_ref.version },
    { name: 'DATASET_TYPE', value: dataset_ref.type },
    { name: 'DATASET_URI', value: dataset_ref.storage_uri },
    { name: 'OUTPUT_ARTIFACT_NAME', value: output.artifact_name },
    { name: 'OUTPUT_SAVE_FORMAT', value: output.save_format },
    { name: 'USE_GPU', value: String(onGpu) },
    { name: 'NNODES', value: String(resources.nodes) },
    { name: 'NODE_RANK', value: '{{inputs.parameters.node-rank}}' },
    { name: 'NPROC_PER_NODE', value: String(Math.max(gpus, 1)) },
    ...(distributed
      ? [
          {
            name: 'RDZV_ENDPOINT',
            value: `{{inputs.parameters.rdzv-host}}:${RENDEZVOUS_PORT}`,
          },
          { name: 'RDZV_ID', value: '{{workflow.uid}}' },
        ]
      : []),
  ];
  const args = [
    `--${ARG.lr}=${hyperparams.lr}`,
    `--${ARG.batchSize}=${hyperparams.batch_size}`,
    `--${ARG.numEpochs}=${hyperparams.num_epochs}`,
    `--${ARG.maxSeqLen}=${hyperparams.max_seq_len}`,
    `--${ARG.precision}=${hyperparams.precision}`,
    `--${ARG.method}=${spec.method ?? 'full'}`,
  ];
  const nodeParameters = [
    { name: 'node-rank', value: '{{item}}' },
    ...(distributed
      ? [{ name: 'rdzv-host', value: `{{tasks.${RENDEZVOUS_TEMPLATE}.ip}}` }]
      : []),
  ];

  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      ...(options.jobId !== undefined
        ? { name: trainJobWorkflowName(options.jobId) }
        : { generateName: `${prefix}-` }),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_JOB_TYPE]: spec.job_type,
      },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      entrypoint: 'train',
      ...(platform.serviceAccountName
        ? { serviceAccountName: platform.serviceAccountName }
        : {}),
      activeDeadlineSeconds: deadlineSeconds,
      volumes: [shmVolume(size.memoryGb)],
      templates: [
        {
          name: 'train',
          dag: {
            tasks: [
              ...(distributed
                ? [{ name: RENDEZVOUS_TEMPLATE, template: RENDEZVOUS_TEMPLATE }]
                : []),
              {
                name: 'nodes',
                template: TRAIN_TEMPLATE,
                ...(distributed ? { depends: RENDEZVOUS_TEMPLATE } : {}),
                withSequence: { count: String(resources.nodes) },
                arguments: { parameters: nodeParameters },
              },
            ],
          },
        },
        ...(distributed
          ? [
              {
                name: RENDEZVOUS_TEMPLATE,
                daemon: true,
                container: {
                  name: 'main',
                  image,
                  command: ['python', '-c', RENDEZVOUS_SERVER],
                  ports: [{ name: 'c10d', containerPort: RENDEZVOUS_PORT }],
                  readinessProbe: { tcpSocket: { port: 'c10d' } },
                  resources: RENDEZVOUS_RESOURCES,
                },
              },
            ]
          : []),
        {
          name: TRAIN_TEMPLATE,
          inputs: {
            parameters: nodeParameters.map(({ name }) => ({ name })),
          },
          ...(gpus > 0 && products
            ? { affinity: gpuProductAffinity(products) }
            : {}),
          ...(gpus > 0 ? { tolerations: [GPU_TOLERATION] } : {}),
          container: {
            name: 'main',
            image,
            ...(platform.command ? { command: platform.command } : {}),
            args,
            env,
            resources: podResources(gpus, size.cpus, size.memoryGb),
            volumeMounts: [SHM_MOUNT],
          },
        },
      ],
    },
  };
}

/**
 * Reads a TrainJobSpec back from a Workflow made by `trainJobToArgoWorkflow`,
 * from the training container's args, env and resources (its limits, else
 * its requests), the Workflow's deadline and the `llmops.dev/*` annotations.
 * Throws a ConversionError naming the manifest fields that are missing or
 * malformed (all of them in its `errors`).
 *
 * @public
 */
export function argoWorkflowToTrainJob(workflow: unknown): TrainJobSpec {
  return readManifest(() => readWorkflow(workflow));
}

function readWorkflow(workflow: unknown): TrainJobSpec {
  const manifest = requireRecord(workflow, '');
  requireKind(manifest, 'argoproj.io/v1alpha1', 'Workflow');
  const metadata = requireRecord(manifest.metadata ?? {}, 'metadata');
  const annotations = stringMap(metadata.annotations, 'metadata.annotations');
  const spec = requireRecord(manifest.spec, 'spec');
  const templates = requireArray(spec.templates, 'spec.templates');
  const index = templates.findIndex(
    t => isRecord(t) && t.name === TRAIN_TEMPLATE,
  );
  if (index < 0) {
    throw new ConversionError(
      'spec.templates',
      `spec.templates has no ${TRAIN_TEMPLATE} template: the Workflow was not made from a TrainJobSpec`,
    );
  }
  const base = `spec.templates[${index}]`;
  const template = requireRecord(templates[index], base);
  const container = requireRecord(template.container, `${base}.container`);
  const env = envMap(container.env, `${base}.container.env`);
  const args = argsMap(container.args, `${base}.container.args`);
  const fromEnv = <T>(schema: z.ZodType<T>, name: string) =>
    parseAs(schema, env.get(name), `${base}.container.env[${name}]`);
  const fromArgs = <T>(schema: z.ZodType<T>, flag: string, isNumber = false) =>
    parseAs(
      schema,
      isNumber ? numeric(args.get(flag)) : args.get(flag),
      `${base}.container.args[--${flag}]`,
    );
  const defaulted = readDefaultedFields(annotations);
  const annotationPath = 'metadata.annotations';

  const quantities = resourceQuantities(
    container.resources,
    `${base}.container.resources`,
  );
  const gpuQuantity = quantities.get(GPU_RESOURCE);
  const cpu = quantities.get('cpu');
  const memory = quantities.get('memory');
  const gpus =
    annotations[ANNOTATION_GPUS] !== undefined
      ? parseAs(
          trainResourceFields.gpus,
          numeric(annotations[ANNOTATION_GPUS]),
          `${annotationPath}["${ANNOTATION_GPUS}"]`,
        )
      : parseAs(
          trainResourceFields.gpus,
          numeric(gpuQuantity?.value ?? '0'),
          gpuQuantity?.path ??
            `${base}.container.resources.limits["${GPU_RESOURCE}"]`,
        );
  const gpuType = annotations[ANNOTATION_GPU_TYPE];
  const deadlinePath = 'spec.activeDeadlineSeconds';

  return assembleTrainJobSpec({
    job_type: fromEnv(trainFields.job_type, 'JOB_TYPE'),
    model_family: fromEnv(trainFields.model_family, 'MODEL_FAMILY'),
    base_model_ref: env.has('BASE_MODEL_REF')
      ? fromEnv(z.string().min(1), 'BASE_MODEL_REF')
      : undefined,
    dataset_ref: {
      name: fromEnv(datasetFields.name, 'DATASET_NAME'),
      version: fromEnv(datasetFields.version, 'DATASET_VERSION'),
      type: fromEnv(datasetFields.type, 'DATASET_TYPE'),
      storage_uri: fromEnv(datasetFields.storage_uri, 'DATASET_URI'),
    },
    hyperparams: {
      lr: fromArgs(hyperparamFields.lr, ARG.lr, true),
      batch_size: fromArgs(hyperparamFields.batch_size, ARG.batchSize, true),
      num_epochs: fromArgs(hyperparamFields.num_epochs, ARG.numEpochs, true),
      max_seq_len: fromArgs(hyperparamFields.max_seq_len, ARG.maxSeqLen, true),
      precision: fromArgs(hyperparamFields.precision, ARG.precision),
    },
    method: defaulted.has('method')
      ? undefined
      : fromArgs(trainFields.method.unwrap(), ARG.method),
    resources: {
      gpus,
      gpu_type:
        gpuType === undefined
          ? undefined
          : parseAs(
              trainResourceFields.gpu_type.unwrap(),
              gpuType,
              `${annotationPath}["${ANNOTATION_GPU_TYPE}"]`,
            ),
      nodes: readNodes(spec, templates),
      cpus:
        defaulted.has('resources.cpus') || cpu === undefined
          ? undefined
          : parseAs(
              trainResourceFields.cpus.unwrap(),
              readCpuQuantity(cpu.value, cpu.path),
              cpu.path,
            ),
      memory_gb:
        defaulted.has('resources.memory_gb') || memory === undefined
          ? undefined
          : parseAs(
              trainResourceFields.memory_gb.unwrap(),
              readMemoryQuantity(memory.value, memory.path),
              memory.path,
            ),
    },
    output: {
      artifact_name: fromEnv(
        outputFields.artifact_name,
        'OUTPUT_ARTIFACT_NAME',
      ),
      save_format: fromEnv(outputFields.save_format, 'OUTPUT_SAVE_FORMAT'),
    },
    use_gpu: readBoolean(annotations, ANNOTATION_USE_GPU, annotationPath),
    max_runtime_hours:
      defaulted.has('max_runtime_hours') ||
      spec.activeDeadlineSeconds === undefined
        ? undefined
        : parseAs(
            trainFields.max_runtime_hours.unwrap(),
            typeof spec.activeDeadlineSeconds === 'number'
              ? spec.activeDeadlineSeconds / 3600
              : spec.activeDeadlineSeconds,
            deadlinePath,
          ),
  });
}

/** The node count: the fan-out of the task running the training template. */
function readNodes(
  spec: Record<string, unknown>,
  templates: unknown[],
): number {
  for (const [i, template] of templates.entries()) {
    const tasks =
      isRecord(template) && isRecord(template.dag)
        ? template.dag.tasks
        : undefined;
    for (const [j, task] of (Array.isArray(tasks) ? tasks : []).entries()) {
      if (isRecord(task) && task.template === TRAIN_TEMPLATE) {
        const path = `spec.templates[${i}].dag.tasks[${j}].withSequence.count`;
        const count = isRecord(task.withSequence)
          ? task.withSequence.count
          : '1';
        return parseAs(trainResourceFields.nodes, numeric(count), path);
      }
    }
  }
  throw new ConversionError(
    `spec.templates`,
    `no DAG task of ${String(
      spec.entrypoint,
    )} runs the ${TRAIN_TEMPLATE} template`,
  );
}
