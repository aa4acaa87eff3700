import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  deploymentCreatePermission,
  deploymentPromotePermission,
  deploymentRollbackPermission,
  deploymentToInferenceService,
  deploymentToRayService,
  DeploymentSpec,
  validateDeploymentSpec,
} from '@llmops/plugin-llm-ops-common';
import { hashRequest, SubjectRecord } from '../database/LlmOpsStore';
import {
  ApiContext,
  ensureQueueCapacity,
  ownerOf,
  refuseNonCompliant,
  requireValid,
  validationOptions,
} from './context';
import { authorizeDeployment } from './deploymentPermissions';

const KIND = 'deployments' as const;

/** What a deployment record stores: the request and its rollout revision. */
export interface DeploymentState {
  name: string;
  environment: 'dev' | 'stg' | 'prod';
  backend: 'kserve' | 'rayserve';
  namespace?: string;
  revision: number;
  spec: DeploymentSpec;
}

export interface DeploymentRequest {
  name: string;
  environment: DeploymentState['environment'];
  backend?: DeploymentState['backend'];
  namespace?: string;
  spec: unknown;
}

const stateOf = (record: SubjectRecord) => record.spec as unknown as DeploymentState;

export class Deployments {
  constructor(private readonly ctx: ApiContext) {}

  validate(spec: unknown, credentials: BackstageCredentials) {
    return validateDeploymentSpec(spec, validationOptions(this.ctx, credentials));
  }

  async create(
    body: DeploymentRequest,
    credentials: BackstageCredentials,
    idempotencyKey?: string,
  ) {
    await authorizeDeployment(this.ctx, deploymentCreatePermission, credentials, {
      environment: body.environment,
    });
    const spec = requireValid(await this.validate(body.spec, credentials));
    const backend = body.backend ?? this.defaultBackend();
    const serving = this.ctx.gateway.require('serving', backend);
    await ensureQueueCapacity(this.ctx);
    const state: DeploymentState = {
      name: body.name,
      environment: body.environment,
      backend,
      namespace: body.namespace,
      revision: 1,
      spec,
    };
    const id = randomUUID();
    const result = await this.ctx.store.insert(
      {
        id,
        kind: KIND,
        owner: ownerOf(credentials),
        status: 'queued',
        spec: state as unknown as Record<string, unknown>,
        columns: { environment: body.environment, model_ref: spec.model_ref, name: body.name },
      },
      [await this.applyItem(id, state, credentials, serving.tool)],
      idempotencyKey ? { key: idempotencyKey, requestHash: hashRequest(body) } : undefined,
    );
    if (result.created) await this.ctx.queue.deliverDue(id);
    return { deployment: (await this.ctx.store.get(KIND, result.record.id))!, created: result.created };
  }

  /** A new model version or a new traffic split: a new revision, applied. */
  async update(id: string, body: { spec: unknown }, credentials: BackstageCredentials) {
    const record = await this.ctx.store.require(KIND, id);
    const current = stateOf(record);
    await authorizeDeployment(this.ctx, deploymentCreatePermission, credentials, {
      id,
      environment: current.environment,
      owner: record.owner,
    });
    refuseNonCompliant(record);
    const spec = requireValid(await this.validate(body.spec, credentials));
    await ensureQueueCapacity(this.ctx);
    const next = { ...current, spec, revision: current.revision + 1 };
    await this.ctx.store.enqueue(id, [
      await this.applyItem(id, next, credentials, current.backend),
    ]);
    await this.ctx.store.update(KIND, id, {
      status: 'queued',
      reason: `revision ${next.revision}`,
      spec: next as unknown as Record<string, unknown>,
      columns: { model_ref: spec.model_ref },
    });
    await this.ctx.queue.deliverDue(id);
    return (await this.ctx.store.get(KIND, id))!;
  }

  /** Promote gives the new revision all traffic; rollback gives it none. */
  async shiftTraffic(
    id: string,
    direction: 'promote' | 'rollback',
    credentials: BackstageCredentials,
  ) {
    const record = await this.ctx.store.require(KIND, id);
    const current = stateOf(record);
    await authorizeDeployment(
      this.ctx,
      direction === 'promote' ? deploymentPromotePermission : deploymentRollbackPermission,
      credentials,
      { id, environment: current.environment, owner: record.owner },
    );
    refuseNonCompliant(record);
    const split = direction === 'promote' ? { old: 0, new: 100 } : { old: 100, new: 0 };
    const { old: o, new: n } = current.spec.rollout.traffic_split;
    if (o === split.old && n === split.new) {
      throw new ConflictError(`Deployment ${id} already has ${split.new}% on the new revision`);
    }
    const serving = this.ctx.gateway.require('serving', current.backend);
    const next: DeploymentState = {
      ...current,
      revision: current.revision + 1,
      spec: { ...current.spec, rollout: { ...current.spec.rollout, traffic_split: split } },
    };
    await this.ctx.store.enqueue(id, [
      {
        tool: serving.tool,
        operation: 'set-traffic',
        dedupeKey: `${id}:traffic:${next.revision}`,
        payload: { name: current.name, namespace: current.namespace, split },
      },
    ]);
    await this.ctx.store.update(KIND, id, {
      status: 'queued',
      reason: `${direction} to ${split.old}/${split.new}`,
      spec: next as unknown as Record<string, unknown>,
    });
    await this.ctx.queue.deliverDue(id);
    return (await this.ctx.store.get(KIND, id))!;
  }

  private defaultBackend(): DeploymentState['backend'] {
    return this.ctx.gateway.find('serving', 'kserve') || !this.ctx.gateway.find('serving', 'rayserve')
      ? 'kserve'
      : 'rayserve';
  }

  /** The converted manifest of a revision, as a queue item. */
  private async applyItem(
    id: string,
    state: DeploymentState,
    credentials: BackstageCredentials,
    tool: string,
  ) {
    const model = await validationOptions(this.ctx, credentials).resolver.resolve(
      state.spec.model_ref,
    );
    const options = {
      model: { source: model!.source },
      name: state.name,
      namespace: state.namespace,
      images: this.ctx.specs.images,
      environment: this.ctx.specs.environment,
      gpuAvailable: this.ctx.specs.gpuAvailable,
    };
    const manifest =
      state.backend === 'rayserve'
        ? deploymentToRayService(state.spec, options)
        : deploymentToInferenceService(state.spec, options);
    return {
      tool,
      operation: 'apply-deployment',
      dedupeKey: `${id}:apply:${state.revision}`,
      payload: { manifests: [manifest] },
    };
  }
}
