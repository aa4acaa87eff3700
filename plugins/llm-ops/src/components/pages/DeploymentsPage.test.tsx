import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { deploymentRecord } from '../deployment/__testUtils__/fixtures';
import { DeploymentsContent, DeploymentsPage } from './DeploymentsPage';

function renderWith(
  listDeployments: LlmOpsApi['listDeployments'],
  page = false,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [llmOpsApiRef, { listDeployments, listIntegrations: async () => [] }],
      ]}
    >
      {page ? <DeploymentsPage /> : <DeploymentsContent />}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DeploymentsContent', () => {
  it('lists the deployments with their split', async () => {
    await renderWith(async () => ({
      items: [
        deploymentRecord({ old: 90, new: 10 }),
        deploymentRecord(
          { old: 0, new: 100 },
          {
            id: 'dep-2',
            name: 'support-assistant-dev',
            environment: 'dev',
            status: 'queued',
            lastError: 'kserve: connection refused',
          },
        ),
      ],
    }));

    expect(
      await screen.findByText('support-assistant-prod'),
    ).toBeInTheDocument();
    expect(screen.getByText('old 90% / new 10%')).toBeInTheDocument();
    expect(screen.getByText('old 0% / new 100%')).toBeInTheDocument();
    expect(
      screen.getByText('waiting for kserve: connection refused'),
    ).toBeInTheDocument();
    // rows link to the Deployment entity and its Model
    expect(
      screen.getByRole('link', { name: 'support-assistant-prod' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/deployment/support-assistant-prod',
    );
    const models = screen.getAllByRole('link', {
      name: 'support-assistant-llama-3-8b',
    });
    expect(models).toHaveLength(2);
    expect(models[0]).toHaveAttribute(
      'href',
      '/catalog/default/model/support-assistant-llama-3-8b',
    );
  });

  it('passes the filters to listDeployments and loads more with the cursor', async () => {
    const list = jest.fn(async (filter?: { cursor?: string }) =>
      filter?.cursor
        ? {
            items: [
              deploymentRecord(
                { old: 0, new: 100 },
                { id: 'dep-2', name: 'second' },
              ),
            ],
          }
        : { items: [deploymentRecord({ old: 90, new: 10 })], nextCursor: 'c2' },
    );
    await renderWith(list);
    await screen.findByText('support-assistant-prod');

    await userEvent.selectOptions(screen.getByLabelText('Environment'), 'prod');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'ready');
    await userEvent.type(
      screen.getByLabelText('Model ref (exact)'),
      'model:default/x',
    );
    const filter = {
      environment: 'prod',
      status: 'ready',
      model_ref: 'model:default/x',
    };
    await waitFor(() => expect(list).toHaveBeenLastCalledWith(filter));

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(await screen.findByText('second')).toBeInTheDocument();
    expect(list).toHaveBeenLastCalledWith({ ...filter, cursor: 'c2' });
  });

  it('says when no deployment matches', async () => {
    await renderWith(async () => ({ items: [] }));
    expect(
      await screen.findByText('No deployments match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderWith(async () => {
      throw new Error('backend down');
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('renders as a page, titled Rollouts', async () => {
    await renderWith(async () => ({ items: [] }), true);
    expect(
      await screen.findByText('No deployments match these filters.'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Rollouts').length).toBeGreaterThan(0);
  });
});
