import { screen, waitFor } from '@testing-library/react';
import type { Run } from '@llmops/plugin-llm-ops-common';
import { MetricChart } from './MetricChart';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
  staleRead,
} from './__testUtils__/renderWithEntity';

const runs: Run[] = [
  {
    id: 'a',
    experimentId: '1',
    name: 'run-a',
    status: 'FINISHED',
    params: {},
    tags: {},
    metrics: { accuracy: 0.9, perplexity: 3 },
  },
  {
    id: 'b',
    experimentId: '1',
    name: 'run-b',
    status: 'FINISHED',
    params: {},
    tags: {},
    metrics: { accuracy: 0.8 },
  },
];
const points = [
  { step: 1, value: 0.5, timestamp: 0 },
  { step: 2, value: 0.7, timestamp: 0 },
];

describe('MetricChart', () => {
  it('charts the first metric key when the runs have no loss', async () => {
    const getMetricHistory = jest.fn(async () => ({
      items: points,
      stale: false,
    }));
    await renderWithEntity(
      <MetricChart runs={runs} width={500} height={200} />,
      {
        entity: modelEntity,
        api: fakeApi({ getMetricHistory }),
      },
    );
    expect(
      await screen.findByText('Metric history: accuracy'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        document.querySelectorAll('path.recharts-line-curve'),
      ).toHaveLength(2),
    );
    expect(getMetricHistory).toHaveBeenCalledWith('a', 'accuracy');
    expect(getMetricHistory).toHaveBeenCalledWith('b', 'accuracy');
  });

  it('shows the stale banner above history read while MLflow is down', async () => {
    await renderWithEntity(<MetricChart runs={runs} width={500} />, {
      entity: modelEntity,
      api: fakeApi({
        getMetricHistory: async () => ({ items: points, ...staleRead }),
      }),
    });
    expect(await screen.findByText(/Can't reach MLflow/)).toBeInTheDocument();
    expect(
      await screen.findByTestId('llmops-metric-chart'),
    ).toBeInTheDocument();
  });

  it('shows the error when the history cannot be read', async () => {
    await renderWithEntity(<MetricChart runs={runs} width={500} />, {
      entity: modelEntity,
      api: fakeApi({
        getMetricHistory: async () => {
          throw new Error('metric history failed');
        },
      }),
    });
    expect(
      (await screen.findAllByText(/metric history failed/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('llmops-metric-chart')).not.toBeInTheDocument();
  });

  it('asks to select runs when none are selected', async () => {
    await renderWithEntity(<MetricChart runs={[]} />, {
      entity: modelEntity,
      api: fakeApi({}),
    });
    expect(await screen.findByText('No runs selected')).toBeInTheDocument();
  });

  it('says so when the runs have no history of the metric', async () => {
    await renderWithEntity(<MetricChart runs={runs} width={500} />, {
      entity: modelEntity,
      api: fakeApi({
        getMetricHistory: async () => ({ items: [], stale: false }),
      }),
    });
    expect(
      await screen.findByText('No history of accuracy'),
    ).toBeInTheDocument();
  });
});
