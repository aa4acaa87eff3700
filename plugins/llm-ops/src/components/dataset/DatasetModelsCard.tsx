import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListSubheader from '@material-ui/core/ListSubheader';
import {
  isDatasetEntity,
  isModelEntity,
  RELATION_TRAINED_ON,
} from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';

/** The group of models whose training data's version is not recorded. */
const UNKNOWN_VERSION = 'unknown version';

/** The versions of `datasetRef` a model lists in `spec.trainedOn`. */
function trainedVersions(model: Entity, datasetRef: string): string[] {
  if (!isModelEntity(model)) return [];
  const defaults = {
    defaultKind: 'Dataset',
    defaultNamespace: model.metadata.namespace ?? 'default',
  };
  return (model.spec.trainedOn ?? [])
    .filter(
      t =>
        stringifyEntityRef(parseEntityRef(t.dataset, defaults)) === datasetRef,
    )
    .map(t => t.version);
}

/**
 * The models grouped by the version they were trained on, in the order of
 * `versionOrder` (newest first), then other versions, then unknown ones.
 */
function groupByVersion(
  models: Entity[],
  datasetRef: string,
  versionOrder: string[],
): Array<[string, Entity[]]> {
  const groups = new Map<string, Entity[]>();
  for (const model of models) {
    const versions = trainedVersions(model, datasetRef);
    for (const version of versions.length ? versions : [UNKNOWN_VERSION]) {
      groups.set(version, [...(groups.get(version) ?? []), model]);
    }
  }
  const rank = (version: string) => {
    if (version === UNKNOWN_VERSION) return Infinity;
    const index = versionOrder.indexOf(version);
    return index === -1 ? versionOrder.length : index;
  };
  return [...groups.entries()].sort(
    ([a], [b]) =>
      rank(a) - rank(b) || b.localeCompare(a, undefined, { numeric: true }),
  );
}

/**
 * The catalog's models trained on the current Dataset entity, grouped by the
 * dataset version each was trained on.
 *
 * @public
 */
export function DatasetModelsCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const datasetRef = stringifyEntityRef(entity);
  const {
    value: models,
    loading,
    error,
  } = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: {
            kind: 'Model',
            [`relations.${RELATION_TRAINED_ON}`]: datasetRef,
          },
        })
      ).items,
    [catalogApi, datasetRef],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!models?.length) {
    body = (
      <EmptyState
        missing="data"
        title="No trained models"
        description="No model in the catalog lists this dataset in spec.trainedOn."
      />
    );
  } else {
    const versionOrder = isDatasetEntity(entity)
      ? (entity.spec.versions ?? []).map(v => v.version)
      : [];
    body = (
      <List dense disablePadding>
        {groupByVersion(models, datasetRef, versionOrder).map(
          ([version, group]) => (
            <li key={version} aria-label={version}>
              <List dense disablePadding>
                <ListSubheader disableSticky>{version}</ListSubheader>
                {group.map(model => (
                  <ListItem key={stringifyEntityRef(model)}>
                    <EntityRefLink entityRef={model} />
                  </ListItem>
                ))}
              </List>
            </li>
          ),
        )}
      </List>
    );
  }
  return <InfoCard title="Trained models">{body}</InfoCard>;
}
