import type { JobType, ServeTarget, SpecEnvironment } from './constants';

/**
 * The two variants of an image.
 *
 * @public
 */
export interface ImageVariants {
  gpu: string;
  cpu: string;
}

/**
 * Overrides of the image mapping, as configured under `llmOps.images`.
 * Overrides are partial and merge per key: an environment override wins over
 * the global override, which wins over `DEFAULT_IMAGES`.
 *
 * @public
 */
export interface ImageOverrides {
  train?: Partial<Record<JobType, Partial<ImageVariants>>>;
  serve?: Partial<Record<ServeTarget, Partial<ImageVariants>>>;
  environments?: Partial<
    Record<SpecEnvironment, Omit<ImageOverrides, 'environments'>>
  >;
}

/**
 * What image selection depends on.
 *
 * @public
 */
export interface ImageSelectionOptions {
  /** The document's `use_gpu`; defaults to true. */
  useGpu?: boolean;
  /** The platform setting `llmOps.gpuAvailable`; defaults to true. */
  gpuAvailable?: boolean;
  /** Selects the environment overrides, if any. */
  environment?: SpecEnvironment;
  images?: ImageOverrides;
}

/**
 * A selected image and the variant it was chosen as.
 *
 * @public
 */
export interface SelectedImage {
  image: string;
  variant: 'gpu' | 'cpu';
}

/**
 * The default image mapping: training images for each job type and serving
 * images for each serve target, in gpu and cpu variants.
 *
 * @public
 */
export const DEFAULT_IMAGES: {
  train: Readonly<Record<JobType, ImageVariants>>;
  serve: Readonly<Record<ServeTarget, ImageVariants>>;
} = {
  train: {
    PRETRAIN: {
      gpu: 'registry/llm-train-pretrain:pytorch2.1-cuda12.1-v1',
      cpu: 'registry/llm-train-pretrain:pytorch2.1-cpu-v1',
    },
    SFT: {
      gpu: 'registry/llm-train-sft:pytorch2.1-cuda12.1-v1',
      cpu: 'registry/llm-train-sft:pytorch2.1-cpu-v1',
    },
    RAG_TUNING: {
      gpu: 'registry/llm-train-rag:pytorch2.1-cuda12.1-v1',
      cpu: 'registry/llm-train-rag:pytorch2.1-cpu-v1',
    },
    RLHF: {
      gpu: 'registry/llm-train-rlhf:pytorch2.1-cuda12.1-v1',
      cpu: 'registry/llm-train-rlhf:pytorch2.1-cpu-v1',
    },
    EMBEDDING: {
      gpu: 'registry/llm-train-embedding:pytorch2.1-cuda12.1-v1',
      cpu: 'registry/llm-train-embedding:pytorch2.1-cpu-v1',
    },
  },
  serve: {
    GENERATION: {
      gpu: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
      cpu: 'registry/llm-serve:cpu-v0.5.0',
    },
    RAG: {
      gpu: 'registry/llm-serve-rag:vllm-0.5.0-cuda12.1',
      cpu: 'registry/llm-serve-rag:cpu-v0.5.0',
    },
  },
};

/**
 * Whether the gpu variant applies: the cpu variant is chosen when the
 * document has `use_gpu: false` or the platform has no GPUs.
 */
export function usesGpu(options: ImageSelectionOptions): boolean {
  return options.useGpu !== false && options.gpuAvailable !== false;
}

function select<K extends string>(
  section: 'train' | 'serve',
  key: K,
  defaults: Readonly<Record<K, ImageVariants>>,
  options: ImageSelectionOptions,
): SelectedImage {
  const variant = usesGpu(options) ? 'gpu' : 'cpu';
  const { images, environment } = options;
  const scoped = environment ? images?.environments?.[environment] : undefined;
  const fromEnvironment: Partial<Record<string, Partial<ImageVariants>>> =
    scoped?.[section] ?? {};
  const fromGlobal: Partial<Record<string, Partial<ImageVariants>>> =
    images?.[section] ?? {};
  const image =
    fromEnvironment[key]?.[variant] ??
    fromGlobal[key]?.[variant] ??
    defaults[key][variant];
  return { image, variant };
}

/**
 * Selects the training image of a job type.
 *
 * @public
 */
export function selectTrainImage(
  jobType: JobType,
  options: ImageSelectionOptions = {},
): SelectedImage {
  return select('train', jobType, DEFAULT_IMAGES.train, options);
}

/**
 * Selects the serving image of a serve target.
 *
 * @public
 */
export function selectServeImage(
  serveTarget: ServeTarget,
  options: ImageSelectionOptions = {},
): SelectedImage {
  return select('serve', serveTarget, DEFAULT_IMAGES.serve, options);
}
