import { ConfigReader } from '@backstage/config';
import { ArgoAdapter } from './ArgoAdapter';
import { KubernetesServingAdapter } from './KubernetesServingAdapter';
import { createConfiguredAdapters } from './createConfiguredAdapters';

const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'gpu',
          url: 'https://k8s.example.com',
          serviceAccountToken: 't',
        },
      ],
    },
  ],
};

const statusOf = (integrations: object, tool: string) =>
  createConfiguredAdapters(
    new ConfigReader({ kubernetes, llmOps: { integrations } }),
  ).find(s => s.tool === tool)!;

describe('createConfiguredAdapters', () => {
  it('makes an argo-server adapter by default', () => {
    const status = statusOf(
      { argo: { baseUrl: 'https://argo:2746', namespace: 'training' } },
      'argo',
    );
    const adapter = status.adapter as ArgoAdapter;
    expect(adapter).toBeInstanceOf(ArgoAdapter);
    expect([adapter.mode, adapter.namespace]).toEqual(['server', 'training']);
  });

  it('makes a Kubernetes-mode Argo adapter on a named cluster', () => {
    const status = statusOf(
      { argo: { mode: 'kubernetes', cluster: 'gpu' } },
      'argo',
    );
    expect((status.adapter as ArgoAdapter).mode).toBe('kubernetes');
    expect(statusOf({ argo: { mode: 'kubernetes' } }, 'argo')).toMatchObject({
      configured: false,
      reason: 'llmOps.integrations.argo.cluster is not set',
    });
    expect(
      statusOf({ argo: { mode: 'grpc', baseUrl: 'x' } }, 'argo').reason,
    ).toMatch(/mode must be/);
  });

  it('makes the serving adapters on clusters of the Kubernetes plugin', () => {
    const status = statusOf(
      { rayserve: { cluster: 'gpu', retries: 0 } },
      'rayserve',
    );
    expect(status.adapter).toBeInstanceOf(KubernetesServingAdapter);
    expect((status.adapter as KubernetesServingAdapter).groupVersion).toBe(
      'ray.io/v1',
    );
    expect(statusOf({ kserve: { cluster: 'cpu' } }, 'kserve').reason).toBe(
      "cluster 'cpu' is not in kubernetes.clusterLocatorMethods",
    );
  });
});
