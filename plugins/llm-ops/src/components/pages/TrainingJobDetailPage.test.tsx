import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { act, screen } from '@testing-library/react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { Route, Routes } from 'react-router-dom';
import type { TrainingJobDetail } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { trainingJobsRouteRef } from '../../routes';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  formatDuration,
  TrainingJobDetailContent,
  TrainingJobDetailPage,
} from './TrainingJobDetailPage';

/** A signal's message: a JSON object. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

const detail: TrainingJobDetail = {
  id: 'job-1',
  owner: 'user:default/ada',
  status: 'queued',
  lastError: 'mlflow: connection refused',
  job_type: 'SFT',
  model_family: 'llama',
  spec: {
    kind: 'TrainJobSpec',
    base_model: 'model:default/llama-3-8b',
    resources: { gpus: 2 },
  },
  workflow: {
    tool: 'argo',
    id: 'job-1',
    namespace: 'llm',
    url: 'https://argo.example.com/workflows/llm/job-1',
  },
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  history: [
    {
      status: 'queued',
      reason: 'waiting for mlflow',
      at: '2026-11-27T09:00:00.000Z',
    },
  ],
  deliveries: [
    {
      tool: 'argo',
      operation: 'submit-workflow',
      state: 'delivered',
      attempts: 1,
    },
    {
      tool: 'mlflow',
      operation: 'create-run',
      state: 'pending',
      attempts: 3,
      nextAttemptAt: '2026-11-27T10:05:00.000Z',
      lastError: 'connection refused',
    },
  ],
};

/** The training jobs are mounted where the app mounts them. */
const mountedRoutes = {
  '/llm-ops/training-jobs': trainingJobsRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

function renderWith(
  getTrainingJob: LlmOpsApi['getTrainingJob'],
  element: JSX.Element,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [llmOpsApiRef, { getTrainingJob }],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      {element}
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('TrainingJobDetailContent', () => {
  it('shows the status, spec, history, deliveries and links', async () => {
    const get = jest.fn(async () => detail);
    await renderWith(get, <TrainingJobDetailContent id="job-1" />);

    expect(
      await screen.findByText('waiting for mlflow: connection refused'),
    ).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('job-1');
    expect(screen.getByText('model:default/llama-3-8b')).toBeInTheDocument();
    expect(screen.getByText('waiting for mlflow')).toBeInTheDocument();
    expect(screen.getByText('submit-workflow')).toBeInTheDocument();
    expect(screen.getByText('create-run')).toBeInTheDocument();
    expect(screen.getByText('connection refused')).toBeInTheDocument();
    expect(
      screen.getByText(new Date('2026-11-27T10:05:00.000Z').toLocaleString()),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/argo.example.com\/workflows\/llm\/job-1/,
      }),
    ).toHaveAttribute('href', 'https://argo.example.com/workflows/llm/job-1');
  });

  it('reads the id from the route', async () => {
    const get = jest.fn(async () => detail);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [llmOpsApiRef, { getTrainingJob: get }],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Routes>
          <Route
            path="/llm-ops/training-jobs/:id"
            element={<TrainingJobDetailPage />}
          />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/llm-ops/training-jobs/job-1'], mountedRoutes },
    );
    expect(await screen.findByText('submit-workflow')).toBeInTheDocument();
    // the app's page header has the title; the page links back to the list
    expect(
      screen.getByRole('link', { name: 'Training jobs' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('job-1').length).toBeGreaterThan(0);
    expect(get).toHaveBeenCalledWith('job-1');
  });

  it('shows the error when the job cannot be read', async () => {
    await renderWith(async () => {
      throw new Error('No training job job-9');
    }, <TrainingJobDetailContent id="job-9" />);
    expect(
      (await screen.findAllByText(/No training job job-9/)).length,
    ).toBeGreaterThan(0);
  });

  it('says when the job has no deliveries or links yet', async () => {
    await renderWith(
      async () => ({
        ...detail,
        history: [],
        deliveries: [],
        workflow: undefined,
      }),
      <TrainingJobDetailContent id="job-1" />,
    );
    expect(await screen.findByText('No deliveries.')).toBeInTheDocument();
    expect(screen.getByText('No tool links yet.')).toBeInTheDocument();
    expect(screen.getByText('No status changes yet.')).toBeInTheDocument();
  });

  it("shows the workflow's live state from the orchestrator", async () => {
    await renderWith(
      async () => ({
        ...detail,
        workflowStatus: {
          phase: 'Running',
          nodes: [
            { name: 'prepare', phase: 'Succeeded' },
            { name: 'train', phase: 'Running' },
          ],
        },
      }),
      <TrainingJobDetailContent id="job-1" />,
    );
    expect(await screen.findByText('Running')).toBeInTheDocument();
    expect(screen.getByText('prepare: Succeeded')).toBeInTheDocument();
    expect(screen.getByText('train: Running')).toBeInTheDocument();
  });

  it('shows what the tracker followed: phase, timings, GPU-hours, the failed step and the MLflow run', async () => {
    await renderWith(
      async () => ({
        ...detail,
        status: 'failed',
        tracking: {
          phase: 'Failed',
          reason: 'step train(0) failed: Error (exit code 3)',
          startedAt: '2026-11-27T09:00:00.000Z',
          finishedAt: '2026-11-27T10:30:00.000Z',
          durationSeconds: 5400,
          gpuHours: 11.996,
          failedStep: { name: 'train(0)', message: 'Error', exitCode: 3 },
          runStatus: 'FAILED',
          outputModelVersions: [],
          checkedAt: '2026-11-27T10:31:00.000Z',
        },
      }),
      <TrainingJobDetailContent id="job-1" />,
    );
    expect(await screen.findByText('Lifecycle')).toBeInTheDocument();
    expect(screen.getByText('1 h 30 min')).toBeInTheDocument();
    expect(screen.getByText('12')).toBeInTheDocument();
    expect(
      screen.getByText('train(0) (exit code 3): Error'),
    ).toBeInTheDocument();
    expect(screen.getByText('FAILED')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'In the catalog graph' }),
    ).toHaveAttribute('href', '/catalog/default/trainingjob/job-1');
  });

  it('refreshes when the backend signals that this job changed state, without a reload', async () => {
    let deliver: (message: JsonObject) => void = () => {};
    const signals: SignalApi = {
      subscribe<T extends JsonObject>(
        _channel: string,
        onMessage: (m: T) => void,
      ) {
        deliver = m => onMessage(m as T);
        return { unsubscribe: () => {} };
      },
    };
    let status = 'running';
    const get = jest.fn(async () => ({
      ...detail,
      status,
      lastError: undefined,
    }));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [llmOpsApiRef, { getTrainingJob: get }],
          [signalApiRef, signals],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <TrainingJobDetailContent id="job-1" />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText('running')).toBeInTheDocument();
    status = 'succeeded';
    // another job's change is not this page's
    act(() =>
      deliver({
        kind: 'training-job',
        id: 'job-2',
        status: 'failed',
        at: 'now',
      }),
    );
    act(() =>
      deliver({
        kind: 'training-job',
        id: 'job-1',
        status: 'succeeded',
        at: 'now',
      }),
    );
    expect(await screen.findByText('succeeded')).toBeInTheDocument();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('formats durations for people', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(undefined)).toBe('—');
  });

  it("says why the workflow's live state could not be read", async () => {
    await renderWith(
      async () => ({ ...detail, workflowStatusError: 'argo: timeout' }),
      <TrainingJobDetailContent id="job-1" />,
    );
    expect(
      await screen.findByText(
        "Could not read the workflow's state: argo: timeout",
      ),
    ).toBeInTheDocument();
  });

  it("embeds the delivered job's MLflow run page, and links out to an Argo UI that can't be framed", async () => {
    const baseUrl = 'http://localhost:7007/api/llm-ops';
    const delivered = {
      ...detail,
      workflow: {
        tool: 'argo',
        id: 'llmops-job-1',
        namespace: 'ml-training',
        uiPath: 'workflows/ml-training/llmops-job-1',
      },
      run: {
        tool: 'mlflow',
        id: 'run-9',
        experimentId: '4',
        uiPath: '#/experiments/4/runs/run-9',
      },
    };
    const api: Partial<LlmOpsApi> = {
      getTrainingJob: async () => delivered,
      listToolUis: async () => [
        { tool: 'mlflow', embeddable: true, proxyPath: '/ui/mlflow/' },
        {
          tool: 'argo',
          embeddable: false,
          proxyPath: '/ui/argo/',
          publicUrl: 'https://argo.example.com/',
        },
      ],
      getToolUiUrl: async (tool, path) => `${baseUrl}/ui/${tool}/${path}`,
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [llmOpsApiRef, api],
          [permissionApiRef, mockApis.permission()],
          [discoveryApiRef, { getBaseUrl: async () => baseUrl }],
          [
            fetchApiRef,
            {
              fetch: async () =>
                new Response(
                  JSON.stringify({
                    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
                  }),
                ),
            },
          ],
        ]}
      >
        <TrainingJobDetailContent id="job-1" />
      </TestApiProvider>,
      { mountedRoutes },
    );
    const frame = await screen.findByTestId('llmops-tool-ui-frame');
    expect(frame).toHaveAttribute(
      'src',
      `${baseUrl}/ui/mlflow/#/experiments/4/runs/run-9`,
    );
    expect(
      (await screen.findByText(/open in argo/i)).closest('a'),
    ).toHaveAttribute(
      'href',
      'https://argo.example.com/workflows/ml-training/llmops-job-1',
    );
  });
});
