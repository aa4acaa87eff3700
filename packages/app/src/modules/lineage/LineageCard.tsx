import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  catalogGraphTranslationRef,
  EntityCatalogGraphCard,
} from '@backstage/plugin-catalog-graph';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ComponentProps } from 'react';

/** The props (the extension's config) of catalog-graph's relations card. */
export type LineageCardProps = ComponentProps<typeof EntityCatalogGraphCard>;

/**
 * catalog-graph's relations card, or words when the entity has none of its
 * relations: the graph would scale the lone node to the card's full width.
 */
export function LineageCard(props: LineageCardProps) {
  const { t } = useTranslationRef(catalogGraphTranslationRef);
  const { entity } = useEntity();
  const { relations, title = t('catalogGraphCard.title') } = props;
  const related =
    !relations || !!entity.relations?.some(r => relations.includes(r.type));
  if (related) {
    return <EntityCatalogGraphCard {...props} />;
  }
  const name = entity.metadata.title ?? entity.metadata.name;
  return (
    <InfoCard title={title}>
      <Typography>
        No lineage yet: nothing in the catalog relates {name} to a dataset,
        training job, base model or deployment.
      </Typography>
    </InfoCard>
  );
}
