import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import type { Run } from '@llmops/plugin-llm-ops-common';
import Typography from '@material-ui/core/Typography';
import { MetricChart } from './MetricChart';
import { ModelRunsLoader } from './ModelRunsCard';
import { ModelRunsTable } from './ModelRunsTable';
import { ParamDiffTable } from './ParamDiffTable';
import { newestRuns } from './runs';

/** Runs compared by default. */
const DEFAULT_COMPARED = 5;
/** Runs drawn at most: one colour each, and one metric read each. */
const MAX_COMPARED = 10;

function RunsComparison(props: {
  runs: Run[];
  title: string;
  chartWidth?: number;
}) {
  const { runs, title, chartWidth } = props;
  const [selectedIds, setSelectedIds] = useState(() =>
    newestRuns(runs, DEFAULT_COMPARED).map(run => run.id),
  );
  const checked = runs.filter(run => selectedIds.includes(run.id));
  const selectedRuns = newestRuns(checked, MAX_COMPARED);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" style={{ gap: 8 }} mb={1}>
          <Button
            size="small"
            variant="outlined"
            onClick={() => setSelectedIds(runs.map(run => run.id))}
          >
            Check all
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => setSelectedIds([])}
          >
            Uncheck all
          </Button>
        </Box>
        <ModelRunsTable
          runs={runs}
          title={title}
          selectedRunIds={selectedIds}
          onSelectionChange={setSelectedIds}
        />
      </Grid>
      <Grid item xs={12}>
        {checked.length > MAX_COMPARED && (
          <Typography variant="body2" color="textSecondary">
            {checked.length} runs are checked; the newest {MAX_COMPARED} are
            compared.
          </Typography>
        )}
        <MetricChart runs={selectedRuns} width={chartWidth} />
      </Grid>
      <Grid item xs={12}>
        <ParamDiffTable runs={selectedRuns} />
      </Grid>
    </Grid>
  );
}

/** @public */
export interface ModelRunsContentProps {
  /** A fixed chart width in pixels; by default the chart fills the page. */
  chartWidth?: number;
}

/**
 * The runs tab of a Model entity: its MLflow training runs, and a chart
 * comparing the metric history of the checked runs (by default the newest
 * five).
 *
 * @public
 */
export function ModelRunsContent(props: ModelRunsContentProps) {
  return (
    <ModelRunsLoader>
      {(runs, title) => (
        <RunsComparison
          runs={runs}
          title={title}
          chartWidth={props.chartWidth}
        />
      )}
    </ModelRunsLoader>
  );
}
