import { useMemo, useState } from 'react';
import {
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@llmops/plugin-llm-ops-common';
import {
  formatDuration,
  formatMetric,
  formatPairs,
  formatTime,
} from './format';
import { metricKeysOf, runLabel } from './runs';

/** An MLflow run status with its colour. */
export function RunStatus({ status }: { status: string }) {
  switch (status.toUpperCase()) {
    case 'FINISHED':
      return <StatusOK>{status}</StatusOK>;
    case 'FAILED':
      return <StatusError>{status}</StatusError>;
    case 'KILLED':
      return <StatusAborted>{status}</StatusAborted>;
    case 'RUNNING':
      return <StatusRunning>{status}</StatusRunning>;
    default:
      return <StatusPending>{status}</StatusPending>;
  }
}

/** What the runs can be sorted by: start, duration, or a final metric. */
function sortKeysOf(metricKeys: string[]) {
  return [
    { key: 'started', label: 'Started', get: (run: Run) => run.startTime },
    {
      key: 'duration',
      label: 'Duration',
      get: (run: Run) =>
        run.startTime !== undefined && run.endTime !== undefined
          ? run.endTime - run.startTime
          : undefined,
    },
    ...metricKeys.map(metric => ({
      key: `metric:${metric}`,
      label: metric,
      get: (run: Run) => run.metrics?.[metric],
    })),
  ];
}

/** The runs by a number, highest or lowest first; runs without it last. */
export function sortRuns<T extends Run>(
  runs: T[],
  get: (run: Run) => number | undefined,
  order: 'desc' | 'asc',
): T[] {
  const sign = order === 'desc' ? -1 : 1;
  return [...runs].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === undefined || y === undefined) {
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    }
    return sign * (x - y);
  });
}

function runColumns(metricKeys: string[]): TableColumn<Run>[] {
  return [
    {
      title: 'Run',
      field: 'name',
      highlight: true,
      render: run =>
        run.url ? <Link to={run.url}>{runLabel(run)}</Link> : runLabel(run),
    },
    {
      title: 'Status',
      field: 'status',
      render: run => <RunStatus status={run.status} />,
    },
    {
      title: 'Started',
      render: run => formatTime(run.startTime),
    },
    {
      title: 'Duration',
      render: run => formatDuration(run.startTime, run.endTime),
    },
    {
      title: 'Parameters',
      render: run => {
        const text = formatPairs(run.params);
        return (
          <Typography
            variant="body2"
            noWrap
            title={text}
            style={{ maxWidth: 260 }}
          >
            {text}
          </Typography>
        );
      },
    },
    ...metricKeys.map(
      (key): TableColumn<Run> => ({
        title: key,
        align: 'right',
        render: run => formatMetric(run.metrics?.[key]),
      }),
    ),
  ];
}

/** @public */
export interface ModelRunsTableProps {
  runs: Run[];
  title?: string;
  /** The ids of the runs checked for comparison. */
  selectedRunIds?: string[];
  /** When given, each row gets a checkbox to choose runs to compare. */
  onSelectionChange?: (runIds: string[]) => void;
}

/**
 * MLflow runs: name, status, start, duration, parameters and one column per
 * final metric found across the runs.
 *
 * @public
 */
export function ModelRunsTable(props: ModelRunsTableProps) {
  const {
    runs,
    title = 'Training runs',
    selectedRunIds,
    onSelectionChange,
  } = props;
  const metricKeys = useMemo(() => metricKeysOf(runs), [runs]);
  const columns = useMemo(() => runColumns(metricKeys), [metricKeys]);
  const sortKeys = useMemo(() => sortKeysOf(metricKeys), [metricKeys]);
  const [sortKey, setSortKey] = useState('started');
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  const sortBy = sortKeys.find(k => k.key === sortKey) ?? sortKeys[0];
  const data = useMemo(() => {
    const sorted = sortRuns(runs, sortBy.get, order);
    if (!onSelectionChange) return sorted;
    const selected = new Set(selectedRunIds);
    // material-table reads the checked state of a row from its `tableData`
    return sorted.map(run => ({
      ...run,
      tableData: { checked: selected.has(run.id) },
    }));
  }, [runs, sortBy, order, selectedRunIds, onSelectionChange]);

  return (
    <>
      {/* material-table's own sort labels nest a button in a button (axe: nested-interactive) */}
      {/* on the card's paper: the outlined labels lack contrast on the page's grey (axe) */}
      <Box
        display="flex"
        flexWrap="wrap"
        mb={1}
        p={1}
        bgcolor="background.paper"
        borderRadius={4}
        style={{ gap: 8 }}
      >
        <TextField
          select
          id="llmops-runs-sort"
          label="Sort runs by"
          variant="outlined"
          size="small"
          value={sortBy.key}
          onChange={e => setSortKey(e.target.value)}
          style={{ minWidth: 160 }}
        >
          {sortKeys.map(k => (
            <MenuItem key={k.key} value={k.key}>
              {k.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          id="llmops-runs-order"
          label="Order"
          variant="outlined"
          size="small"
          value={order}
          onChange={e => setOrder(e.target.value as 'desc' | 'asc')}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="desc">Highest first</MenuItem>
          <MenuItem value="asc">Lowest first</MenuItem>
        </TextField>
      </Box>
      <Table<Run>
        title={title}
        columns={columns}
        data={data}
        options={{
          paging: runs.length > 20,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          padding: 'dense',
          selection: !!onSelectionChange,
          // material-table's select-all box has no label (axe: label); the
          // content above the table has its own Check all / Uncheck all
          showSelectAllCheckbox: false,
          // each row's box is named by its run (axe: label)
          selectionProps: (run: Run) => ({
            inputProps: { 'aria-label': `Compare ${runLabel(run)}` },
          }),
          sorting: false,
          showTextRowsSelected: false,
        }}
        onSelectionChange={rows => onSelectionChange?.(rows.map(row => row.id))}
      />
    </>
  );
}
