import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { MetricHistory, Run } from '@llmops/plugin-llm-ops-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { StaleBanner } from '../common/StaleBanner';
import { metricKeysOf, runLabel } from './runs';

/** Tableau 10: distinct colours, one per run. */
const COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

type ChartRow = { step: number } & Record<string, number>;

/** One row per step, with each run's value under `run<index>`. */
function toChartRows(histories: MetricHistory[]): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  histories.forEach((history, index) => {
    for (const point of history.items) {
      const row = byStep.get(point.step) ?? ({ step: point.step } as ChartRow);
      row[`run${index}`] = point.value;
      byStep.set(point.step, row);
    }
  });
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** `loss` when the runs have it, else the first key. */
function defaultMetricKey(keys: string[]): string | undefined {
  return keys.includes('loss') ? 'loss' : keys[0];
}

/** @public */
export interface MetricChartProps {
  /** The runs to compare, one line each. */
  runs: Run[];
  /** The metric charted first; `loss` if the runs have it, else the first key. */
  defaultKey?: string;
  /** A fixed width in pixels; by default the chart fills its container. */
  width?: number;
  /** Height in pixels, 300 by default. */
  height?: number;
}

/**
 * The history of a metric (value by step) of several runs on one chart, with
 * a selector of the metric key among the runs' metrics.
 *
 * @public
 */
export function MetricChart(props: MetricChartProps) {
  const { runs, width, height = 300 } = props;
  const api = useApi(llmOpsApiRef);
  const keys = useMemo(() => metricKeysOf(runs), [runs]);
  const [chosenKey, setChosenKey] = useState(props.defaultKey);
  const key =
    chosenKey && keys.includes(chosenKey) ? chosenKey : defaultMetricKey(keys);

  const runIds = runs.map(run => run.id).join(',');
  const {
    value: histories,
    loading,
    error,
  } = useAsync(
    async () =>
      key
        ? Promise.all(runs.map(run => api.getMetricHistory(run.id, key)))
        : [],
    // runs are compared by id, so a re-render with equal runs doesn't refetch
    [api, runIds, key],
  );
  const rows = useMemo(() => toChartRows(histories ?? []), [histories]);

  const selector = keys.length > 0 && (
    <TextField
      select
      label="Metric"
      variant="outlined"
      size="small"
      value={key}
      onChange={e => setChosenKey(e.target.value)}
      style={{ minWidth: 160 }}
      SelectProps={{ SelectDisplayProps: { 'aria-label': 'Metric' } as object }}
    >
      {keys.map(k => (
        <MenuItem key={k} value={k}>
          {k}
        </MenuItem>
      ))}
    </TextField>
  );

  let body;
  if (runs.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No runs selected"
        description="Check runs in the table to compare their metrics."
      />
    );
  } else if (!key) {
    body = (
      <EmptyState
        missing="data"
        title="No metrics"
        description="The selected runs logged no metrics."
      />
    );
  } else if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (rows.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={`No history of ${key}`}
        description="The selected runs have no recorded steps of this metric."
      />
    );
  } else {
    const chart = (
      <LineChart
        data={rows}
        width={width}
        height={height}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
        <YAxis domain={['auto', 'auto']} />
        <Tooltip />
        <Legend />
        {runs.map((run, index) => (
          <Line
            key={run.id}
            type="monotone"
            dataKey={`run${index}`}
            name={runLabel(run)}
            stroke={COLORS[index % COLORS.length]}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    );
    body = (
      <div
        data-testid="llmops-metric-chart"
        style={{ width: width ?? '100%', height }}
      >
        {width ? (
          chart
        ) : (
          <ResponsiveContainer width="100%" height={height}>
            {chart}
          </ResponsiveContainer>
        )}
      </div>
    );
  }

  return (
    <InfoCard
      title={key ? `Metric history: ${key}` : 'Metric history'}
      action={selector || undefined}
    >
      <StaleBanner reads={histories ?? []} />
      {body}
    </InfoCard>
  );
}
