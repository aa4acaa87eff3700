import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_TRAINING_JOB_ID,
  isTrainingJobEntity,
} from '@llmops/plugin-llm-ops-common';
import { trainingJobRouteRef } from '../../routes';
import { formatDate } from '../pages/formatDate';
import { StatusLabel } from '../pages/SubjectStatus';

/**
 * A TrainingJob entity's lineage and lifecycle, from the catalog: the
 * dataset version it read, the model versions it registered, its status
 * and GPU-hours, with a link to the job's own page (live state and logs).
 *
 * @public
 */
export function TrainingJobEntityCard() {
  const { entity } = useEntity();
  const jobLink = useRouteRef(trainingJobRouteRef);
  if (!isTrainingJobEntity(entity)) return null;
  const { spec } = entity;
  const id =
    entity.metadata.annotations?.[ANNOTATION_TRAINING_JOB_ID] ??
    entity.metadata.name;
  const metadata: Record<string, unknown> = {
    Status: <StatusLabel status={spec.status} />,
    'Job type': spec.jobType,
    Family: spec.modelFamily,
  };
  if (spec.baseModel) {
    metadata['Base model'] = <EntityRefLink entityRef={spec.baseModel} />;
  }
  metadata['Trained on'] = spec.trainedOn.map(d => (
    <span key={d.dataset}>
      <EntityRefLink entityRef={d.dataset} /> @ {d.version}
    </span>
  ));
  metadata.Produced = spec.produced?.length
    ? spec.produced.map(p => (
        <span key={`${p.model}/${p.version}`}>
          <EntityRefLink entityRef={p.model} /> version {p.version}
        </span>
      ))
    : 'No model version registered with this job id yet';
  if (spec.gpuHours !== undefined) {
    metadata['GPU-hours'] = spec.gpuHours.toLocaleString('en-US', {
      maximumFractionDigits: 2,
    });
  }
  if (spec.startedAt) metadata.Started = formatDate(spec.startedAt);
  if (spec.finishedAt) metadata.Finished = formatDate(spec.finishedAt);
  return (
    <InfoCard
      title="Training job"
      deepLink={{ title: 'Open the job', link: jobLink({ id }) }}
    >
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
