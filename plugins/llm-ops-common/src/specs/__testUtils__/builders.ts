import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryModelResolver } from '../InMemoryModelResolver';
import type {
  DeploymentSpec,
  SpecValidationError,
  SpecValidationResult,
  TrainJobSpec,
} from '../types';

/** The folder of the example spec files. */
export const FIXTURES_DIR = path.resolve(__dirname, '../__fixtures__');

/** Reads the documents of a YAML fixture. */
export function readFixture(name: string): unknown[] {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');
  return parseAllDocuments(text).map(doc => doc.toJS());
}

/** The catalog fixture's entities. */
export const catalogEntities = readFixture('catalog.yaml') as Entity[];

export const catalogResolver = new InMemoryModelResolver(catalogEntities);

/** A Model entity for tests. */
export function modelEntity(
  name: string,
  spec: Record<string, unknown>,
): Entity {
  return {
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Model',
    metadata: { name },
    spec: {
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
      source: `hf://org/${name}`,
      ...spec,
    },
  };
}

/** A valid SFT TrainJobSpec against `catalogResolver`. */
export function validTrainJob(): TrainJobSpec {
  return {
    kind: 'TrainJobSpec',
    job_type: 'SFT',
    model_family: 'llama',
    base_model_ref: 'model:default/llama-3-8b',
    dataset_ref: {
      name: 'support-chats',
      version: 'v3',
      type: 'sft_pair',
      storage_uri: 's3://datasets/support-chats/v3',
    },
    hyperparams: {
      lr: 2e-5,
      batch_size: 8,
      num_epochs: 3,
      max_seq_len: 4096,
      precision: 'bf16',
    },
    method: 'lora',
    resources: { gpus: 4, gpu_type: 'nvidia-a100-80gb', nodes: 1 },
    output: {
      artifact_name: 'llama-3-8b-support-sft',
      save_format: 'safetensors',
    },
  };
}

/** A valid canary DeploymentSpec against `catalogResolver`. */
export function validDeployment(): DeploymentSpec {
  return {
    kind: 'DeploymentSpec',
    model_ref: 'model:default/llama-3-8b-sft',
    model_family: 'llama',
    job_type: 'SFT',
    resources: { gpus: 1, gpu_memory_gb: 80 },
    runtime: {
      max_concurrent_requests: 64,
      max_input_tokens: 4096,
      max_output_tokens: 1024,
    },
    rollout: { strategy: 'canary', traffic_split: { old: 90, new: 10 } },
  };
}

/** The errors of a result, or none when it is valid. */
export function errorsOf<T>(
  result: SpecValidationResult<T>,
): SpecValidationError[] {
  return result.valid ? [] : result.errors;
}

/** The rule codes of a result's errors. */
export function rulesOf<T>(result: SpecValidationResult<T>): string[] {
  return errorsOf(result).map(e => e.rule);
}
