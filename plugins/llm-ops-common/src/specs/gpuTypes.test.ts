import {
  KNOWN_GPU_TYPES,
  gfdProductLabel,
  gpuProducts,
  gpuTypeTable,
  suggestGpuType,
} from './gpuTypes';

describe('the GPU type table', () => {
  it("builds GFD's product labels from NVML names as sanitise() does", () => {
    // internal/lm/resource_test.go of NVIDIA/k8s-device-plugin v0.18.0
    expect(gfdProductLabel('NVIDIA-TITAN-X-(Pascal)')).toBe(
      'NVIDIA-TITAN-X-Pascal',
    );
    expect(gfdProductLabel('NVIDIA A100-SXM4-80GB')).toBe(
      'NVIDIA-A100-SXM4-80GB',
    );
    expect(gfdProductLabel('NVIDIA H100 80GB HBM3')).toBe(
      'NVIDIA-H100-80GB-HBM3',
    );
    expect(gfdProductLabel('  NVIDIA   L4 ')).toBe('NVIDIA-L4');
  });

  it('matches the labels GFD writes on real GPU nodes', () => {
    expect(gpuTypeTable()).toEqual({
      'nvidia-t4': { products: ['Tesla-T4'] },
      'nvidia-a10g': { products: ['NVIDIA-A10G'] },
      'nvidia-l4': { products: ['NVIDIA-L4'] },
      'nvidia-l40s': { products: ['NVIDIA-L40S'] },
      'nvidia-a100-40gb': {
        products: ['NVIDIA-A100-SXM4-40GB', 'NVIDIA-A100-PCIE-40GB'],
      },
      'nvidia-a100-80gb': {
        products: ['NVIDIA-A100-SXM4-80GB', 'NVIDIA-A100-80GB-PCIe'],
      },
      'nvidia-h100-80gb': {
        products: ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H100-PCIe'],
      },
      'nvidia-h100-nvl': { products: ['NVIDIA-H100-NVL'] },
      'nvidia-h200-141gb': { products: ['NVIDIA-H200', 'NVIDIA-H200-NVL'] },
    });
  });

  it("covers the test cluster's GPU nodes (packages/test-utils gpuNodes.ts)", () => {
    // the NVML names those nodes are modelled on, and their labels
    for (const [type, nvml, product] of [
      ['nvidia-a100-80gb', 'NVIDIA A100-SXM4-80GB', 'NVIDIA-A100-SXM4-80GB'],
      ['nvidia-h100-80gb', 'NVIDIA H100 80GB HBM3', 'NVIDIA-H100-80GB-HBM3'],
      ['nvidia-l4', 'NVIDIA L4', 'NVIDIA-L4'],
    ]) {
      expect(KNOWN_GPU_TYPES[type].nvmlNames).toContain(nvml);
      expect(gpuProducts(type)).toContain(product);
    }
  });

  it('takes configured types beside the built-in ones', () => {
    const configured = {
      'nvidia-b200': { products: ['NVIDIA-B200'] },
      'nvidia-l4': { products: ['NVIDIA-L4', 'NVIDIA-L4-SHARED'] },
    };
    expect(gpuProducts('nvidia-b200', configured)).toEqual(['NVIDIA-B200']);
    expect(gpuProducts('nvidia-l4', configured)).toEqual([
      'NVIDIA-L4',
      'NVIDIA-L4-SHARED',
    ]);
    expect(gpuProducts('nvidia-b200')).toBeUndefined();
    expect(gpuProducts('constructor')).toBeUndefined();
  });

  it.each([
    ['A100-80GB', 'nvidia-a100-80gb'],
    ['a100 80gb', 'nvidia-a100-80gb'],
    ['NVIDIA-A100-SXM4-80GB', 'nvidia-a100-80gb'],
    ['Tesla-T4', 'nvidia-t4'],
    ['T4', 'nvidia-t4'],
    ['H100', undefined],
  ])('suggests a known type for %s', (value, suggestion) => {
    expect(suggestGpuType(value)).toBe(suggestion);
  });
});
