import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@llmops/plugin-llm-ops-common';
import { paramRows } from './chartData';
import { runLabel } from './runs';

/** The checked runs' parameters side by side; differing ones highlighted. */
export function ParamDiffTable(props: { runs: Run[] }) {
  const { runs } = props;
  const [all, setAll] = useState(false);
  const rows = paramRows(runs, all);
  const toggle = (
    <FormControlLabel
      control={
        <Switch
          checked={all}
          onChange={e => setAll(e.target.checked)}
          color="primary"
        />
      }
      label="Show equal parameters too"
    />
  );
  let content;
  if (runs.length < 2) {
    content = (
      <Typography>
        Check two runs or more to compare their parameters.
      </Typography>
    );
  } else if (rows.length === 0) {
    content = (
      <Typography>The checked runs have the same parameters.</Typography>
    );
  } else {
    content = (
      <div style={{ overflowX: 'auto' }}>
        <table
          data-testid="llmops-param-diff"
          style={{ borderCollapse: 'collapse', width: '100%' }}
        >
          <thead>
            <tr>
              <th style={{ textAlign: 'left', padding: 4 }}>Parameter</th>
              {runs.map(run => (
                <th key={run.id} style={{ textAlign: 'left', padding: 4 }}>
                  {runLabel(run)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(row => (
              <tr key={row.key}>
                <th scope="row" style={{ textAlign: 'left', padding: 4 }}>
                  <code>{row.key}</code>
                </th>
                {row.values.map((value, i) => (
                  <td
                    key={runs[i].id}
                    style={{
                      padding: 4,
                      fontWeight: row.differs ? 600 : undefined,
                    }}
                  >
                    {value ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <InfoCard title="Parameters of the checked runs" action={toggle}>
      {content}
    </InfoCard>
  );
}
