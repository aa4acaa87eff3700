import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  datasetEntityValidator,
  deploymentEntityValidator,
  isDatasetEntity,
  isDeploymentEntity,
  isModelEntity,
  isTrainingJobEntity,
  modelEntityValidator,
  RELATION_BASE_OF,
  RELATION_DERIVED_FROM,
  RELATION_PRODUCED,
  RELATION_PRODUCED_BY,
  RELATION_SERVED_BY,
  RELATION_SERVES,
  RELATION_TRAINED,
  RELATION_TRAINED_ON,
  trainingJobEntityValidator,
} from '@llmops/plugin-llm-ops-common';

const validators = [
  modelEntityValidator,
  datasetEntityValidator,
  deploymentEntityValidator,
  trainingJobEntityValidator,
];

/**
 * Validates `Model`, `Dataset`, `Deployment` and `TrainingJob` entities against their JSON
 * schemas and emits their ownership and lineage relations, both ways. Pure:
 * it reads nothing and writes nothing.
 *
 * @public
 */
export class LlmOpsEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'LlmOpsEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    for (const validate of validators) {
      try {
        if (validate(entity)) return true;
      } catch (error) {
        // The validator's TypeError names the field and the rule.
        throw new InputError(
          `Invalid ${entity.kind} entity ${entity.metadata?.name}: ${
            (error as Error).message
          }`,
        );
      }
    }
    return false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const self = getCompoundEntityRef(entity);
    const namespace = self.namespace;
    const link = (
      target: string,
      defaultKind: string,
      forward: string,
      backward: string,
    ) => {
      const ref = parseEntityRef(target, {
        defaultKind,
        defaultNamespace: namespace,
      });
      emit(
        processingResult.relation({ source: self, type: forward, target: ref }),
      );
      emit(
        processingResult.relation({
          source: ref,
          type: backward,
          target: self,
        }),
      );
    };

    if (
      isModelEntity(entity) ||
      isDatasetEntity(entity) ||
      isDeploymentEntity(entity) ||
      isTrainingJobEntity(entity)
    ) {
      link(entity.spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    }
    if (isModelEntity(entity)) {
      if (entity.spec.baseModel) {
        link(
          entity.spec.baseModel,
          'Model',
          RELATION_DERIVED_FROM,
          RELATION_BASE_OF,
        );
      }
      for (const { dataset } of entity.spec.trainedOn ?? []) {
        link(dataset, 'Dataset', RELATION_TRAINED_ON, RELATION_TRAINED);
      }
    }
    if (isTrainingJobEntity(entity)) {
      // dataset version -> job -> model version: the job's own record.
      if (entity.spec.baseModel) {
        link(
          entity.spec.baseModel,
          'Model',
          RELATION_DERIVED_FROM,
          RELATION_BASE_OF,
        );
      }
      for (const { dataset } of entity.spec.trainedOn) {
        link(dataset, 'Dataset', RELATION_TRAINED_ON, RELATION_TRAINED);
      }
      for (const model of new Set(entity.spec.produced?.map(p => p.model))) {
        link(model, 'Model', RELATION_PRODUCED, RELATION_PRODUCED_BY);
      }
    }
    if (isDeploymentEntity(entity)) {
      link(entity.spec.model, 'Model', RELATION_SERVES, RELATION_SERVED_BY);
    }
    return entity;
  }
}
