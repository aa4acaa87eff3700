import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ConversionError } from '@llmops/plugin-llm-ops-common';
import type {
  SpecsConfig,
  SpecValidationError,
  SpecValidationResult,
} from '@llmops/plugin-llm-ops-common';
import type { LlmOpsTools } from '@llmops/plugin-llm-ops-node';
import type { LlmOpsDatabase } from '../database/LlmOpsDatabase';
import type { SubjectRecord } from '../database/records';
import type { DeliveryOptions, DeliveryQueue } from '../queue/DeliveryQueue';
import { CatalogModelResolver } from './CatalogModelResolver';
import type { EnvironmentPlacement } from './environments';

/** What the API's services share. */
export interface ApiContext {
  db: LlmOpsDatabase;
  tools: LlmOpsTools;
  queue: DeliveryQueue;
  catalog: CatalogService;
  permissions: PermissionsService;
  specs: SpecsConfig;
  delivery: DeliveryOptions;
  logger: LoggerService;
  /** `llmOps.environments`: each environment's cluster and namespaces. */
  environments?: Map<string, EnvironmentPlacement>;
  /** `llmOps.serviceSubjects`: the services that may change state. */
  serviceSubjects?: string[];
  /** `llmOps.modelSources`: the Model sources that may be served. */
  modelSources?: string[];
}

/** A validation failure: a 400 whose envelope lists every error. */
export class SpecInvalidError extends InputError {
  readonly data: { errors: SpecValidationError[] };
  constructor(errors: SpecValidationError[]) {
    super(
      `The spec is invalid: ${errors.length} error(s), first: ${
        errors[0]?.path ? `${errors[0].path}: ` : ''
      }${errors[0]?.message}`,
    );
    this.data = { errors };
  }
}

export function validationOptions(
  ctx: ApiContext,
  credentials: BackstageCredentials,
) {
  return {
    resolver: new CatalogModelResolver(ctx.catalog, credentials),
    modelFamilies: ctx.specs.modelFamilies,
    gpuTypes: ctx.specs.gpuTypes,
    limits: ctx.specs.specLimits,
  };
}

export function requireValid<T>(result: SpecValidationResult<T>): T {
  if (!result.valid) throw new SpecInvalidError(result.errors);
  return result.spec;
}

/**
 * Runs a conversion; one the converters refuse is a 400 naming the field
 * (and the rule, when a rule refused it), like a validation failure.
 */
export function convertOrRefuse<T>(convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof ConversionError)) throw error;
    throw new SpecInvalidError([
      {
        path: error.path,
        rule: error.rule ?? 'schema',
        message: error.message,
      },
    ]);
  }
}

/**
 * Throws 403 for a service principal, unless `llmOps.serviceSubjects` names
 * it: Backstage's permission framework allows every service, so a change
 * of state is for users (whose permissions apply) and the named services.
 */
export function refuseUntrustedService(
  ctx: Pick<ApiContext, 'serviceSubjects'>,
  credentials: BackstageCredentials,
) {
  const principal = credentials.principal as Partial<BackstageServicePrincipal>;
  if (principal.type !== 'service') return;
  if (ctx.serviceSubjects?.includes(principal.subject ?? '')) return;
  throw new NotAllowedError(
    `Service ${principal.subject} may not change LLM Ops state: only users may, and the services named in llmOps.serviceSubjects`,
  );
}

/** Throws 403 unless the caller may change state and the policy allows the basic permission. */
export async function authorize(
  ctx: ApiContext,
  permission: BasicPermission,
  credentials: BackstageCredentials,
) {
  refuseUntrustedService(ctx, credentials);
  const [decision] = await ctx.permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }
}

/**
 * Throws 403 unless the caller may change state and the policy allows
 * `permission` on the resource `resourceRef` names; the permission backend
 * applies a conditional decision to that resource. `what` ends the message.
 */
export async function authorizeResource(
  ctx: Pick<ApiContext, 'permissions' | 'serviceSubjects'>,
  permission: ResourcePermission,
  credentials: BackstageCredentials,
  resourceRef: string,
  what: string,
) {
  refuseUntrustedService(ctx, credentials);
  const [decision] = await ctx.permissions.authorize(
    [{ permission, resourceRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`Not allowed: ${permission.name} ${what}`);
  }
}

/**
 * Retry by hand: requeues, in their order, the subject's deliveries the
 * queue gave up on, marks it queued and delivers them; 409 when none failed.
 */
export async function requeueFailedDeliveries(
  ctx: Pick<ApiContext, 'db' | 'queue'>,
  subjects: 'trainingJobs' | 'deployments',
  id: string,
  what: string,
) {
  const count = await ctx.db.outbox.requeueFailed(id);
  if (count === 0)
    throw new ConflictError(`${what} ${id} has no failed delivery to retry`);
  await ctx.db[subjects].update(id, {
    status: 'queued',
    reason: 'retried by hand',
    lastError: null,
  });
  await ctx.queue.deliverDue(id);
}

/** The owner recorded on a submission: the user, or the calling service. */
export function ownerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as Partial<
    Pick<BackstageUserPrincipal, 'userEntityRef'> &
      Pick<BackstageServicePrincipal, 'subject'>
  >;
  return principal.userEntityRef ?? `service:${principal.subject ?? 'unknown'}`;
}

/** 409: the record no longer passes today's rules. */
export class NonCompliantError extends ConflictError {
  readonly data: { rules: string[] };
  constructor(record: SubjectRecord) {
    const rules = record.nonCompliantRules ?? [];
    super(
      `${record.id} no longer passes today's rules (${rules.join(
        ', ',
      )}); fix its spec first`,
    );
    this.data = { rules };
  }
}

/** 503 with Retry-After: the request cannot be queued now. */
export class QueueFullError extends ServiceUnavailableError {
  readonly retryAfterSeconds = 60;
  readonly data: { reason: string; pending: number };
  constructor(pending: number) {
    super(`The delivery queue is full (${pending} pending); try again later`);
    this.data = { reason: 'queue full', pending };
  }
}

/** A record that the re-validation marked non-compliant can't run or change. */
export function refuseNonCompliant(record: SubjectRecord) {
  if (record.status === 'non_compliant') throw new NonCompliantError(record);
}

export async function ensureQueueCapacity(ctx: ApiContext) {
  const pending = await ctx.db.outbox.countPending();
  if (pending >= ctx.delivery.maxPending) throw new QueueFullError(pending);
}
