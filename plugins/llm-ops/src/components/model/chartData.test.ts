import type { MetricHistory, Run } from '@llmops/plugin-llm-ops-common';
import {
  allPositive,
  formatSig4,
  paramRows,
  smooth,
  toChartRows,
} from './chartData';

const history = (
  points: Array<[step: number, value: number, timestamp: number]>,
): MetricHistory =>
  ({
    items: points.map(([step, value, timestamp]) => ({
      step,
      value,
      timestamp,
    })),
    stale: false,
  } as MetricHistory);

describe('chart data', () => {
  it('rounds tooltip values to 4 significant digits', () => {
    expect(formatSig4(2.718281828)).toBe('2.718');
    expect(formatSig4(1234567)).toBe('1,235,000');
    expect(formatSig4(0.000012346)).toBe('1.235e-5');
    expect(formatSig4(2.5e12)).toBe('2.500e+12');
    expect(formatSig4(0)).toBe('0');
  });

  it('smooths with a debiased moving average, and keeps values at weight 0', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = smooth([1, 1, 1, 10], 0.5);
    // a constant stays constant: no pull towards 0 at the start
    expect(s.slice(0, 3).map(v => Number(v.toFixed(6)))).toEqual([1, 1, 1]);
    expect(s[3]).toBeGreaterThan(1);
    expect(s[3]).toBeLessThan(10);
  });

  it('puts each run on x by step or by seconds since its own first point', () => {
    const a = history([
      [0, 2, 1_000_000],
      [10, 1, 1_030_000],
    ]);
    const b = history([[10, 3, 5_000_000]]);
    expect(toChartRows([a, b], { xAxis: 'step', smoothing: 0 })).toEqual([
      { x: 0, run0: 2 },
      { x: 10, run0: 1, run1: 3 },
    ]);
    expect(toChartRows([a, b], { xAxis: 'time', smoothing: 0 })).toEqual([
      { x: 0, run0: 2, run1: 3 },
      { x: 30, run0: 1 },
    ]);
  });

  it('allows a log scale only for positive values', () => {
    expect(allPositive([history([[0, 0.5, 1]])])).toBe(true);
    expect(allPositive([history([[0, 0, 1]])])).toBe(false);
  });

  it('lists differing parameters first, the equal ones on request', () => {
    const run = (id: string, params: Record<string, string>) =>
      ({
        id,
        params,
        tags: {},
        metrics: {},
        status: 'FINISHED',
        experimentId: '1',
      } as Run);
    const runs = [
      run('a', { lr: '1e-4', epochs: '3', seed: '1' }),
      run('b', { lr: '2e-4', epochs: '3' }),
    ];
    expect(paramRows(runs).map(r => [r.key, r.values])).toEqual([
      ['lr', ['1e-4', '2e-4']],
      ['seed', ['1', undefined]],
    ]);
    expect(paramRows(runs, true).map(r => r.key)).toEqual([
      'lr',
      'seed',
      'epochs',
    ]);
  });
});
