import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TrainingJob } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { trainingJobsRouteRef } from '../../routes';
import { TrainingJobsContent, TrainingJobsPage } from './TrainingJobsPage';

function job(id: string, overrides: Partial<TrainingJob> = {}): TrainingJob {
  return {
    id,
    owner: 'user:default/ada',
    status: 'running',
    job_type: 'SFT',
    model_family: 'llama',
    spec: {},
    createdAt: '2026-11-27T09:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

function renderWith(
  listTrainingJobs: LlmOpsApi['listTrainingJobs'],
  page = false,
  listIntegrations: LlmOpsApi['listIntegrations'] = async () => [],
  routeEntries = ['/llm-ops/training-jobs'],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[llmOpsApiRef, { listTrainingJobs, listIntegrations }]]}
    >
      {page ? <TrainingJobsPage /> : <TrainingJobsContent />}
    </TestApiProvider>,
    {
      routeEntries,
      mountedRoutes: {
        '/llm-ops/training-jobs': trainingJobsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

describe('TrainingJobsContent', () => {
  it('lists the jobs with a link to each, the queued reason and the broken rules', async () => {
    await renderWith(async () => ({
      items: [
        job('job-1'),
        job('job-2', {
          status: 'queued',
          lastError: 'mlflow: connection refused',
        }),
        job('job-3', {
          status: 'non_compliant',
          nonCompliantRules: ['model_family.not_allowed', 'resources.gpus_max'],
        }),
      ],
    }));

    expect(await screen.findByRole('link', { name: 'job-1' })).toHaveAttribute(
      'href',
      '/llm-ops/training-jobs/job-1',
    );
    const table = within(screen.getByRole('table'));
    const queuedRow = within(
      table.getByRole('link', { name: 'job-2' }).closest('tr')!,
    );
    expect(queuedRow.getByText('queued')).toBeInTheDocument();
    expect(
      queuedRow.getByText('waiting for mlflow: connection refused'),
    ).toBeInTheDocument();
    const nonCompliantRow = within(
      table.getByRole('link', { name: 'job-3' }).closest('tr')!,
    );
    expect(nonCompliantRow.getByText('non-compliant')).toBeInTheDocument();
    expect(
      nonCompliantRow.getByText('model_family.not_allowed'),
    ).toBeInTheDocument();
    expect(nonCompliantRow.getByText('resources.gpus_max')).toBeInTheDocument();
    expect(table.getAllByText('llama')).toHaveLength(3);
    expect(
      table.getAllByText(new Date('2026-11-27T10:00:00.000Z').toLocaleString()),
    ).toHaveLength(3);
  });

  it('names a job by the model it makes, and links its owner', async () => {
    await renderWith(async () => ({
      items: [
        job('job-7', {
          spec: { output: { artifact_name: 'support-sft' } },
        }),
      ],
    }));
    const link = await screen.findByRole('link', { name: 'support-sft' });
    expect(link).toHaveAttribute('href', '/llm-ops/training-jobs/job-7');
    const row = within(link.closest('tr')!);
    expect(row.getByText('job-7')).toBeInTheDocument();
    expect(row.getByRole('link', { name: 'ada' })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
  });

  it('passes the filters to listTrainingJobs', async () => {
    const list = jest.fn(async () => ({ items: [job('job-1')] }));
    await renderWith(list);
    await screen.findByRole('link', { name: 'job-1' });
    expect(list).toHaveBeenLastCalledWith({});

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith({ status: 'failed' }),
    );

    await userEvent.selectOptions(screen.getByLabelText('Job type'), 'RLHF');
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith({
        status: 'failed',
        job_type: 'RLHF',
      }),
    );

    await userEvent.type(screen.getByLabelText('Model family'), 'mistral');
    await userEvent.type(screen.getByLabelText('Owner'), 'user:default/ada');
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith({
        status: 'failed',
        job_type: 'RLHF',
        model_family: 'mistral',
        owner: 'user:default/ada',
      }),
    );
  });

  it('reads the filters from the URL, so a filtered list can be shared', async () => {
    const list = jest.fn(async () => ({ items: [job('job-1')] }));
    await renderWith(list, false, undefined, [
      '/llm-ops/training-jobs?status=running&owner=ada&unrelated=1',
    ]);
    await screen.findByRole('link', { name: 'job-1' });
    expect(list).toHaveBeenLastCalledWith({ status: 'running', owner: 'ada' });
    expect(screen.getByLabelText('Status')).toHaveValue('running');
    expect(screen.getByLabelText('Owner')).toHaveValue('ada');
  });

  it('loads the next page with the cursor', async () => {
    const list = jest.fn(async (filter?: { cursor?: string }) =>
      filter?.cursor === 'c2'
        ? { items: [job('job-2')] }
        : { items: [job('job-1')], nextCursor: 'c2' },
    );
    await renderWith(list);
    await screen.findByRole('link', { name: 'job-1' });

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(
      await screen.findByRole('link', { name: 'job-2' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'job-1' })).toBeInTheDocument();
    expect(list).toHaveBeenLastCalledWith({ cursor: 'c2' });
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('says when no job matches', async () => {
    await renderWith(async () => ({ items: [] }));
    expect(
      await screen.findByText('No training jobs match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderWith(async () => {
      throw new Error('backend down');
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('renders inside a page with a header', async () => {
    await renderWith(async () => ({ items: [job('job-1')] }), true);
    expect(
      await screen.findByRole('link', { name: 'job-1' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Training jobs').length).toBeGreaterThan(0);
  });

  it('says why training is off, above the jobs the portal still records', async () => {
    const why =
      'The local Kubernetes cluster is not built yet: run `make test` once.';
    await renderWith(
      async () => ({ items: [job('job-1')] }),
      true,
      async () => [
        {
          tool: 'argo',
          category: 'orchestration',
          configured: false,
          enabled: false,
          reachable: false,
          lastError: why,
          checkedAt: '2026-12-01T10:00:00Z',
        },
      ],
    );
    expect(
      await screen.findByText('Info: Training is switched off here'),
    ).toBeInTheDocument();
    expect(screen.getByText(why)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'job-1' })).toBeInTheDocument();
  });
});
