import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  LLM_OPS_API_VERSION,
} from './constants';

/**
 * A model served by KServe or Ray Serve, `kind: Deployment`. It carries
 * `backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector`,
 * so the Kubernetes tab finds its pods.
 *
 * @public
 */
export interface DeploymentEntity extends Entity {
  apiVersion: typeof LLM_OPS_API_VERSION;
  kind: 'Deployment';
  spec: {
    model: string;
    serveTarget: 'GENERATION' | 'RAG';
    backend: 'kserve' | 'rayserve';
    cluster: string;
    namespace: string;
    environment: 'dev' | 'stg' | 'prod';
    owner: string;
    lifecycle: string;
    endpoint?: string;
    runtime?: {
      maxConcurrentRequests?: number;
      maxInputTokens?: number;
      maxOutputTokens?: number;
    };
    rollout?: {
      /** canary and blue-green split traffic; rolling and recreate replace the version. */
      strategy: 'blue-green' | 'canary' | 'rolling' | 'recreate';
      trafficSplit: { old: number; new: number };
    };
    status?: {
      ready?: boolean;
      conditions?: Array<{
        type: string;
        status: 'True' | 'False' | 'Unknown';
        reason?: string;
        message?: string;
        lastTransitionTime?: string;
      }>;
    };
  };
}

const positiveInt = { type: 'integer', minimum: 1 };
const k8sName = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const percent = { type: 'integer', minimum: 0, maximum: 100 };

/** JSON schema of the Deployment kind. @public */
export const deploymentEntitySchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'LlmOpsDeploymentV1alpha1',
  description: 'A serving deployment of a model.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec', 'metadata'],
      properties: {
        apiVersion: { enum: [LLM_OPS_API_VERSION] },
        kind: { enum: ['Deployment'] },
        metadata: {
          type: 'object',
          required: ['annotations'],
          properties: {
            annotations: {
              type: 'object',
              // how the Kubernetes plugin finds the pods
              anyOf: [
                { required: [ANNOTATION_KUBERNETES_ID] },
                { required: [ANNOTATION_KUBERNETES_LABEL_SELECTOR] },
              ],
            },
          },
        },
        spec: {
          type: 'object',
          required: [
            'model',
            'serveTarget',
            'backend',
            'cluster',
            'namespace',
            'environment',
            'owner',
            'lifecycle',
          ],
          additionalProperties: false,
          properties: {
            model: { type: 'string', minLength: 1 },
            serveTarget: { enum: ['GENERATION', 'RAG'] },
            backend: { enum: ['kserve', 'rayserve'] },
            cluster: { type: 'string', minLength: 1 },
            namespace: k8sName,
            environment: { enum: ['dev', 'stg', 'prod'] },
            owner: { type: 'string', minLength: 1 },
            lifecycle: { type: 'string', minLength: 1 },
            endpoint: { type: 'string', pattern: '^https?://' },
            runtime: {
              type: 'object',
              additionalProperties: false,
              properties: {
                maxConcurrentRequests: positiveInt,
                maxInputTokens: positiveInt,
                maxOutputTokens: positiveInt,
              },
            },
            rollout: {
              type: 'object',
              required: ['strategy', 'trafficSplit'],
              additionalProperties: false,
              properties: {
                strategy: { enum: ['blue-green', 'canary', 'rolling', 'recreate'] },
                trafficSplit: {
                  type: 'object',
                  required: ['old', 'new'],
                  additionalProperties: false,
                  properties: { old: percent, new: percent },
                },
              },
            },
            status: {
              type: 'object',
              additionalProperties: false,
              properties: {
                ready: { type: 'boolean' },
                conditions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['type', 'status'],
                    additionalProperties: false,
                    properties: {
                      type: { type: 'string', minLength: 1 },
                      status: { enum: ['True', 'False', 'Unknown'] },
                      reason: { type: 'string' },
                      message: { type: 'string' },
                      lastTransitionTime: { type: 'string' },
                    },
                  },
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
export const deploymentEntityValidator = entityKindSchemaValidator(
  deploymentEntitySchema,
);

/** @public */
export function isDeploymentEntity(entity: Entity): entity is DeploymentEntity {
  return (
    entity.apiVersion === LLM_OPS_API_VERSION && entity.kind === 'Deployment'
  );
}
