import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MetricPoint, Run } from '@llmops/plugin-llm-ops-common';
import { ModelRunsCard } from './ModelRunsCard';
import { ModelRunsContent } from './ModelRunsContent';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
  staleRead,
} from './__testUtils__/renderWithEntity';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 10, 1, 8, 0, 0);

function run(i: number, extra: Partial<Run> = {}): Run {
  return {
    id: `run-id-${i}`,
    experimentId: '1',
    name: `sft-run-${i}`,
    status: 'FINISHED',
    startTime: t0 + i * hour,
    endTime: t0 + i * hour + 65_000,
    params: { learning_rate: '2e-5', epochs: '3' },
    tags: {},
    metrics: { loss: 1 / (i + 1), eval_loss: 1.2 / (i + 1) },
    ...extra,
  };
}

/** Three points per run and key, so each line has a curve. */
const history = (runId: string, key: string): MetricPoint[] =>
  [0, 10, 20].map(step => ({
    step,
    value: runId.length + key.length - step / 10,
    timestamp: t0,
  }));

function runsApi(runs: Run[]) {
  return fakeApi({
    listModelRuns: jest.fn(async () => ({ items: runs, stale: false })),
    getMetricHistory: jest.fn(async (runId: string, key: string) => ({
      items: history(runId, key),
      stale: false,
    })),
  });
}

const curves = () => document.querySelectorAll('path.recharts-line-curve');
/** The table row of a run; its name also shows in the chart's legend. */
const rowOf = (text: string) =>
  screen
    .getAllByText(text)
    .map(el => el.closest('tr'))
    .find(Boolean) as HTMLElement;

describe('ModelRunsCard', () => {
  it('shows each run with status, duration, parameters and final metrics', async () => {
    const runs = [
      run(2, {
        url: 'https://mlflow.example.com/#/experiments/1/runs/run-id-2',
      }),
      run(1, { status: 'FAILED', metrics: { loss: 0.41234 } }),
    ];
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: runsApi(runs),
    });

    expect(
      await screen.findByText('Training runs of support-assistant'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /sft-run-2/ })).toHaveAttribute(
      'href',
      'https://mlflow.example.com/#/experiments/1/runs/run-id-2',
    );
    expect(
      screen.getByRole('columnheader', { name: 'loss' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'eval_loss' }),
    ).toBeInTheDocument();

    const failed = within(rowOf('sft-run-1'));
    expect(failed.getByText('FAILED')).toBeInTheDocument();
    expect(failed.getByText('0.4123')).toBeInTheDocument();
    expect(failed.getByText('1m 5s')).toBeInTheDocument();
    expect(
      failed.getByText('learning_rate=2e-5, epochs=3'),
    ).toBeInTheDocument();
    expect(
      failed.getByText(new Date(t0 + hour).toLocaleString()),
    ).toBeInTheDocument();

    const finished = within(rowOf('sft-run-2'));
    expect(finished.getByText('0.3333')).toBeInTheDocument(); // loss
    expect(finished.getByText('0.4')).toBeInTheDocument(); // eval_loss
  });

  it('sorts the runs by start, duration or a final metric, highest or lowest first', async () => {
    const runs = [run(1), run(3), run(2, { metrics: {} })];
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: runsApi(runs),
    });
    await screen.findByText('Training runs of support-assistant');
    const order = () =>
      screen
        .getAllByRole('row')
        .map(r => r.textContent?.match(/sft-run-\d/)?.[0])
        .filter(Boolean);
    // newest first by default
    expect(order()).toEqual(['sft-run-3', 'sft-run-2', 'sft-run-1']);

    const choose = (label: string, option: string) => {
      fireEvent.mouseDown(
        screen.getByRole('button', { name: new RegExp(label) }),
      );
      fireEvent.click(within(screen.getByRole('listbox')).getByText(option));
    };
    choose('Sort runs by', 'loss');
    // highest loss first; a run without the metric comes last
    expect(order()).toEqual(['sft-run-1', 'sft-run-3', 'sft-run-2']);
    choose('Order', 'Lowest first');
    expect(order()).toEqual(['sft-run-3', 'sft-run-1', 'sft-run-2']);
  });

  it('pages through nextPageToken, 200 runs at a time', async () => {
    const all = Array.from({ length: 250 }, (_, i) => run(250 - i));
    const listModelRuns = jest.fn(
      async (_name: string, page?: { pageToken?: string }) =>
        page?.pageToken === 'page-2'
          ? { items: all.slice(200), stale: false }
          : { items: all.slice(0, 200), nextPageToken: 'page-2', stale: false },
    );
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: fakeApi({ listModelRuns }),
    });

    expect(await screen.findByText('sft-run-250')).toBeInTheDocument();
    expect(listModelRuns.mock.calls).toEqual([
      ['support-assistant', { maxResults: 200, pageToken: undefined }],
      ['support-assistant', { maxResults: 200, pageToken: 'page-2' }],
    ]);
    expect(screen.getAllByText(/1-20 of 250/).length).toBeGreaterThan(0);
  });

  it('explains the annotation when the entity has none and no mlflow:// source', async () => {
    const api = runsApi([]);
    await renderWithEntity(<ModelRunsCard />, {
      entity: {
        ...modelEntity,
        metadata: { name: 'llama-3-8b', namespace: 'default' },
        spec: {
          ...modelEntity.spec,
          source: 'hf://meta-llama/Meta-Llama-3-8B',
        },
      },
      api,
    });
    expect(
      await screen.findAllByText(/llmops\.dev\/mlflow-model/),
    ).not.toHaveLength(0);
    expect(api.listModelRuns).not.toHaveBeenCalled();
  });

  it('reads the runs of the registered model an mlflow:// source names, with no annotation', async () => {
    const api = runsApi([run(1)]);
    await renderWithEntity(<ModelRunsCard />, {
      entity: {
        ...modelEntity,
        metadata: { name: 'support-assistant', namespace: 'default' },
      },
      api,
    });
    expect(await screen.findByText('sft-run-1')).toBeInTheDocument();
    expect(api.listModelRuns).toHaveBeenCalledWith(
      'support-assistant',
      expect.anything(),
    );
  });

  it('shows an empty state when the model has no runs', async () => {
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: runsApi([]),
    });
    expect(await screen.findByText('No training runs')).toBeInTheDocument();
  });

  it('shows the stale banner above runs read while MLflow is down', async () => {
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: fakeApi({
        listModelRuns: async () => ({ items: [run(1)], ...staleRead }),
      }),
    });
    expect(await screen.findByText(/Can't reach MLflow/)).toBeInTheDocument();
    expect(screen.getByText('sft-run-1')).toBeInTheDocument();
  });

  it('shows the error when the runs cannot be read', async () => {
    await renderWithEntity(<ModelRunsCard />, {
      entity: modelEntity,
      api: fakeApi({
        listModelRuns: async () => {
          throw new Error('mlflow is unreachable');
        },
      }),
    });
    expect(
      (await screen.findAllByText(/mlflow is unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

describe('ModelRunsContent', () => {
  it('charts the loss of the newest five runs, one line per run', async () => {
    const runs = Array.from({ length: 7 }, (_, i) => run(7 - i));
    const api = runsApi(runs);
    await renderWithEntity(<ModelRunsContent chartWidth={600} />, {
      entity: modelEntity,
      api,
    });

    await screen.findByTestId('llmops-metric-chart');
    await waitFor(() => expect(curves()).toHaveLength(5));
    curves().forEach(curve =>
      expect(curve.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+[LC]/),
    );
    expect(api.getMetricHistory).toHaveBeenCalledTimes(5);
    for (const i of [7, 6, 5, 4, 3]) {
      expect(api.getMetricHistory).toHaveBeenCalledWith(`run-id-${i}`, 'loss');
    }
    const legend = within(
      document.querySelector('.recharts-legend-wrapper') as HTMLElement,
    );
    expect(legend.getByText('sft-run-7')).toBeInTheDocument();
    expect(legend.queryByText('sft-run-2')).not.toBeInTheDocument();
    expect(within(rowOf('sft-run-7')).getByRole('checkbox')).toBeChecked();
    expect(within(rowOf('sft-run-2')).getByRole('checkbox')).not.toBeChecked();
  });

  it('redraws the chart when runs are checked or unchecked', async () => {
    const api = runsApi([run(3), run(2), run(1)]);
    await renderWithEntity(<ModelRunsContent chartWidth={600} />, {
      entity: modelEntity,
      api,
    });
    await waitFor(() => expect(curves()).toHaveLength(3));

    fireEvent.click(within(rowOf('sft-run-2')).getByRole('checkbox'));
    await waitFor(() => expect(curves()).toHaveLength(2));
    expect(within(rowOf('sft-run-2')).getByRole('checkbox')).not.toBeChecked();

    fireEvent.click(within(rowOf('sft-run-1')).getByRole('checkbox'));
    await waitFor(() => expect(curves()).toHaveLength(1));
  });

  it('checks all runs and none with one click, and compares their parameters', async () => {
    const api = runsApi([run(3), run(2), run(1)]);
    await renderWithEntity(<ModelRunsContent chartWidth={600} />, {
      entity: modelEntity,
      api,
    });
    await waitFor(() => expect(curves()).toHaveLength(3));

    fireEvent.click(screen.getByRole('button', { name: 'Uncheck all' }));
    await waitFor(() => expect(curves()).toHaveLength(0));
    expect(
      screen.getByText('Check two runs or more to compare their parameters.'),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Check all' }));
    await waitFor(() => expect(curves()).toHaveLength(3));
    // the runs share every parameter: none differ, until equal ones are shown
    expect(
      screen.getByText('The checked runs have the same parameters.'),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Show equal parameters too' }),
    );
    const table = await screen.findByTestId('llmops-param-diff');
    expect(within(table).getByText('learning_rate')).toBeInTheDocument();
    // the header names each checked run
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Parameter', 'sft-run-3', 'sft-run-2', 'sft-run-1']);
  });

  it('draws on a log scale and smooths on request, with axis titles', async () => {
    const api = runsApi([run(2), run(1)]);
    await renderWithEntity(<ModelRunsContent chartWidth={600} />, {
      entity: modelEntity,
      api,
    });
    await waitFor(() => expect(curves()).toHaveLength(2));
    const before = curves()[0].getAttribute('d');
    const axisTitles = () =>
      [...document.querySelectorAll('.recharts-label')].map(t => t.textContent);
    expect(axisTitles()).toEqual(expect.arrayContaining(['Step', 'loss']));

    fireEvent.click(screen.getByRole('checkbox', { name: 'Log scale' }));
    await waitFor(() => expect(curves()[0].getAttribute('d')).not.toBe(before));

    fireEvent.change(screen.getByLabelText('X axis'), {
      target: { value: 'time' },
    });
    await waitFor(() =>
      expect(axisTitles()).toContain('Time since the run began (s)'),
    );
  });

  it('charts another metric chosen in the selector', async () => {
    const api = runsApi([run(2), run(1)]);
    await renderWithEntity(<ModelRunsContent chartWidth={600} />, {
      entity: modelEntity,
      api,
    });
    await waitFor(() => expect(curves()).toHaveLength(2));

    fireEvent.mouseDown(screen.getByLabelText('Metric'));
    fireEvent.click(await screen.findByRole('option', { name: 'eval_loss' }));

    expect(
      await screen.findByText('Metric history: eval_loss'),
    ).toBeInTheDocument();
    await waitFor(() => expect(curves()).toHaveLength(2));
    expect(api.getMetricHistory).toHaveBeenCalledWith('run-id-2', 'eval_loss');
    expect(api.getMetricHistory).toHaveBeenCalledWith('run-id-1', 'eval_loss');
  });
});
