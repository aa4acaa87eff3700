import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import { JOB_TYPES } from '../specs/constants';
import { LLM_OPS_API_VERSION } from './constants';

/**
 * A training job the portal ran, `kind: TrainingJob`: the lineage node
 * between the dataset version it read and the model versions it registered.
 * The catalog module's `TrainingJobEntityProvider` emits one per job; its
 * name is the job's id.
 *
 * @public
 */
export interface TrainingJobEntity extends Entity {
  apiVersion: typeof LLM_OPS_API_VERSION;
  kind: 'TrainingJob';
  spec: {
    owner: string;
    /** The job's status in the portal: queued, running, succeeded, … */
    status: string;
    jobType: (typeof JOB_TYPES)[number];
    modelFamily: string;
    /** The Model entity it fine-tunes; absent for PRETRAIN. */
    baseModel?: string;
    trainedOn: Array<{ dataset: string; version: string }>;
    /** The model versions it registered: a Model entity ref and its version. */
    produced?: Array<{ model: string; version: string }>;
    gpuHours?: number;
    startedAt?: string;
    finishedAt?: string;
  };
}

const refString = { type: 'string', minLength: 1 };

/** JSON schema of the TrainingJob kind. @public */
export const trainingJobEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'LlmOpsTrainingJobV1alpha1',
  description: 'A training job and the lineage it recorded.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: [LLM_OPS_API_VERSION] },
        kind: { enum: ['TrainingJob'] },
        spec: {
          type: 'object',
          required: ['owner', 'status', 'jobType', 'modelFamily', 'trainedOn'],
          additionalProperties: false,
          properties: {
            owner: refString,
            status: refString,
            jobType: { enum: [...JOB_TYPES] },
            modelFamily: refString,
            baseModel: refString,
            trainedOn: {
              type: 'array',
              items: {
                type: 'object',
                required: ['dataset', 'version'],
                additionalProperties: false,
                properties: { dataset: refString, version: refString },
              },
            },
            produced: {
              type: 'array',
              items: {
                type: 'object',
                required: ['model', 'version'],
                additionalProperties: false,
                properties: { model: refString, version: refString },
              },
            },
            gpuHours: { type: 'number', minimum: 0 },
            startedAt: { type: 'string' },
            finishedAt: { type: 'string' },
          },
        },
      },
    },
  ],
} as const;

/** @public */
export const trainingJobEntityValidator = entityKindSchemaValidator(
  trainingJobEntitySchema,
);

/** @public */
export function isTrainingJobEntity(
  entity: Entity,
): entity is TrainingJobEntity {
  return (
    entity.apiVersion === LLM_OPS_API_VERSION && entity.kind === 'TrainingJob'
  );
}
