import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { LLM_OPS_API_VERSION } from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import {
  integrationsRouteRef,
  modelsRouteRef,
  trainingJobsRouteRef,
} from '../../routes';
import { LlmOpsHomePage } from './LlmOpsHomePage';

const model = (name: string, family: string, lifecycle: string): Entity => ({
  apiVersion: LLM_OPS_API_VERSION,
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'base',
    family,
    lifecycle,
    owner: 'group:nlp',
    maxPositionEmbeddings: 8192,
    source: 'hf://x/y',
  },
});
const deployment = (
  name: string,
  environment: string,
  ready?: boolean,
): Entity => ({
  apiVersion: LLM_OPS_API_VERSION,
  kind: 'Deployment',
  metadata: { name, namespace: 'default', title: `Title of ${name}` },
  spec: {
    model: 'model:default/a',
    environment,
    backend: 'kserve',
    ...(ready === undefined
      ? {}
      : {
          status: {
            ready,
            conditions: ready
              ? []
              : [
                  {
                    type: 'Ready',
                    status: 'False',
                    reason: 'MinimumReplicasUnavailable',
                  },
                ],
          },
        }),
  },
});

function render(llmOps: object) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              model('a', 'llama', 'production'),
              model('b', 'llama', 'experimental'),
              model('c', 'mistral', 'production'),
              deployment('a-prod', 'prod', false),
              deployment('a-dev', 'dev', true),
              deployment('c-stg', 'stg'),
            ],
          }),
        ],
        [llmOpsApiRef, llmOps],
      ]}
    >
      <LlmOpsHomePage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/llm-ops/models': modelsRouteRef,
        '/llm-ops/training-jobs': trainingJobsRouteRef,
        '/llm-ops/integrations': integrationsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const job = (id: string, status: string, artifact?: string) => ({
  id,
  owner: 'user:default/ada',
  status,
  job_type: 'SFT',
  model_family: 'llama',
  spec: artifact ? { output: { artifact_name: artifact } } : {},
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
});

describe('LlmOpsHomePage', () => {
  it('shows models by family and lifecycle, jobs, deployments by environment and tool health', async () => {
    await render({
      listTrainingJobs: async () => ({
        items: [job('j1', 'running', 'support-sft'), job('j2', 'succeeded')],
      }),
      listIntegrations: async () => [
        {
          tool: 'mlflow',
          category: 'experiment-tracking',
          configured: true,
          enabled: true,
          reachable: false,
          checkedAt: '2026-12-01T10:00:00.000Z',
        },
        {
          tool: 'argo',
          category: 'orchestration',
          configured: false,
          enabled: true,
          reachable: false,
          checkedAt: '2026-12-01T10:00:00.000Z',
        },
      ],
    });

    const llama = (await screen.findByRole('link', { name: 'llama' })).closest(
      'tr',
    )!;
    expect(
      within(llama as HTMLElement)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['llama', '2', '1', '1']);
    expect(screen.getByRole('link', { name: 'llama' })).toHaveAttribute(
      'href',
      '/llm-ops/models?family=llama',
    );

    expect(
      await screen.findByText('1 of the 2 newest jobs are queued or running.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'support-sft' })).toHaveAttribute(
      'href',
      '/llm-ops/training-jobs/j1',
    );
    expect(screen.getByRole('link', { name: 'j2' })).toBeInTheDocument();

    const prod = (
      await screen.findByRole('link', { name: 'Title of a-prod' })
    ).closest('tr')!;
    expect(prod).toHaveTextContent('not ready (MinimumReplicasUnavailable)');
    expect(
      screen.getByRole('link', { name: 'Title of a-dev' }).closest('tr'),
    ).toHaveTextContent('ready');
    expect(
      screen.getByRole('link', { name: 'Title of c-stg' }).closest('tr'),
    ).toHaveTextContent('not reported');
    // environments in the order prod, stg, dev
    expect(
      screen.getAllByRole('heading', { level: 3 }).map(h => h.textContent),
    ).toEqual(['prod', 'stg', 'dev']);

    expect(await screen.findByText("can't reach it")).toBeInTheDocument();
    expect(screen.getByText('not configured')).toBeInTheDocument();
  });

  it('says which source failed, card by card, and keeps the others', async () => {
    await render({
      listTrainingJobs: async () => {
        throw new Error('backend answered 503');
      },
      listIntegrations: async () => [],
    });
    expect(
      await screen.findByText(
        "The portal's job records could not be read: backend answered 503",
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'mistral' }),
    ).toBeInTheDocument();
  });
});
