import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  Deployment,
  DeploymentDetail,
  DeploymentPage,
  deploymentCreatePermission,
  deploymentUpdatePermission,
  deploymentPromotePermission,
  deploymentRetryPermission,
  deploymentRollbackPermission,
  DeploymentRequest,
  DeploymentSpec,
  DeploymentStatus,
  deploymentToInferenceService,
  deploymentToRayService,
  mlflowModelSource,
  ModelResolver,
  parseMlflowModelSource,
  parseModelVersion,
  resolveModelVersion,
  servingTargetOf,
  SpecValidationError,
  SpecValidationResult,
  validateDeploymentSpec,
} from '@llmops/plugin-llm-ops-common';
import { isToolError } from '@llmops/plugin-llm-ops-node';
import { hashRequest } from '../database/idempotency';
import type {
  DeploymentEnvironment,
  DeploymentRecord,
  ServingBackendId,
} from '../database/records';
import type { Filters } from '../database/SubjectTable';
import type { DeploymentConverter } from '../queue/deliveryHandlers';
import {
  DeploymentRevision,
  NewOutboxItem,
  queueItem,
} from '../queue/operations';
import {
  ApiContext,
  convertOrRefuse,
  ensureQueueCapacity,
  ownerOf,
  refuseNonCompliant,
  requeueFailedDeliveries,
  requireValid,
  SpecInvalidError,
  validationOptions,
} from './context';
import { placeDeployment } from './environments';
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

  /**
   * The spec's checks; with its target (environment and backend), also the
   * rollout rules of that backend's mode (a canary is refused where it
   * would not be enforced).
   */
  async validate(
    spec: unknown,
    credentials: BackstageCredentials,
    target?: {
      environment?: DeploymentEnvironment;
      backend?: ServingBackendId;
    },
  ) {
    const backend = target?.backend ?? this.defaultBackend();
    const environment = target?.environment ?? this.ctx.specs.environment;
    const name = backend === 'kserve' ? 'KServe' : 'Ray Serve';
    // one resolver: the rules and the registry check read the Model once
    const options = validationOptions(this.ctx, credentials);
    const result = await validateDeploymentSpec(spec, {
      ...options,
      servingTarget: {
        ...servingTargetOf(backend, { ...this.ctx.specs, environment }),
        // said on the form's first step, not when Apply fails
        ...(this.ctx.tools.find('serving', backend)
          ? {}
          : {
              notConfigured: `No ${name} is configured in this portal (llmOps.integrations.${backend}), so nothing can be deployed${
                environment ? ` to ${environment}` : ''
              } yet: ask your platform team to configure it`,
            }),
      },
    });
    if (!result.valid) return result;
    return this.pinModelVersion(result.spec, options.resolver);
  }

  /**
   * The spec with its `model_version` checked against MLflow's registry, an
   * alias pinned to the version it points at now. While MLflow is down the
   * spec stays as given: the version is checked when the revision is
   * delivered (see `deploymentConverter`).
   */
  private async pinModelVersion(
    spec: DeploymentSpec,
    resolver: ModelResolver,
  ): Promise<SpecValidationResult<DeploymentSpec>> {
    const ref = spec.model_version && parseModelVersion(spec.model_version);
    if (!ref) return { valid: true, spec, errors: [] };
    const refuse = (
      rule: SpecValidationError['rule'],
      message: string,
    ): SpecValidationResult<DeploymentSpec> => ({
      valid: false,
      errors: [{ path: 'model_version', rule, message }],
    });
    const model = await resolver.resolve(spec.model_ref);
    const name = model?.registeredModel;
    if (!name) {
      return refuse(
        'model_version.not_registered',
        `${spec.model_ref} is not an MLflow registered model (no llmops.dev/mlflow-model annotation, no mlflow:// source), so it has no versions to pick: leave the version out to serve its source`,
      );
    }
    const tracker = this.ctx.tools.find('experiment-tracking');
    if (!tracker) {
      return refuse(
        'model_version.not_registered',
        `No MLflow is configured in this portal (llmOps.integrations.mlflow), so the versions of ${name} cannot be checked: leave the version out to serve the Model's source`,
      );
    }
    let registered;
    try {
      registered = await this.ctx.tools.call(tracker, (a, signal) =>
        a.getRegisteredModel(name, signal),
      );
    } catch (error) {
      if (isToolError(error) && error.transient) {
        return { valid: true, spec, errors: [] };
      }
      if (isToolError(error) && error.statusCode === 404) {
        return refuse(
          'model_version.not_registered',
          `${name} is not in MLflow's model registry`,
        );
      }
      throw error;
    }
    const found = resolveModelVersion(registered, ref);
    if ('problem' in found)
      return refuse('model_version.unknown', found.problem);
    return {
      valid: true,
      spec: { ...spec, model_version: found.version },
      errors: [],
    };
  }

  async create(
    body: DeploymentRequest,
    credentials: BackstageCredentials,
    idempotencyKey?: string,
  ): Promise<{ deployment: Deployment; created: boolean }> {
    await authorizeDeployment(
      this.ctx,
      deploymentCreatePermission,
      credentials,
      {
        environment: body.environment,
      },
    );
    const backend = body.backend ?? this.defaultBackend();
    const spec = requireValid(
      await this.validate(body.spec, credentials, {
        environment: body.environment,
        backend,
      }),
    );
    const serving = this.ctx.tools.require('serving', backend);
    // The environment is a boundary: its cluster, and its namespaces only.
    const place = placeDeployment(
      this.ctx.environments,
      body.environment,
      {
        tool: serving.tool,
        cluster: serving.cluster,
        namespace: serving.namespace ?? 'default',
      },
      body.namespace,
    );
    await ensureQueueCapacity(this.ctx);
    const revision: Revision = {
      name: body.name,
      environment: body.environment,
      backend,
      namespace: place.namespace,
      revision: 1,
      spec,
    };
    const taken = await this.ctx.db.deployments.findPlaced({
      backend,
      cluster: place.cluster,
      namespace: place.namespace,
      name: body.name,
    });
    if (taken && !(idempotencyKey && taken.owner === ownerOf(credentials))) {
      throw new ConflictError(
        `name: ${backend} ${place.namespace}/${body.name} on ${place.cluster} is already deployment ${taken.id}; change that one (PUT /deployments/${taken.id}) or pick another name`,
      );
    }
    const id = randomUUID();
    const result = await this.ctx.db.deployments
      .insert(
        {
          id,
          kind: KIND,
          owner: ownerOf(credentials),
          status: 'queued',
          cluster: place.cluster,
          ...revision,
        },
        [await this.applyItem(id, revision, credentials, serving.tool)],
        idempotencyKey
          ? { key: idempotencyKey, requestHash: hashRequest(body) }
          : undefined,
      )
      .catch(async error => {
        // two creates raced for one place: the unique index kept one
        const winner = await this.ctx.db.deployments.findPlaced({
          backend,
          cluster: place.cluster,
          namespace: place.namespace,
          name: body.name,
        });
        if (!winner) throw error;
        throw new ConflictError(
          `name: ${backend} ${place.namespace}/${body.name} on ${place.cluster} is already deployment ${winner.id}`,
        );
      });
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
    return {
      items: page.items.map(r => toDeployment(r)),
      nextCursor: page.nextCursor,
    };
  }

  async describe(id: string): Promise<DeploymentDetail> {
    return describeDeployment(
      this.ctx,
      await this.ctx.db.deployments.require(id),
    );
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
    await authorizeDeployment(
      this.ctx,
      deploymentUpdatePermission,
      credentials,
      {
        id,
        environment: record.environment,
        owner: record.owner,
      },
    );
    refuseNonCompliant(record);
    const spec = requireValid(
      await this.validate(body.spec, credentials, record),
    );
    await ensureQueueCapacity(this.ctx);
    const next: Revision = { ...record, spec, revision: record.revision + 1 };
    return this.change(
      record,
      next,
      `revision ${next.revision}`,
      [await this.applyItem(id, next, credentials, record.backend)],
      credentials,
    );
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
      direction === 'promote'
        ? deploymentPromotePermission
        : deploymentRollbackPermission,
      credentials,
      { id, environment: record.environment, owner: record.owner },
    );
    refuseNonCompliant(record);
    const { strategy } = record.spec.rollout;
    if (strategy !== 'canary' && strategy !== 'blue-green') {
      throw new ConflictError(
        `Deployment ${id} rolls out with strategy ${strategy}: it has no traffic split to ${direction}; change its spec to deploy another model version`,
      );
    }
    const split =
      direction === 'promote' ? { old: 0, new: 100 } : { old: 100, new: 0 };
    const { old: o, new: n } = record.spec.rollout.traffic_split;
    if (o === split.old && n === split.new) {
      throw new ConflictError(
        `Deployment ${id} already has ${split.new}% on the new revision`,
      );
    }
    const serving = this.ctx.tools.require('serving', record.backend);
    const next: Revision = {
      ...record,
      revision: record.revision + 1,
      spec: {
        ...record.spec,
        rollout: { ...record.spec.rollout, traffic_split: split },
      },
    };
    return this.change(
      record,
      next,
      `${direction} to ${split.old}/${split.new}`,
      [
        queueItem('set-traffic', {
          tool: serving.tool,
          dedupeKey: `${id}:traffic:${next.revision}`,
          payload: {
            name: record.name,
            namespace: record.namespace,
            split,
            revision: next.revision,
          },
        }),
      ],
      credentials,
    );
  }

  /** Requeues the changes the queue gave up on, in their order, and delivers them. */
  async retry(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Deployment> {
    const record = await this.ctx.db.deployments.require(id);
    await authorizeDeployment(
      this.ctx,
      deploymentRetryPermission,
      credentials,
      {
        id,
        environment: record.environment,
        owner: record.owner,
      },
    );
    refuseNonCompliant(record);
    await requeueFailedDeliveries(this.ctx, 'deployments', id, 'Deployment');
    return toDeployment(await this.ctx.db.deployments.require(id));
  }

  /** Stores a new revision with its queue items, then delivers them. */
  private async change(
    record: DeploymentRecord,
    next: Revision,
    reason: string,
    items: NewOutboxItem[],
    credentials: BackstageCredentials,
  ) {
    // One transaction: the next revision only if the record is still at
    // this one (else 409), its items, and older undelivered items of the
    // same kind superseded; the queue then delivers them in order.
    await this.ctx.db.deployments.updateRevision(
      record.id,
      record.revision,
      {
        status: 'queued',
        reason,
        fields: { spec: next.spec },
        actor: ownerOf(credentials),
      },
      { items },
    );
    await this.ctx.queue.deliverDue(record.id);
    return toDeployment(await this.ctx.db.deployments.require(record.id));
  }

  private defaultBackend(): ServingBackendId {
    return this.ctx.tools.find('serving', 'kserve') ||
      !this.ctx.tools.find('serving', 'rayserve')
      ? 'kserve'
      : 'rayserve';
  }

  /** A revision as a queue item: converted when it is delivered (see `convertRevision`). */
  private async applyItem(
    id: string,
    revision: Revision,
    credentials: BackstageCredentials,
    tool: string,
  ): Promise<NewOutboxItem> {
    const model = await validationOptions(
      this.ctx,
      credentials,
    ).resolver.resolve(revision.spec.model_ref);
    const version =
      revision.spec.model_version &&
      parseModelVersion(revision.spec.model_version);
    const deployment = {
      ...revision,
      modelSource:
        version && model?.registeredModel
          ? mlflowModelSource(model.registeredModel, version)
          : model!.source ?? '',
    };
    refuseUntrustedSource(
      this.ctx,
      revision.spec.model_ref,
      deployment.modelSource,
    );
    // Refused now rather than at delivery: what the converters would refuse.
    convertOrRefuse(() =>
      convertRevision(
        this.ctx,
        deployment,
        placeholderUri(deployment.modelSource),
      ),
    );
    return queueItem('apply-deployment', {
      tool,
      dedupeKey: `${id}:apply:${revision.revision}`,
      payload: { deployment },
    });
  }
}

/** The Model sources served unless `llmOps.modelSources` says otherwise. */
export const DEFAULT_MODEL_SOURCES = ['hf://', 'mlflow://models/'];

/**
 * Refuses to serve weights from a source config does not trust: any
 * catalog location may define a Model, and its `source` is what the
 * serving tool downloads. `llmOps.modelSources` lists the allowed
 * prefixes (a scheme, or a scheme and host, such as `s3://acme-models/`).
 */
function refuseUntrustedSource(
  ctx: ApiContext,
  modelRef: string,
  source: string,
) {
  const allowed = ctx.modelSources ?? DEFAULT_MODEL_SOURCES;
  if (!allowed.some(prefix => source.startsWith(prefix))) {
    throw new InputError(
      `model_ref: ${modelRef}'s source '${source}' is not an allowed model source (llmOps.modelSources: ${allowed.join(
        ', ',
      )})`,
    );
  }
}

/** Where a source's files will be, for the check before it is resolved. */
function placeholderUri(source: string) {
  return parseMlflowModelSource(source)
    ? 's3://resolved-when-delivered/model'
    : undefined;
}

/** A revision's manifest, for a known storage URI of its model. */
function convertRevision(
  ctx: ApiContext,
  deployment: DeploymentRevision,
  storageUri: string | undefined,
) {
  const options = {
    ...ctx.specs,
    environment: deployment.environment,
    model: { source: deployment.modelSource },
    storageUri,
    name: deployment.name,
    namespace: deployment.namespace,
  };
  return deployment.backend === 'rayserve'
    ? deploymentToRayService(deployment.spec, options)
    : deploymentToInferenceService(deployment.spec, options);
}

/**
 * The delivery queue's converter of deployment revisions: a Model whose
 * source is `mlflow://models/<name>/<version>` is served from where MLflow
 * keeps that version's files (its download URI), looked up through the
 * tracker's breaker when the revision is delivered.
 */
export function deploymentConverter(ctx: ApiContext): DeploymentConverter {
  return async deployment => {
    const source = parseMlflowModelSource(deployment.modelSource);
    let storageUri: string | undefined;
    if (source) {
      const tracker = ctx.tools.require('experiment-tracking');
      let version = 'version' in source ? source.version : undefined;
      if (!version) {
        // an alias queued while MLflow was down: the version it points at now
        const model = await ctx.tools.call(tracker, (a, signal) =>
          a.getRegisteredModel(source.name, signal),
        );
        const found = resolveModelVersion(model, source);
        if ('problem' in found) {
          throw new SpecInvalidError([
            {
              path: 'model_version',
              rule: 'model_version.unknown',
              message: found.problem,
            },
          ]);
        }
        version = found.version;
      }
      storageUri = await ctx.tools.call(tracker, (a, signal) =>
        a.getModelVersionUri(source.name, version!, signal),
      );
    }
    return [
      convertOrRefuse(() => convertRevision(ctx, deployment, storageUri)),
    ];
  };
}

export type { DeploymentEnvironment };
