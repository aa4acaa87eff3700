import { useMemo } from 'react';
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

const byNumber = (get: (run: Run) => number | undefined) => (a: Run, b: Run) =>
  (get(a) ?? -Infinity) - (get(b) ?? -Infinity);

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
      customSort: byNumber(run => run.startTime),
    },
    {
      title: 'Duration',
      render: run => formatDuration(run.startTime, run.endTime),
      customSort: byNumber(run =>
        run.startTime !== undefined && run.endTime !== undefined
          ? run.endTime - run.startTime
          : undefined,
      ),
    },
    {
      title: 'Parameters',
      sorting: false,
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
        customSort: byNumber(run => run.metrics?.[key]),
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
  const columns = useMemo(() => runColumns(metricKeysOf(runs)), [runs]);
  const data = useMemo(() => {
    if (!onSelectionChange) return runs;
    const selected = new Set(selectedRunIds);
    // material-table reads the checked state of a row from its `tableData`
    return runs.map(run => ({
      ...run,
      tableData: { checked: selected.has(run.id) },
    }));
  }, [runs, selectedRunIds, onSelectionChange]);

  return (
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
        // its sort labels nest a button in a button (axe: nested-interactive)
        sorting: false,
        showTextRowsSelected: false,
      }}
      onSelectionChange={rows => onSelectionChange?.(rows.map(row => row.id))}
    />
  );
}
