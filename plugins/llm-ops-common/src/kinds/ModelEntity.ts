import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import { JOB_TYPES } from '../specs/constants';
import { LLM_OPS_API_VERSION } from './constants';

/**
 * A base or fine-tuned model, `kind: Model`.
 *
 * @public
 */
export interface ModelEntity extends Entity {
  apiVersion: typeof LLM_OPS_API_VERSION;
  kind: 'Model';
  spec: {
    type: 'base' | 'fine-tuned';
    family: string;
    owner: string;
    lifecycle: string;
    maxPositionEmbeddings: number;
    /** `hf://org/name[@rev]`, `mlflow://models/<name>/<version>` or an artifact URI. */
    source: string;
    parameterCount?: number;
    /** Fine-tuned models only: jobType, baseModel, trainedOn and trainingJob. */
    jobType?: (typeof JOB_TYPES)[number];
    baseModel?: string;
    trainedOn?: Array<{ dataset: string; version: string }>;
    trainingJob?: string;
    serving?: { minGpus?: number; minGpuMemoryGb?: number };
    /**
     * The registry's versions and aliases, when the entity stands for a
     * registered model (one entity per registered model); the other fields
     * describe its current version (see `currentVersion`).
     */
    registry?: {
      /** The version the rest of the spec describes. */
      currentVersion?: string;
      versions?: Array<{
        version: string;
        stage?: string;
        status?: string;
        runId?: string;
        source?: string;
        /** ISO 8601. */
        createdAt?: string;
      }>;
      aliases?: Record<string, string>;
    };
  };
}

const refString = { type: 'string', minLength: 1 };

/**
 * JSON schema of the Model kind. It builds on the base `Entity` schema and
 * pins `apiVersion` and `kind`, so "not a Model" is told apart from "invalid".
 *
 * @public
 */
export const modelEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'LlmOpsModelV1alpha1',
  description: 'A base or fine-tuned large language model.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: [LLM_OPS_API_VERSION] },
        kind: { enum: ['Model'] },
        spec: {
          type: 'object',
          required: [
            'type',
            'family',
            'owner',
            'lifecycle',
            'maxPositionEmbeddings',
            'source',
          ],
          additionalProperties: false,
          properties: {
            type: { enum: ['base', 'fine-tuned'] },
            family: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' },
            owner: refString,
            lifecycle: refString,
            maxPositionEmbeddings: { type: 'integer', minimum: 1 },
            source: {
              type: 'string',
              pattern:
                '^(hf://|mlflow://models/|s3://|gs://|pvc://|file://|https?://)',
            },
            parameterCount: { type: 'integer', minimum: 1 },
            jobType: { enum: [...JOB_TYPES] },
            baseModel: refString,
            trainedOn: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['dataset', 'version'],
                additionalProperties: false,
                properties: { dataset: refString, version: refString },
              },
            },
            trainingJob: refString,
            serving: {
              type: 'object',
              additionalProperties: false,
              properties: {
                minGpus: { type: 'integer', minimum: 0 },
                minGpuMemoryGb: { type: 'number', exclusiveMinimum: 0 },
              },
            },
            registry: {
              type: 'object',
              additionalProperties: false,
              properties: {
                currentVersion: refString,
                versions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['version'],
                    additionalProperties: false,
                    properties: {
                      version: refString,
                      stage: { type: 'string' },
                      status: { type: 'string' },
                      runId: { type: 'string' },
                      source: { type: 'string' },
                      createdAt: { type: 'string' },
                    },
                  },
                },
                aliases: {
                  type: 'object',
                  propertyNames: { pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' },
                  additionalProperties: refString,
                },
              },
            },
          },
          allOf: [
            {
              // A fine-tuned model names its lineage in full.
              if: {
                required: ['type'],
                properties: { type: { const: 'fine-tuned' } },
              },
              then: {
                required: ['jobType', 'baseModel', 'trainedOn', 'trainingJob'],
              },
            },
            {
              // A base model has no lineage: each field is refused by name.
              if: {
                required: ['type'],
                properties: { type: { const: 'base' } },
              },
              then: {
                properties: {
                  jobType: false,
                  baseModel: false,
                  trainedOn: false,
                  trainingJob: false,
                },
              },
            },
          ],
        },
      },
    },
  ],
} as const;

/**
 * Returns the entity when it is a valid Model, `false` when it is not a Model
 * at all, and throws a `TypeError` naming the field when it is an invalid one.
 *
 * @public
 */
export const modelEntityValidator =
  entityKindSchemaValidator(modelEntitySchema);

/** @public */
export function isModelEntity(entity: Entity): entity is ModelEntity {
  return entity.apiVersion === LLM_OPS_API_VERSION && entity.kind === 'Model';
}
