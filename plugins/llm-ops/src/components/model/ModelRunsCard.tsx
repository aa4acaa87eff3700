import { ReactNode } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_MLFLOW_MODEL, Run } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { StaleBanner } from '../common/StaleBanner';
import { ModelRunsTable } from './ModelRunsTable';
import {
  fetchModelRuns,
  getMlflowModelName,
  RUNS_PAGE_SIZE,
  MAX_RUN_PAGES,
} from './runs';

/**
 * Loads the runs of the current entity's registered model and renders the
 * missing-annotation, loading, error and empty states, or `children(runs)`.
 */
export function ModelRunsLoader(props: {
  children: (runs: Run[], title: string) => ReactNode;
}) {
  const { entity } = useEntity();
  const api = useApi(llmOpsApiRef);
  const name = getMlflowModelName(entity);
  const { value, loading, error } = useAsync(
    async () => (name ? fetchModelRuns(api, name) : undefined),
    [api, name],
  );

  if (!name)
    return <MissingAnnotationEmptyState annotation={ANNOTATION_MLFLOW_MODEL} />;
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const title = value.truncated
    ? `Training runs of ${name} (newest ${RUNS_PAGE_SIZE * MAX_RUN_PAGES})`
    : `Training runs of ${name}`;
  return (
    <>
      <StaleBanner reads={value.reads} />
      {value.runs.length === 0 ? (
        <EmptyState
          missing="data"
          title="No training runs"
          description={
            value.reads.some(r => r?.stale)
              ? `MLflow could not be read, so no runs of ${name} can be shown.`
              : `MLflow has no runs for the registered model ${name}.`
          }
        />
      ) : (
        props.children(value.runs, title)
      )}
    </>
  );
}

/** @public */
export interface ModelRunsCardProps {
  /** The ids of the runs checked for comparison. */
  selectedRunIds?: string[];
  /** When given, each run gets a checkbox to choose runs to compare. */
  onSelectionChange?: (runIds: string[]) => void;
}

/**
 * The MLflow training runs of the current Model entity's registered model,
 * named by its `llmops.dev/mlflow-model` annotation.
 *
 * @public
 */
export function ModelRunsCard(props: ModelRunsCardProps) {
  return (
    <ModelRunsLoader>
      {(runs, title) => <ModelRunsTable runs={runs} title={title} {...props} />}
    </ModelRunsLoader>
  );
}
