import { describePeer } from '../peers';
import { Cluster, startCluster } from './cluster';

jest.setTimeout(120_000);

// What the tests of the CRD-only server (startKubeApiserver) need, from the real API server:
// the repository's CRD fixtures, structural validation, pruning, resourceVersion conflicts.
describePeer('startCluster as a CRD server (no controllers, no nodes)', () => {
  let cluster: Cluster;
  const workflows = '/apis/argoproj.io/v1alpha1/namespaces/training/workflows';

  beforeAll(async () => {
    cluster = await startCluster({
      nodes: [],
      crdFixtures: [
        'argo/argoproj.io_workflows.yaml',
        'kserve/serving.kserve.io_inferenceservices.yaml',
        'kuberay/ray.io_rayservices.yaml',
      ],
    });
    await cluster.namespace('training');
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('validates, prunes and versions custom resources over the plain-HTTP proxy', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${cluster.httpUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${cluster.token}`,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'w' },
      spec: {
        entrypoint: 'main',
        notAField: true,
        templates: [{ name: 'main', container: { image: 'busybox' } }],
      },
    };
    const created = await call('POST', workflows, workflow);
    expect(created.status).toBe(201);
    expect(created.body.spec.notAField).toBeUndefined();
    const invalid = await call('POST', workflows, {
      ...workflow,
      metadata: { name: 'bad' },
      spec: { templates: 'not a list' },
    });
    expect(invalid.status).toBe(422);
    const stale = await call('PUT', `${workflows}/w`, {
      ...created.body,
      metadata: { ...created.body.metadata, resourceVersion: '1' },
    });
    expect(stale.status).toBe(409);
  });
});
