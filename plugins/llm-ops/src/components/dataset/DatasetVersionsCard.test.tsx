import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import type { DatasetVersion } from '@llmops/plugin-llm-ops-common';
import { DatasetVersionsCard } from './DatasetVersionsCard';
import {
  fakeApi,
  renderWithEntity,
} from '../model/__testUtils__/renderWithEntity';

const datasetEntity: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'support-tickets-sft', namespace: 'default' },
  spec: {
    type: 'sft_pair',
    owner: 'group:nlp',
    lifecycle: 'production',
    storageUri: 's3://acme-datasets/support-tickets-sft',
    dvc: {
      repo: 'https://git.example.com/ml/datasets.git',
      path: 'data/support-tickets-sft',
    },
    versions: [
      {
        version: 'v1',
        md5: '0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
        size: 1024,
        files: 1,
        date: '2026-01-01',
      },
    ],
  },
};

const live: DatasetVersion[] = [
  {
    version: 'v3',
    md5: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.dir',
    size: 912261120,
    files: 14,
    date: '2026-10-28',
    url: 's3://acme-datasets/support-tickets-sft/v3',
  },
  { version: 'v2', size: 53687091200, files: 1024, date: '2026-09-14' },
];

const rowOf = (text: string) => within(screen.getByText(text).closest('tr')!);

describe('DatasetVersionsCard', () => {
  it('shows each version with its date, md5, size, files and URL', async () => {
    const listDatasetVersions = jest.fn(async () => ({
      items: live,
      stale: false,
    }));
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({ listDatasetVersions }),
    });

    const v3 = rowOf(await screen.findByText('v3').then(el => el.textContent!));
    expect(v3.getByText('2026-10-28')).toBeInTheDocument();
    expect(
      v3.getByText('9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.dir'),
    ).toBeInTheDocument();
    expect(v3.getByText('870.0 MiB')).toBeInTheDocument();
    expect(v3.getByText('14')).toBeInTheDocument();
    expect(
      v3.getByText('s3://acme-datasets/support-tickets-sft/v3'),
    ).toBeInTheDocument();
    const v2 = rowOf('v2');
    expect(v2.getByText('50.0 GiB')).toBeInTheDocument();
    expect(v2.getByText('1,024')).toBeInTheDocument();
    expect(listDatasetVersions).toHaveBeenCalledWith(
      'support-tickets-sft',
      'default',
    );
    // the live versions replace those recorded in the entity
    expect(screen.queryByText('v1')).not.toBeInTheDocument();
  });

  it('shows the storage location and the DVC repository', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({
        listDatasetVersions: async () => ({ items: live, stale: false }),
      }),
    });
    expect(
      await screen.findByText('s3://acme-datasets/support-tickets-sft'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /git\.example\.com\/ml\/datasets\.git/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('data/support-tickets-sft')).toBeInTheDocument();
  });

  it('falls back to the versions of the entity when DVC is down with nothing fetched', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({
        listDatasetVersions: async () => ({
          items: [],
          stale: true,
          unavailable: { tool: 'dvc', reason: 'git clone failed' },
        }),
      }),
    });
    expect(await screen.findByText(/Can't reach DVC/)).toBeInTheDocument();
    expect(
      screen.getByText(/recorded in the catalog entity/),
    ).toBeInTheDocument();
    expect(rowOf('v1').getByText('1.0 KiB')).toBeInTheDocument();
  });

  it('shows stale versions with the banner and no fallback', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({
        listDatasetVersions: async () => ({
          items: live,
          stale: true,
          fetchedAt: '2026-11-27T10:00:00.000Z',
          unavailable: { tool: 'dvc', reason: 'timeout' },
        }),
      }),
    });
    expect(await screen.findByText(/Can't reach DVC/)).toBeInTheDocument();
    expect(screen.getByText('v3')).toBeInTheDocument();
    expect(
      screen.queryByText(/recorded in the catalog entity/),
    ).not.toBeInTheDocument();
  });

  it('shows an empty state when no version is known', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: {
        ...datasetEntity,
        spec: { ...datasetEntity.spec, versions: undefined },
      },
      api: fakeApi({
        listDatasetVersions: async () => ({ items: [], stale: false }),
      }),
    });
    expect(await screen.findByText('No versions')).toBeInTheDocument();
  });

  it('shows the error, and the versions of the entity, when the versions cannot be read', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({
        listDatasetVersions: async () => {
          throw new Error('the API answered 500');
        },
      }),
    });
    expect(
      await screen.findByText(
        /DVC could not be asked \(the API answered 500\), so these are the versions recorded in the catalog entity/,
      ),
    ).toBeInTheDocument();
    expect(rowOf('v1').getByText('1.0 KiB')).toBeInTheDocument();
  });

  it("says the portal's DVC config lacks the repository, and shows the entity's versions", async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: datasetEntity,
      api: fakeApi({
        listDatasetVersions: async () => ({
          items: [],
          stale: false,
          unavailable: { tool: 'dvc', reason: 'not-configured' },
        }),
      }),
    });
    expect(
      await screen.findByText(
        /DVC configuration \(llmOps.integrations.dvc.repos\) does not include this dataset's repository/,
      ),
    ).toBeInTheDocument();
    expect(rowOf('v1').getByText('1.0 KiB')).toBeInTheDocument();
    expect(screen.queryByText(/has no/)).not.toBeInTheDocument();
  });

  it('shows the error alone when the entity records no versions either', async () => {
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: {
        ...datasetEntity,
        spec: { ...datasetEntity.spec, versions: undefined },
      },
      api: fakeApi({
        listDatasetVersions: async () => {
          throw new Error('dataset not found');
        },
      }),
    });
    expect(
      (await screen.findAllByText(/dataset not found/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('columnheader', { name: 'MD5' }),
    ).not.toBeInTheDocument();
  });

  it('shows the versions of the entity, without asking a tool, when it names no DVC repository', async () => {
    const listDatasetVersions = jest.fn();
    const { dvc: _dvc, ...spec } = datasetEntity.spec as NonNullable<
      Entity['spec']
    >;
    await renderWithEntity(<DatasetVersionsCard />, {
      entity: { ...datasetEntity, spec },
      api: fakeApi({ listDatasetVersions }),
    });
    expect(
      await screen.findByText(/names no DVC repository/),
    ).toBeInTheDocument();
    expect(rowOf('v1').getByText('1.0 KiB')).toBeInTheDocument();
    expect(listDatasetVersions).not.toHaveBeenCalled();
  });
});
