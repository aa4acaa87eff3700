import { IconComponent } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  appTreeApiRef,
  FrontendFeature,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { DefaultEntityPresentationApi } from '@backstage/plugin-catalog';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import {
  catalogGraphApiRef,
  catalogGraphRouteRef,
  DefaultCatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import {
  catalogApiRef,
  EntityPresentationApi,
  entityPresentationApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { llmOpsKindIcons } from '@llmops/plugin-llm-ops';
import { render, screen } from '@testing-library/react';
import { LineageCard } from './LineageCard';
import {
  catalogGraphLineageModule,
  catalogLineageModule,
  entityPresentationApi,
} from '.';

const entity = (
  kind: string,
  name: string,
  relations: { type: string; targetRef: string }[] = [],
) => ({
  apiVersion: 'llmops.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', title: `The ${name}` },
  spec: { owner: 'group:default/nlp' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/nlp' },
    ...relations,
  ],
});
const dataset = entity('Dataset', 'tickets');
const model = entity('Model', 'assistant', [
  { type: 'trainedOn', targetRef: 'dataset:default/tickets' },
]);
const lonely = entity('Model', 'lonely');

/** The presentation API that the module's API extension builds. */
const createPresentationApi = () =>
  createExtensionTester(entityPresentationApi)
    .get(ApiBlueprint.dataRefs.factory)
    .factory({ catalogApi: catalogApiMock() }) as EntityPresentationApi;

// jsdom has no SVG layout: the graph's nodes measure their text with getBBox
beforeAll(() => {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 80, height: 16 }),
  });
});

function renderCard(subject: ReturnType<typeof entity>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: [model, dataset] })],
        [catalogGraphApiRef, new DefaultCatalogGraphApi()],
        [entityPresentationApiRef, createPresentationApi()],
      ]}
    >
      <EntityProvider entity={subject}>
        <LineageCard
          title="Lineage and dependencies"
          relations={['trainedOn', 'trained', 'derivedFrom', 'baseOf']}
        />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/catalog-graph': catalogGraphRouteRef,
      },
    },
  );
}

/** The svg path an icon draws. */
function pathOf(Icon: IconComponent) {
  const { container, unmount } = render(<Icon />);
  const d = container.querySelector('path')?.getAttribute('d');
  unmount();
  return d;
}

describe('LineageCard', () => {
  it('says in words that an entity without lineage has none, with no graph', async () => {
    const { container } = await renderCard(lonely);
    expect(screen.getByText('Lineage and dependencies')).toBeInTheDocument();
    expect(
      screen.getByText(
        'No lineage yet: nothing in the catalog relates The lonely to a dataset, training job, base model or deployment.',
      ),
    ).toBeInTheDocument();
    expect(container.querySelector('svg')).toBeNull();
  });

  it('draws the graph, each node with its kind icon, for an entity with lineage', async () => {
    const { container } = await renderCard(model);
    expect(screen.getByText('Lineage and dependencies')).toBeInTheDocument();
    // the graph draws its nodes after its debounced layouts (~0.7 s here)
    expect(
      await screen.findByText('The tickets', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No lineage yet/)).toBeNull();
    expect(container.querySelector('svg#dependency-graph')).not.toBeNull();

    // a node's <title> is its entity ref; its icon is an svg next to it
    const iconOf = (ref: string) =>
      screen
        .getAllByTestId('node')
        .find(node => node.querySelector('title')?.textContent === ref)
        ?.querySelector('svg.MuiSvgIcon-root path')
        ?.getAttribute('d');
    expect(iconOf('model:default/assistant')).toBe(
      pathOf(llmOpsKindIcons.model),
    );
    expect(iconOf('dataset:default/tickets')).toBe(
      pathOf(llmOpsKindIcons.dataset),
    );
  });
});

describe('entityPresentationApi', () => {
  it.each([
    ['Model', llmOpsKindIcons.model],
    ['Dataset', llmOpsKindIcons.dataset],
    ['Deployment', llmOpsKindIcons.deployment],
    ['TrainingJob', llmOpsKindIcons.trainingjob],
  ])('gives kind %s its icon', (kind, Icon) => {
    const api = createPresentationApi();
    expect(Icon).toBeDefined();
    expect(api.forEntity(entity(kind, 'x')).snapshot.Icon).toBe(Icon);
  });

  it("replaces the catalog's default, which has no icon for these kinds", () => {
    const catalogDefault = DefaultEntityPresentationApi.create({
      catalogApi: catalogApiMock(),
    });
    expect(
      catalogDefault.forEntity(entity('Model', 'x')).snapshot.Icon,
    ).toBeFalsy();
  });
});

describe('the modules, in an app with the catalog plugins', () => {
  const plugins = [catalogPlugin, catalogGraphPlugin];
  const modules = [catalogLineageModule, catalogGraphLineageModule];
  const modelIcon = (features: FrontendFeature[]) =>
    renderTestApp({ features })
      .apis.get(entityPresentationApiRef)
      ?.forEntity(entity('Model', 'x')).snapshot.Icon;

  it("replace the catalog's entity presentation API", () => {
    expect(modelIcon(plugins)).toBeUndefined();
    expect(modelIcon([...plugins, ...modules])).toBe(llmOpsKindIcons.model);
  });

  it("replace catalog-graph's relations card, with app-config.yaml's config", () => {
    // the keys app-config.yaml configures the card with
    const appConfig = {
      app: {
        extensions: [
          {
            'entity-card:catalog-graph/relations': {
              config: {
                title: 'Lineage and dependencies',
                maxDepth: 2,
                relations: ['derivedFrom', 'trainedOn', 'produced', 'serves'],
                relationPairs: [['trainedOn', 'trained']],
              },
            },
          },
        ],
      },
    };
    // a module's extensions are not in its public type
    const [card] = (
      catalogGraphLineageModule as unknown as {
        extensions: Array<{ factory: unknown }>;
      }
    ).extensions;
    const cardExtension = (features: FrontendFeature[]) =>
      renderTestApp({ features, config: appConfig })
        .apis.get(appTreeApiRef)
        ?.getTree()
        .tree.nodes.get('entity-card:catalog-graph/relations')?.spec.extension;
    expect(cardExtension(plugins)).not.toMatchObject({ factory: card.factory });
    expect(cardExtension([...plugins, ...modules])).toMatchObject({
      factory: card.factory,
    });
  });
});
