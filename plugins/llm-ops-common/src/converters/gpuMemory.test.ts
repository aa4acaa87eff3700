import fc from 'fast-check';
import { KNOWN_GPU_TYPES } from '../specs/gpuTypes';
import {
  gpuMemoryAffinity,
  minimumGpuMemoryMiB,
  readGpuMemoryAffinity,
} from './manifestHelpers';

/**
 * `nvidia.com/gpu.memory` as GPU Feature Discovery reports it: NVML's total
 * memory in MiB (k8s-device-plugin `internal/lm/resource.go`,
 * `GetTotalMemoryMiB`).
 */
const GFD_MEMORY_MIB = {
  'A100 80GB': 81920,
  'H100 80GB': 81559,
  L4: 23034,
  L40S: 46068,
  H200: 143771,
  'A100 40GB': 40960,
  T4: 15360,
  A10G: 23028,
} as const;
type Gpu = keyof typeof GFD_MEMORY_MIB;

/** What the API server's node affinity does with `Gt`: the label, as an integer, is greater. */
function schedulesOn(gb: number, gpu: Gpu): boolean {
  const [expression] =
    gpuMemoryAffinity(gb).nodeAffinity
      .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
      .matchExpressions;
  expect(expression).toEqual(
    expect.objectContaining({ key: 'nvidia.com/gpu.memory', operator: 'Gt' }),
  );
  return GFD_MEMORY_MIB[gpu] > Number(expression.values[0]);
}

describe('the GPU-memory node affinity', () => {
  // every row: the GPUs a request must reach, and those it must not
  it.each([
    [
      16,
      [
        'T4',
        'L4',
        'A10G',
        'L40S',
        'A100 40GB',
        'A100 80GB',
        'H100 80GB',
        'H200',
      ],
      [],
    ],
    [
      24,
      ['L4', 'A10G', 'L40S', 'A100 40GB', 'A100 80GB', 'H100 80GB', 'H200'],
      ['T4'],
    ],
    [
      40,
      ['A100 40GB', 'L40S', 'A100 80GB', 'H100 80GB', 'H200'],
      ['T4', 'L4', 'A10G'],
    ],
    [
      48,
      ['L40S', 'A100 80GB', 'H100 80GB', 'H200'],
      ['T4', 'L4', 'A10G', 'A100 40GB'],
    ],
    [
      80,
      ['A100 80GB', 'H100 80GB', 'H200'],
      ['T4', 'L4', 'A10G', 'L40S', 'A100 40GB'],
    ],
    [
      141,
      ['H200'],
      ['T4', 'L4', 'A10G', 'L40S', 'A100 40GB', 'A100 80GB', 'H100 80GB'],
    ],
  ] as Array<[number, Gpu[], Gpu[]]>)(
    'a %d GB request schedules on %j and not on %j',
    (gb, on, off) => {
      for (const gpu of on) {
        expect([gpu, schedulesOn(gb, gpu)]).toEqual([gpu, true]);
      }
      for (const gpu of off) {
        expect([gpu, schedulesOn(gb, gpu)]).toEqual([gpu, false]);
      }
    },
  );

  it('was wrong before: gb × 1024 − 1 kept 24 GB off the L4 and 80 GB off the H100', () => {
    const old = (gb: number) => gb * 1024 - 1;
    expect(GFD_MEMORY_MIB.L4 > old(24)).toBe(false);
    expect(GFD_MEMORY_MIB['H100 80GB'] > old(80)).toBe(false);
    expect(schedulesOn(24, 'L4')).toBe(true);
    expect(schedulesOn(80, 'H100 80GB')).toBe(true);
  });

  it('agrees with the memory of the GPU type table', () => {
    expect(KNOWN_GPU_TYPES['nvidia-a100-80gb'].memoryMiB).toBe(
      GFD_MEMORY_MIB['A100 80GB'],
    );
    expect(KNOWN_GPU_TYPES['nvidia-h100-80gb'].memoryMiB).toBe(
      GFD_MEMORY_MIB['H100 80GB'],
    );
    expect(KNOWN_GPU_TYPES['nvidia-l4'].memoryMiB).toBe(GFD_MEMORY_MIB.L4);
    expect(KNOWN_GPU_TYPES['nvidia-l40s'].memoryMiB).toBe(GFD_MEMORY_MIB.L40S);
    expect(KNOWN_GPU_TYPES['nvidia-h200-141gb'].memoryMiB).toBe(
      GFD_MEMORY_MIB.H200,
    );
    expect(KNOWN_GPU_TYPES['nvidia-a100-40gb'].memoryMiB).toBe(
      GFD_MEMORY_MIB['A100 40GB'],
    );
    expect(KNOWN_GPU_TYPES['nvidia-t4'].memoryMiB).toBe(GFD_MEMORY_MIB.T4);
    expect(KNOWN_GPU_TYPES['nvidia-a10g'].memoryMiB).toBe(GFD_MEMORY_MIB.A10G);
  });

  it('reads every request back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), gb => {
        expect(readGpuMemoryAffinity(gpuMemoryAffinity(gb), 'x')).toBe(gb);
        expect(minimumGpuMemoryMiB(gb)).toBeGreaterThanOrEqual(
          gb * 1024 * 0.92,
        );
        expect(minimumGpuMemoryMiB(gb)).toBeLessThan(gb * 1024 * 0.92 + 1);
      }),
    );
  });
});
