import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { CursorList } from './useCursorList';

/**
 * A `useCursorList` as a table: progress on the first page, the error,
 * an empty message, and "Load more" while there is a next page.
 */
export function CursorListTable<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  list: CursorList<T>;
  emptyMessage: string;
}) {
  const { title, columns, list, emptyMessage } = props;
  if (list.loading) return <Progress />;
  return (
    <>
      {list.error && <ResponseErrorPanel error={list.error} />}
      {!(list.error && list.items.length === 0) && (
        <Table<T>
          title={title}
          options={{
            paging: false,
            search: false,
            sorting: false,
            padding: 'dense',
          }}
          columns={columns}
          data={list.items}
          emptyContent={
            <Box p={2}>
              <Typography>{emptyMessage}</Typography>
            </Box>
          }
        />
      )}
      {list.nextCursor && (
        <Box mt={2} display="flex" justifyContent="center">
          <Button
            variant="outlined"
            onClick={list.loadMore}
            disabled={list.loadingMore}
          >
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
}
