import { Content, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import useAsync from 'react-use/esm/useAsync';
import { ProblemText } from '../common/ProblemText';
import { FilterBar, FilterField } from '../pages/FilterBar';
import { useUrlFilters } from '../pages/useUrlFilters';

/** A filter of a kind's list: a substring of the value `value` reads. */
export interface EntityFilter extends FilterField {
  value(entity: Entity): string | undefined;
}

/** The text filter every list has: the entity's title, name or description. */
const searchFilter: EntityFilter = {
  key: 'q',
  label: 'Search',
  value: e =>
    [e.metadata.title, e.metadata.name, e.metadata.description].join(' '),
};

/** The entity itself, as a link with its title. */
export const entityColumn: TableColumn<Entity> = {
  title: 'Name',
  highlight: true,
  customSort: (a, b) =>
    (a.metadata.title ?? a.metadata.name).localeCompare(
      b.metadata.title ?? b.metadata.name,
    ),
  render: e => <EntityRefLink entityRef={e} title={e.metadata.title} />,
};

/** A column that links to the entity a spec field refers to. */
export function refColumn(
  title: string,
  ref: (e: Entity) => string | undefined,
  defaultKind: string,
): TableColumn<Entity> {
  return {
    title,
    render: e => {
      const value = ref(e);
      return value ? (
        <EntityRefLink entityRef={value} defaultKind={defaultKind} />
      ) : (
        '—'
      );
    },
  };
}

/** Keeps the entities whose every filtered value contains the filter's text. */
export function filterEntities(
  entities: Entity[],
  filters: EntityFilter[],
  values: Record<string, string>,
): Entity[] {
  return entities.filter(e =>
    filters.every(f => {
      const wanted = values[f.key]?.trim().toLowerCase();
      if (!wanted) return true;
      const value = f.value(e)?.toLowerCase() ?? '';
      return f.options ? value === wanted : value.includes(wanted);
    }),
  );
}

/**
 * One kind's entities from the catalog, with columns that fit the kind and
 * filters kept in the URL.
 */
export function EntityKindList(props: {
  kind: string;
  title: string;
  columns: TableColumn<Entity>[];
  filters: EntityFilter[];
}) {
  const catalog = useApi(catalogApiRef);
  const filters = [searchFilter, ...props.filters];
  const [values, setValues] = useUrlFilters(filters.map(f => f.key));
  const { value, loading, error } = useAsync(
    async () =>
      (await catalog.getEntities({ filter: { kind: props.kind } })).items,
    [catalog, props.kind],
  );
  const shown = filterEntities(value ?? [], filters, values);
  return (
    <Content>
      <Box mb={2}>
        <FilterBar fields={filters} values={values} onChange={setValues} />
      </Box>
      {error ? (
        <ProblemText>
          The catalog could not be read: {error.message}
        </ProblemText>
      ) : (
        <Table<Entity>
          title={`${props.title} (${shown.length})`}
          isLoading={loading}
          columns={[entityColumn, ...props.columns]}
          data={shown.map(e => ({ ...e, id: stringifyEntityRef(e) }))}
          options={{
            paging: shown.length > 20,
            pageSize: 20,
            search: false,
            sorting: false,
            padding: 'dense',
          }}
          emptyContent={
            <Box p={2}>
              {value?.length
                ? `No ${props.title.toLowerCase()} match these filters.`
                : `The catalog holds no ${props.kind} entity yet.`}
            </Box>
          }
        />
      )}
    </Content>
  );
}
