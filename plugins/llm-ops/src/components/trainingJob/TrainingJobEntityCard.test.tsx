import { screen } from '@testing-library/react';
import type { TrainingJobEntity } from '@llmops/plugin-llm-ops-common';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { trainingJobsRouteRef } from '../../routes';
import { TrainingJobEntityCard } from './TrainingJobEntityCard';

const ID = '5b0c7a52-3f0e-4a7e-9d2c-0c5e8f1a2b3c';

const entity: TrainingJobEntity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'TrainingJob',
  metadata: {
    name: ID,
    namespace: 'default',
    title: 'support-bot (job 5b0c7a52)',
    annotations: { 'llmops.dev/training-job-id': ID },
  },
  spec: {
    owner: 'user:default/alice',
    status: 'succeeded',
    jobType: 'SFT',
    modelFamily: 'llama',
    baseModel: 'model:default/llama-3-8b',
    trainedOn: [{ dataset: 'dataset:default/support-tickets', version: 'v2' }],
    produced: [{ model: 'model:default/support-bot', version: '7' }],
    gpuHours: 3.14159,
  },
};

function render(e: TrainingJobEntity) {
  return renderInTestApp(
    <EntityProvider entity={e}>
      <TrainingJobEntityCard />
    </EntityProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/llm-ops/training-jobs': trainingJobsRouteRef,
      },
    },
  );
}

describe('TrainingJobEntityCard', () => {
  it('links the dataset version it read, the model version it made and the job page', async () => {
    await render(entity);
    expect(await screen.findByText('succeeded')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'support-tickets' }),
    ).toHaveAttribute('href', '/catalog/default/dataset/support-tickets');
    expect(screen.getByText(/@ v2/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'support-bot' })).toHaveAttribute(
      'href',
      '/catalog/default/model/support-bot',
    );
    expect(screen.getByText(/version 7/)).toBeInTheDocument();
    expect(screen.getByText('3.14')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open the job/ })).toHaveAttribute(
      'href',
      `/llm-ops/training-jobs/${ID}`,
    );
  });

  it('says when the job registered no model version yet', async () => {
    await render({
      ...entity,
      spec: { ...entity.spec, status: 'running', produced: undefined },
    });
    expect(
      await screen.findByText(
        'No model version registered with this job id yet',
      ),
    ).toBeInTheDocument();
  });
});
