import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Deployment } from '@llmops/plugin-llm-ops-common';
import { ModelDeploymentsCard } from './ModelDeploymentsCard';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
} from './__testUtils__/renderWithEntity';

const prodEntity: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Deployment',
  metadata: { name: 'support-assistant-prod', namespace: 'default' },
  spec: {
    model: 'model:default/support-assistant-llama-3-8b',
    environment: 'prod',
  },
};
const servedModel: Entity = {
  ...modelEntity,
  relations: [
    {
      type: 'servedBy',
      targetRef: 'deployment:default/support-assistant-prod',
    },
  ],
};

function record(
  name: string,
  environment: Deployment['environment'],
  status: string,
): Deployment {
  return {
    id: `id-${name}`,
    name,
    environment,
    model_ref: 'model:default/support-assistant-llama-3-8b',
    owner: 'group:nlp',
    status,
    backend: 'kserve',
    revision: 1,
    spec: {},
    createdAt: '2026-11-02T11:05:00Z',
    updatedAt: '2026-11-02T11:05:00Z',
  };
}

const rowOf = (text: string) => within(screen.getByText(text).closest('tr')!);

describe('ModelDeploymentsCard', () => {
  it('joins the catalog deployments and the portal records', async () => {
    const listDeployments = jest.fn(async () => ({
      items: [
        record('support-assistant-prod', 'prod', 'running'),
        record('support-assistant-dev', 'dev', 'failed'),
      ],
    }));
    await renderWithEntity(<ModelDeploymentsCard />, {
      entity: servedModel,
      api: fakeApi({ listDeployments }),
      catalogApi: catalogApiMock({ entities: [prodEntity] }),
    });

    const link = await screen.findByRole('link', {
      name: /support-assistant-prod/,
    });
    expect(link).toHaveAttribute(
      'href',
      expect.stringContaining('support-assistant-prod'),
    );
    expect(rowOf('running').getByText('prod')).toBeInTheDocument();
    expect(rowOf('support-assistant-dev').getByText('dev')).toBeInTheDocument();
    expect(
      rowOf('support-assistant-dev').getByText('failed'),
    ).toBeInTheDocument();
    expect(listDeployments).toHaveBeenCalledWith({
      model_ref: 'model:default/support-assistant-llama-3-8b',
    });
  });

  it('lists catalog deployments the portal did not create', async () => {
    await renderWithEntity(<ModelDeploymentsCard />, {
      entity: servedModel,
      api: fakeApi({ listDeployments: async () => ({ items: [] }) }),
      catalogApi: catalogApiMock({ entities: [prodEntity] }),
    });
    expect(
      await screen.findByRole('link', { name: /support-assistant-prod/ }),
    ).toBeInTheDocument();
    expect(
      rowOf('not deployed by the portal').getByText('prod'),
    ).toBeInTheDocument();
  });

  it('shows an empty state when nothing serves the model', async () => {
    await renderWithEntity(<ModelDeploymentsCard />, {
      entity: modelEntity,
      api: fakeApi({ listDeployments: async () => ({ items: [] }) }),
    });
    expect(await screen.findByText('Not deployed')).toBeInTheDocument();
  });

  it('shows the error when the records cannot be read', async () => {
    await renderWithEntity(<ModelDeploymentsCard />, {
      entity: modelEntity,
      api: fakeApi({
        listDeployments: async () => {
          throw new Error('deployments unavailable');
        },
      }),
    });
    expect(
      (await screen.findAllByText(/deployments unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
