import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  Deployment,
  DeploymentDetail,
  DeploymentPage,
  deploymentCreatePermission,
  deploymentPromotePermission,
  deploymentRollbackPermission,
  DeploymentRequest,
  DeploymentStatus,
  deploymentToInferenceService,
  deploymentToRayService,
  validateDeploymentSpec,
} from '@llmops/plugin-llm-ops-common';
import { hashRequest } from '../database/idempotency';
import type {
  DeploymentEnvironment,
  DeploymentRecord,
  ServingBackendId,
} from '../database/records';
import type { Filters } from '../database/SubjectTable';
import { NewOutboxItem, queueItem } from '../queue/operations';
import {
  ApiContext,
  convertOrRefuse,
  ensureQueueCapacity,
  ownerOf,
  refuseNonCompliant,
  requireValid,
  validationOptions,
} from './context';
import { authorizeDeployment } from './deploymentPermissions';
import type { ToolReads } from './ToolReads';
import { describeDeployment, toDeployment } from './views';

const KIND = 'deployments' as const;
const PAGE_SIZE = 50;

/** What a revision is made of: where it runs and its spec. */
type Revision = Pick<
  DeploymentRecord,
  'name' | 'environment' | 'backend' | 'namespace' | 'revision' | 'spec'
>;

/** Deployments: validated, applied to KServe or Ray Serve, changed, promoted, rolled back. */
export class Deployments {
  constructor(
    private readonly ctx: ApiContext,
    private readonly reads: ToolReads,
  ) {}

  validate(spec: unknown, credentials: BackstageCredentials) {
    return validateDeploymentSpec(spec, validationOptions(this.ctx, credentials));
  }

  async create(
    body: DeploymentRequest,
    credentials: BackstageCredentials,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    await authorizeDeployment(this.ctx, deploymentCreatePermission, credentials, {
      environment: body.environment,
    });
    const spec = requireValid(await this.validate(body.spec, credentials));
    const backend = body.backend ?? this.defaultBackend();
    const serving = this.ctx.tools.require('serving', backend);
    await ensureQueueCapacity(this.ctx);
    const revision: Revision = {
      name: body.name,
      environment: body.environment,
      backend,
      namespace: body.namespace,
      revision: 1,
      spec,
    };
    const id = randomUUID();
    const result = await this.ctx.db.deployments.insert(
      {
        id,
        kind: KIND,
        owner: ownerOf(credentials),
        status: 'queued',
        ...revision,
      },
      [await this.applyItem(id, revision, credentials, serving.tool)],
      idempotencyKey
        ? { key: idempotencyKey, requestHash: hashRequest(body) }
        : undefined,
    );
    if (result.created) await this.ctx.queue.deliverDue(id);
    const record = await this.ctx.db.deployments.require(result.record.id);
    return { deployment: toDeployment(record), created: result.created };
  }

  async list(
    query: Filters[typeof KIND] & { cursor?: string; limit?: number },
  ): Promise<DeploymentPage> {
    const { cursor, limit, ...filters } = query;
    const page = await this.ctx.db.deployments.list({
      filters,
      cursor,
      limit: limit ?? PAGE_SIZE,
    });
    return { items: page.items.map(r => toDeployment(r)), nextCursor: page.nextCursor };
  }

  async describe(id: string): Promise<DeploymentDetail> {
    return describeDeployment(this.ctx, await this.ctx.db.deployments.require(id));
  }

  /** The live state from the serving tool; stale when the tool is down. */
  async status(id: string): Promise<DeploymentStatus> {
    const record = await this.ctx.db.deployments.require(id);
    const ref = record.toolState['apply-deployment'];
    if (!ref) return { ready: false, conditions: [], stale: false };
    return this.reads.read(
      'serving',
      `deployment-status:${record.id}`,
      (a, signal) => a.getDeploymentStatus(ref, signal),
      { ready: false, conditions: [] },
      record.backend,
    );
  }

  /** A new model version or a new traffic split: a new revision, applied. */
  async update(
    id: string,
    body: { spec: unknown },
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const record = await this.ctx.db.deployments.require(id);
    await authorizeDeployment(this.ctx, deploymentCreatePermission, credentials, {
      id,
      environment: record.environment,
      owner: record.owner,
    });
    refuseNonCompliant(record);
    const spec = requireValid(await this.validate(body.spec, credentials));
    await ensureQueueCapacity(this.ctx);
    const next: Revision = { ...record, spec, revision: record.revision + 1 };
    return this.change(record, next, `revision ${next.revision}`, [
      await this.applyItem(id, next, credentials, record.backend),
    ]);
  }

  /** Promote gives the new revision all traffic; rollback gives it none. */
  async shiftTraffic(
    id: string,
    direction: 'promote' | 'rollback',
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const record = await this.ctx.db.deployments.require(id);
    await authorizeDeployment(
      this.ctx,
      direction === 'promote' ? deploymentPromotePermission : deploymentRollbackPermission,
      credentials,
      { id, environment: record.environment, owner: record.owner },
    );
    refuseNonCompliant(record);
    const split = direction === 'promote' ? { old: 0, new: 100 } : { old: 100, new: 0 };
    const { old: o, new: n } = record.spec.rollout.traffic_split;
    if (o === split.old && n === split.new) {
      throw new ConflictError(`Deployment ${id} already has ${split.new}% on the new revision`);
    }
    const serving = this.ctx.tools.require('serving', record.backend);
    const next: Revision = {
      ...record,
      revision: record.revision + 1,
      spec: { ...record.spec, rollout: { ...record.spec.rollout, traffic_split: split } },
    };
    return this.change(record, next, `${direction} to ${split.old}/${split.new}`, [
      queueItem('set-traffic', {
        tool: serving.tool,
        dedupeKey: `${id}:traffic:${next.revision}`,
        payload: { name: record.name, namespace: record.namespace, split },
      }),
    ]);
  }

  /** Stores a new revision with its queue items, then delivers them. */
  private async change(
    record: DeploymentRecord,
    next: Revision,
    reason: string,
    items: NewOutboxItem[],
  ) {
    await this.ctx.db.outbox.enqueue(record.id, items);
    await this.ctx.db.deployments.update(record.id, {
      status: 'queued',
      reason,
      fields: { spec: next.spec, revision: next.revision },
    });
    await this.ctx.queue.deliverDue(record.id);
    return toDeployment(await this.ctx.db.deployments.require(record.id));
  }

  private defaultBackend(): ServingBackendId {
    return this.ctx.tools.find('serving', 'kserve') ||
      !this.ctx.tools.find('serving', 'rayserve')
      ? 'kserve'
      : 'rayserve';
  }

  /** The converted manifest of a revision, as a queue item. */
  private async applyItem(
    id: string,
    revision: Revision,
    credentials: BackstageCredentials,
    tool: string,
  ): Promise<NewOutboxItem> {
    const model = await validationOptions(this.ctx, credentials).resolver.resolve(
      revision.spec.model_ref,
    );
    const options = {
      model: { source: model!.source },
      name: revision.name,
      namespace: revision.namespace,
      images: this.ctx.specs.images,
      environment: this.ctx.specs.environment,
      gpuAvailable: this.ctx.specs.gpuAvailable,
    };
    const manifest = convertOrRefuse(() =>
      revision.backend === 'rayserve'
        ? deploymentToRayService(revision.spec, options)
        : deploymentToInferenceService(revision.spec, options),
    );
    return queueItem('apply-deployment', {
      tool,
      dedupeKey: `${id}:apply:${revision.revision}`,
      payload: { manifests: [manifest] },
    });
  }
}

export type { DeploymentEnvironment };
