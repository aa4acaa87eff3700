import { compatWrapper } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { DefaultEntityPresentationApi } from '@backstage/plugin-catalog';
import { Direction } from '@backstage/plugin-catalog-graph';
import {
  catalogApiRef,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { llmOpsKindIcons } from '@llmops/plugin-llm-ops';
import { z } from 'zod/v4';

/**
 * The catalog's entity presentation API with the LLM Ops kinds' icons: the
 * lineage graph's nodes take their icon from it, not from the icon bundles.
 * Its id, api:catalog/entity-presentation, replaces the catalog plugin's.
 */
export const entityPresentationApi = ApiBlueprint.make({
  name: 'entity-presentation',
  params: defineParams =>
    defineParams({
      api: entityPresentationApiRef,
      deps: { catalogApi: catalogApiRef },
      factory: ({ catalogApi }) =>
        DefaultEntityPresentationApi.create({
          catalogApi,
          kindIcons: llmOpsKindIcons,
        }),
    }),
});

/**
 * catalog-graph's relations card (entity-card:catalog-graph/relations), with
 * words instead of a lone giant node when the entity has no lineage.
 */
const lineageCard = EntityCardBlueprint.makeWithOverrides({
  name: 'relations',
  // catalog-graph's own schema: app-config.yaml's config applies unchanged
  configSchema: {
    kinds: z.array(z.string()).optional(),
    relations: z.array(z.string()).optional(),
    maxDepth: z.number().optional(),
    unidirectional: z.boolean().optional(),
    mergeRelations: z.boolean().optional(),
    showArrowHeads: z.boolean().optional(),
    direction: z.nativeEnum(Direction).optional(),
    relationPairs: z.array(z.tuple([z.string(), z.string()])).optional(),
    zoom: z.enum(['enabled', 'disabled', 'enable-on-click']).optional(),
    curve: z.enum(['curveStepBefore', 'curveMonotoneX']).optional(),
    title: z.string().optional(),
    height: z.number().optional(),
  },
  factory(originalFactory, { config }) {
    // filter and type are the blueprint's own, not the card's props
    const { filter: _filter, type: _type, ...props } = config;
    return originalFactory({
      loader: () =>
        import('./LineageCard').then(m =>
          compatWrapper(<m.LineageCard {...props} />),
        ),
    });
  },
});

export const catalogLineageModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [entityPresentationApi],
});

export const catalogGraphLineageModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [lineageCard],
});
