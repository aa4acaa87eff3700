import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import { LLM_OPS_API_VERSION } from './constants';

/** The dataset types, each fitting one job type. @public */
export const DATASET_TYPES = [
  'pretrain_corpus',
  'sft_pair',
  'rag_qa',
  'rlhf_pair',
  'embedding_pair',
] as const;

/** @public */
export type DatasetType = (typeof DATASET_TYPES)[number];

/**
 * A versioned dataset, `kind: Dataset`.
 *
 * @public
 */
export interface DatasetEntity extends Entity {
  apiVersion: typeof LLM_OPS_API_VERSION;
  kind: 'Dataset';
  spec: {
    type: DatasetType;
    owner: string;
    lifecycle: string;
    /** Where the data lives, as a URI with a scheme. */
    storageUri: string;
    /** The DVC-managed git repository and data path, if DVC manages it. */
    dvc?: { repo: string; path: string };
    /** Newest first. */
    versions?: Array<{
      version: string;
      md5?: string;
      size?: number;
      files?: number;
      url?: string;
      date?: string;
    }>;
  };
}

/** JSON schema of the Dataset kind. @public */
export const datasetEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'LlmOpsDatasetV1alpha1',
  description: 'A versioned training or evaluation dataset.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: [LLM_OPS_API_VERSION] },
        kind: { enum: ['Dataset'] },
        spec: {
          type: 'object',
          required: ['type', 'owner', 'lifecycle', 'storageUri'],
          additionalProperties: false,
          properties: {
            type: { enum: [...DATASET_TYPES] },
            owner: { type: 'string', minLength: 1 },
            lifecycle: { type: 'string', minLength: 1 },
            // a URI with a scheme: s3://, gs://, file://, https://…
            storageUri: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://.+' },
            dvc: {
              type: 'object',
              required: ['repo', 'path'],
              additionalProperties: false,
              properties: {
                repo: { type: 'string', minLength: 1 },
                path: { type: 'string', minLength: 1 },
              },
            },
            versions: {
              type: 'array',
              items: {
                type: 'object',
                required: ['version'],
                additionalProperties: false,
                properties: {
                  version: { type: 'string', minLength: 1 },
                  md5: { type: 'string', pattern: '^[0-9a-f]{32}(\\.dir)?$' },
                  size: { type: 'integer', minimum: 0 },
                  files: { type: 'integer', minimum: 0 },
                  url: { type: 'string' },
                  date: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  ],
} as const;

/** @public */
export const datasetEntityValidator =
  entityKindSchemaValidator(datasetEntitySchema);

/** @public */
export function isDatasetEntity(entity: Entity): entity is DatasetEntity {
  return entity.apiVersion === LLM_OPS_API_VERSION && entity.kind === 'Dataset';
}
