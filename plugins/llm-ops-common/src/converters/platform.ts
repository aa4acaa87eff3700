import {
  PLATFORM_DEFAULTS,
  ResourceShare,
  settingsForEnvironment,
} from '../specs/platformSettings';
import type { ConversionOptions } from './types';

/** CPU and memory of a pod: the spec's figures, else the share × GPUs. */
export interface PodSize {
  cpus: number;
  memoryGb: number;
  /** The spec fields that were left out and took the share. */
  defaulted: Array<'resources.cpus' | 'resources.memory_gb'>;
}

export function podSize(
  spec: { cpus?: number; memory_gb?: number },
  share: ResourceShare,
  gpus: number,
): PodSize {
  const times = Math.max(gpus, 1);
  return {
    cpus: spec.cpus ?? Math.round(share.cpu * times * 1000) / 1000,
    memoryGb: spec.memory_gb ?? share.memoryGb * times,
    defaulted: [
      ...(spec.cpus === undefined ? (['resources.cpus'] as const) : []),
      ...(spec.memory_gb === undefined
        ? (['resources.memory_gb'] as const)
        : []),
    ],
  };
}

/** The training settings of the conversion's environment, with the defaults. */
export function trainingPlatform(options: ConversionOptions) {
  const { training } = settingsForEnvironment(options);
  return {
    serviceAccountName: training.serviceAccountName,
    command: training.command,
    activeDeadlineSeconds:
      training.activeDeadlineSeconds ?? PLATFORM_DEFAULTS.activeDeadlineSeconds,
    share(gpuType: string | undefined): ResourceShare {
      const byType = own(training.resourcesPerGpuByType, gpuType);
      return (
        byType ??
        training.resourcesPerGpu ??
        PLATFORM_DEFAULTS.trainingResourcesPerGpu
      );
    },
  };
}

/** The serving settings of the conversion's environment, with the defaults. */
export function servingPlatform(options: ConversionOptions) {
  const { serving } = settingsForEnvironment(options);
  return {
    serviceAccountName: serving.serviceAccountName,
    deploymentMode: serving.deploymentMode ?? PLATFORM_DEFAULTS.deploymentMode,
    hfToken: serving.secrets?.hfToken,
    storageSecret: serving.secrets?.storage?.name,
    rayHead:
      serving.rayService?.headResources ?? PLATFORM_DEFAULTS.rayHeadResources,
    incrementalUpgrade: serving.rayService?.incrementalUpgrade,
    share(family: string): ResourceShare {
      return (
        own(serving.resourcesPerGpuByFamily, family) ??
        serving.resourcesPerGpu ??
        PLATFORM_DEFAULTS.servingResourcesPerGpu
      );
    },
  };
}

function own<T>(
  map: Record<string, T> | undefined,
  key: string | undefined,
): T | undefined {
  return map && key !== undefined && Object.hasOwn(map, key)
    ? map[key]
    : undefined;
}
