import type { MetricHistory, Run } from '@llmops/plugin-llm-ops-common';

/** What the x axis shows: the logged step, or seconds since the run's first point. */
export type XAxisMode = 'step' | 'time';

export type ChartRow = { x: number } & Record<string, number>;

/** A value for people: at most 4 significant digits, `0.0001235`, `1,235`. */
export function formatSig4(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

/**
 * An exponential moving average, as TensorBoard's and MLflow's smoothing
 * slider: `weight` 0 keeps the values, 0.99 smooths hard. Debiased, so the
 * first points are not pulled towards 0.
 */
export function smooth(values: number[], weight: number): number[] {
  if (weight <= 0) return values;
  let last = 0;
  return values.map((value, i) => {
    last = last * weight + (1 - weight) * value;
    return last / (1 - weight ** (i + 1));
  });
}

/** One row per x value, with each run's (smoothed) value under `run<index>`. */
export function toChartRows(
  histories: MetricHistory[],
  options: { xAxis: XAxisMode; smoothing: number },
): ChartRow[] {
  const byX = new Map<number, ChartRow>();
  histories.forEach((history, index) => {
    const points = [...history.items].sort((a, b) => a.step - b.step);
    const values = smooth(
      points.map(p => p.value),
      options.smoothing,
    );
    const start = Math.min(...points.map(p => p.timestamp));
    points.forEach((point, i) => {
      const x =
        options.xAxis === 'step'
          ? point.step
          : Math.round((point.timestamp - start) / 100) / 10;
      const row = byX.get(x) ?? ({ x } as ChartRow);
      row[`run${index}`] = values[i];
      byX.set(x, row);
    });
  });
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

/** Whether every value is positive, so a log scale can show them all. */
export function allPositive(histories: MetricHistory[]): boolean {
  return histories.every(h => h.items.every(p => p.value > 0));
}

/**
 * The parameters of the runs side by side, as MLflow's compare view: those
 * whose values differ first, then (if `all`) those all runs share.
 */
export function paramRows(
  runs: Run[],
  all = false,
): Array<{ key: string; values: Array<string | undefined>; differs: boolean }> {
  const keys = [...new Set(runs.flatMap(r => Object.keys(r.params)))].sort();
  const rows = keys.map(key => {
    const values = runs.map(r => r.params[key]);
    return { key, values, differs: new Set(values).size > 1 };
  });
  return [
    ...rows.filter(r => r.differs),
    ...(all ? rows.filter(r => !r.differs) : []),
  ];
}
