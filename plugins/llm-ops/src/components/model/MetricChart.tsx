import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Slider from '@material-ui/core/Slider';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import MuiTooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@llmops/plugin-llm-ops-common';
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
import { allPositive, formatSig4, toChartRows, XAxisMode } from './chartData';
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
  const [xAxis, setXAxis] = useState<XAxisMode>('step');
  const [smoothing, setSmoothing] = useState(0);
  const [logScale, setLogScale] = useState(false);
  const rows = useMemo(
    () => toChartRows(histories ?? [], { xAxis, smoothing }),
    [histories, xAxis, smoothing],
  );
  const canLog = allPositive(histories ?? []);
  const log = logScale && canLog;

  const selector = keys.length > 0 && (
    <TextField
      select
      label="Metric"
      variant="outlined"
      size="small"
      value={key}
      onChange={e => setChosenKey(e.target.value)}
      style={{ minWidth: 160 }}
      // labelled by its label and its value: "Metric loss"
      id="llmops-metric-key"
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
        margin={{ top: 8, right: 24, bottom: 24, left: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          domain={['dataMin', 'dataMax']}
          label={{
            value: xAxis === 'step' ? 'Step' : 'Time since the run began (s)',
            position: 'insideBottom',
            offset: -12,
          }}
        />
        <YAxis
          domain={['auto', 'auto']}
          scale={log ? 'log' : 'auto'}
          allowDataOverflow={log}
          tickFormatter={(v: number) => formatSig4(v)}
          label={{
            value: smoothing > 0 ? `${key} (smoothed)` : key,
            angle: -90,
            position: 'insideLeft',
          }}
        />
        <Tooltip
          formatter={(value: unknown) =>
            typeof value === 'number' ? formatSig4(value) : String(value)
          }
          labelFormatter={(x: unknown) =>
            xAxis === 'step' ? `step ${x}` : `${x} s`
          }
        />
        <Legend verticalAlign="top" />
        {runs.map((run, index) => (
          <Line
            key={run.id}
            type="linear"
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

  const controls = rows.length > 0 && (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      mb={1}
      style={{ gap: 24 }}
    >
      <TextField
        select
        id="llmops-chart-x-axis"
        label="X axis"
        size="small"
        value={xAxis}
        onChange={e => setXAxis(e.target.value as XAxisMode)}
        SelectProps={{ native: true }}
      >
        <option value="step">Step</option>
        <option value="time">Time</option>
      </TextField>
      <Box width={220}>
        <Typography id="llmops-smoothing" variant="caption">
          Smoothing: {smoothing.toFixed(2)}
        </Typography>
        <Slider
          aria-labelledby="llmops-smoothing"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(_, v) => setSmoothing(v as number)}
        />
      </Box>
      <MuiTooltip
        title={canLog ? '' : 'A log scale needs every value to be positive'}
      >
        <FormControlLabel
          control={
            <Switch
              checked={log}
              disabled={!canLog}
              onChange={e => setLogScale(e.target.checked)}
              color="primary"
            />
          }
          label="Log scale"
        />
      </MuiTooltip>
    </Box>
  );

  return (
    <InfoCard
      title={key ? `Metric history: ${key}` : 'Metric history'}
      action={selector || undefined}
    >
      <StaleBanner reads={histories ?? []} />
      {!loading && !error && controls}
      {body}
    </InfoCard>
  );
}
