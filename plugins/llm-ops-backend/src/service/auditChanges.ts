import type { AuditorService } from '@backstage/backend-plugin-api';
import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `training-jobs` → `training-job`; `aliases` → `alias`. */
const singular = (collection: string) =>
  /ses$/.test(collection)
    ? collection.slice(0, -2)
    : collection.replace(/s$/, '');

/**
 * The auditor event of an API call that changes something, named by what it
 * changes: `POST /deployments/:id/promote` is `deployment-promote`, `PUT
 * /deployments/:id` is `deployment-update`, `POST /training-jobs` is
 * `training-job-create`. Validations change nothing and are not audited.
 */
export function auditEventOf(
  method: string,
  path: string,
): { eventId: string; meta: Record<string, string> } | undefined {
  if (SAFE_METHODS.has(method)) return undefined;
  const [collection, id, ...rest] = path.split('/').filter(Boolean);
  if (!collection || id === 'validate') return undefined;
  const verb =
    { POST: 'create', PUT: 'update', DELETE: 'delete' }[method] ??
    method.toLowerCase();
  let eventId: string;
  if (rest.length >= 2) {
    // a sub-resource: PUT /models/:name/aliases/:alias is model-alias-update
    eventId = `${singular(collection)}-${singular(rest[0])}-${verb}`;
  } else if (rest.length === 1) {
    // an action: POST /deployments/:id/promote is deployment-promote
    eventId = `${singular(collection)}-${rest[0]}`;
  } else if (collection.endsWith('s')) {
    eventId = `${singular(collection)}-${id ? verb : 'create'}`;
  } else {
    // an operation of its own, such as POST /revalidate
    eventId = collection;
  }
  const meta: Record<string, string> = { method, path };
  if (id) meta.id = decodeURIComponent(id);
  return { eventId, meta };
}

/**
 * Records every change made through the API with Backstage's auditor: who
 * (from the request's credentials), what, and whether it succeeded (by the
 * answer's status). High severity for production deployments is left to
 * the auditor's configuration; every change is `medium`.
 */
export function auditChanges(auditor: AuditorService): RequestHandler {
  return async (req, res, next) => {
    const audit = auditEventOf(req.method, req.path);
    if (!audit) {
      next();
      return;
    }
    const event = await auditor.createEvent({
      eventId: audit.eventId,
      severityLevel: 'medium',
      request: req,
      meta: audit.meta,
    });
    res.on('finish', () => {
      const meta = { status: res.statusCode };
      const done =
        res.statusCode < 400
          ? event.success({ meta })
          : event.fail({
              meta,
              error: new Error(`answered ${res.statusCode}`),
            });
      done.catch(() => {
        // the auditor logs its own failures; an answer is never held up
      });
    });
    next();
  };
}
