import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { DatasetModelsCard } from './DatasetModelsCard';
import { renderWithEntity } from '../model/__testUtils__/renderWithEntity';

const datasetEntity: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'support-tickets-sft', namespace: 'default' },
  spec: {
    type: 'sft_pair',
    owner: 'group:nlp',
    lifecycle: 'production',
    storageUri: 's3://acme-datasets/support-tickets-sft',
    versions: [{ version: 'v3' }, { version: 'v2' }],
  },
};

/** A Model trained on the dataset versions, with the relations the processor emits. */
function model(
  name: string,
  trainedOn: Array<{ dataset: string; version: string }>,
): Entity {
  return {
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Model',
    metadata: { name, namespace: 'default' },
    spec: { type: 'fine-tuned', trainedOn },
    relations: trainedOn.map(t => ({
      type: 'trainedOn',
      targetRef: t.dataset.includes(':')
        ? t.dataset
        : `dataset:default/${t.dataset}`,
    })),
  };
}

const group = (version: string) =>
  within(screen.getByRole('listitem', { name: version }));

describe('DatasetModelsCard', () => {
  it('groups the models trained on the dataset by version', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        datasetEntity,
        model('support-assistant-llama-3-8b', [
          { dataset: 'dataset:default/support-tickets-sft', version: 'v3' },
        ]),
        // a short ref resolves in the model's namespace
        model('support-assistant-mistral-7b', [
          { dataset: 'support-tickets-sft', version: 'v3' },
        ]),
        model('support-assistant-old', [
          { dataset: 'dataset:default/support-tickets-sft', version: 'v2' },
          { dataset: 'dataset:default/web-corpus-en', version: 'v1' },
        ]),
        model('docs-rag-mistral-7b', [
          { dataset: 'dataset:default/product-docs-qa', version: 'v2' },
        ]),
      ],
    });
    await renderWithEntity(<DatasetModelsCard />, {
      entity: datasetEntity,
      catalogApi,
    });

    expect(
      await group('v3').findByRole('link', {
        name: /support-assistant-llama-3-8b/,
      }),
    ).toBeInTheDocument();
    expect(
      group('v3').getByRole('link', { name: /support-assistant-mistral-7b/ }),
    ).toBeInTheDocument();
    expect(group('v3').getAllByRole('link')).toHaveLength(2);
    expect(group('v2').getAllByRole('link')).toHaveLength(1);
    expect(
      group('v2').getByRole('link', { name: /support-assistant-old/ }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/docs-rag-mistral-7b/)).not.toBeInTheDocument();
    // newest version first, as listed in the dataset
    const headers = screen
      .getAllByRole('listitem')
      .map(li => li.getAttribute('aria-label'));
    expect(headers.filter(Boolean)).toEqual(['v3', 'v2']);
  });

  it('shows an empty state when no model was trained on the dataset', async () => {
    await renderWithEntity(<DatasetModelsCard />, {
      entity: datasetEntity,
      catalogApi: catalogApiMock({ entities: [datasetEntity] }),
    });
    expect(await screen.findByText('No trained models')).toBeInTheDocument();
  });

  it('shows the error when the catalog cannot be read', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntities: jest.fn().mockRejectedValue(new Error('catalog is down')),
    });
    await renderWithEntity(<DatasetModelsCard />, {
      entity: datasetEntity,
      catalogApi,
    });
    expect(
      (await screen.findAllByText(/catalog is down/)).length,
    ).toBeGreaterThan(0);
  });
});
