import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { auditChanges, auditEventOf } from './auditChanges';

describe('auditEventOf', () => {
  it('names each change by what it changes, and skips reads and validations', () => {
    expect(auditEventOf('POST', '/deployments/d-1/promote')).toEqual({
      eventId: 'deployment-promote',
      meta: { method: 'POST', path: '/deployments/d-1/promote', id: 'd-1' },
    });
    expect(auditEventOf('PUT', '/deployments/d-1')?.eventId).toBe(
      'deployment-update',
    );
    expect(auditEventOf('POST', '/training-jobs')?.eventId).toBe(
      'training-job-create',
    );
    expect(auditEventOf('POST', '/training-jobs/j-1/cancel')?.eventId).toBe(
      'training-job-cancel',
    );
    expect(
      auditEventOf('PUT', '/models/support-assistant/aliases/champion'),
    ).toEqual({
      eventId: 'model-alias-update',
      meta: {
        method: 'PUT',
        path: '/models/support-assistant/aliases/champion',
        id: 'support-assistant',
      },
    });
    expect(auditEventOf('POST', '/revalidate')?.eventId).toBe('revalidate');
    expect(auditEventOf('POST', '/ui/mlflow/session')?.eventId).toBe(
      'ui-session',
    );
    expect(auditEventOf('GET', '/deployments')).toBeUndefined();
    expect(auditEventOf('POST', '/deployments/validate')).toBeUndefined();
  });
});

describe('auditChanges', () => {
  function app(status: number) {
    const success = jest.fn(async () => {});
    const fail = jest.fn(async () => {});
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success, fail })),
    });
    const server = express();
    server.use(auditChanges(auditor));
    server.all('*', (_req, res) => {
      res.status(status).json({});
    });
    return { server, auditor, success, fail };
  }

  it('records a change with the request, and its success when answered 2xx', async () => {
    const { server, auditor, success, fail } = app(202);
    await request(server).post('/deployments/d-1/promote').expect(202);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'deployment-promote',
        severityLevel: 'medium',
        meta: expect.objectContaining({ id: 'd-1' }),
        request: expect.anything(),
      }),
    );
    expect(success).toHaveBeenCalledWith({ meta: { status: 202 } });
    expect(fail).not.toHaveBeenCalled();
  });

  it('records a refused change as failed, and nothing for a read', async () => {
    const { server, auditor, success, fail } = app(403);
    await request(server).put('/deployments/d-1').expect(403);
    expect(fail).toHaveBeenCalledWith(
      expect.objectContaining({ meta: { status: 403 } }),
    );
    expect(success).not.toHaveBeenCalled();
    await request(server).get('/deployments/d-1').expect(403);
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
  });
});
