import {
  Content,
  InfoCard,
  Link,
  Progress,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  DeploymentEntity,
  IntegrationHealth,
  ModelEntity,
  TrainingJob,
} from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import {
  integrationsRouteRef,
  modelsRouteRef,
  trainingJobRouteRef,
  trainingJobsRouteRef,
} from '../../routes';
import { ProblemText } from '../common/ProblemText';
import { toolName } from '../common/toolNames';
import { formatDate } from '../pages/formatDate';
import { StatusLabel } from '../pages/SubjectStatus';
import { groupBy, jobTitle } from './homeData';

const ACTIVE_JOB_STATES = ['queued', 'submitted', 'running', 'cancelling'];
const ENVIRONMENTS = ['prod', 'stg', 'dev'] as const;

/** A table of plain rows, for the home cards. */
function Rows(props: { head: string[]; rows: React.ReactNode[][] }) {
  return (
    <table style={{ width: '100%', borderCollapse: 'collapse' }}>
      <thead>
        <tr>
          {props.head.map(h => (
            <th key={h} style={{ textAlign: 'left', padding: '4px 8px' }}>
              <Typography variant="overline">{h}</Typography>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (
              <td key={j} style={{ padding: '4px 8px' }}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Models by family, and by lifecycle within each family. */
function ModelsCard() {
  const catalog = useApi(catalogApiRef);
  const modelsLink = useRouteRef(modelsRouteRef);
  const { value, loading, error } = useAsync(
    async () =>
      (
        await catalog.getEntities({
          filter: { kind: 'Model' },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec'],
        })
      ).items as ModelEntity[],
    [catalog],
  );
  let body;
  if (loading) body = <Progress />;
  else if (error)
    body = (
      <ProblemText>The catalog could not be read: {error.message}</ProblemText>
    );
  else {
    const models = value ?? [];
    const lifecycles = [...new Set(models.map(m => m.spec.lifecycle))].sort();
    const families = groupBy(models, m => m.spec.family);
    body =
      models.length === 0 ? (
        <Typography>
          The catalog holds no Model entity yet. Register one, or configure a
          model registry provider.
        </Typography>
      ) : (
        <Rows
          head={['Family', 'Models', ...lifecycles]}
          rows={[...families.entries()].map(([family, ofFamily]) => [
            <Link to={`${modelsLink()}?family=${encodeURIComponent(family)}`}>
              {family}
            </Link>,
            ofFamily.length,
            ...lifecycles.map(
              l => ofFamily.filter(m => m.spec.lifecycle === l).length || '—',
            ),
          ])}
        />
      );
  }
  return (
    <InfoCard
      title="Models by family"
      subheader="From the catalog"
      deepLink={{ title: 'All models', link: modelsLink() }}
    >
      {body}
    </InfoCard>
  );
}

/** Running and recent training jobs, newest first. */
function JobsCard() {
  const api = useApi(llmOpsApiRef);
  const jobsLink = useRouteRef(trainingJobsRouteRef);
  const jobLink = useRouteRef(trainingJobRouteRef);
  const { value, loading, error } = useAsync(
    () => api.listTrainingJobs({ limit: 8 }),
    [api],
  );
  let body;
  if (loading) body = <Progress />;
  else if (error)
    body = (
      <ProblemText>
        The portal's job records could not be read: {error.message}
      </ProblemText>
    );
  else {
    const jobs: TrainingJob[] = value?.items ?? [];
    const active = jobs.filter(j => ACTIVE_JOB_STATES.includes(j.status));
    body =
      jobs.length === 0 ? (
        <Typography>
          No training job was started from the portal yet. The Train template
          starts one.
        </Typography>
      ) : (
        <>
          <Typography paragraph>
            {active.length} of the {jobs.length} newest jobs are queued or
            running.
          </Typography>
          <Rows
            head={['Job', 'State', 'Owner', 'Started']}
            rows={jobs.map(job => [
              <Link to={jobLink({ id: job.id })}>{jobTitle(job)}</Link>,
              <StatusLabel status={job.status} />,
              <EntityRefLink entityRef={job.owner} defaultKind="user" />,
              formatDate(job.createdAt),
            ])}
          />
        </>
      );
  }
  return (
    <InfoCard
      title="Training jobs"
      subheader="Recent and running, from the portal's records"
      deepLink={{ title: 'All training jobs', link: jobsLink() }}
    >
      {body}
    </InfoCard>
  );
}

/** The health the deployment's serving tool last reported to the catalog. */
export function DeploymentHealth({ entity }: { entity: DeploymentEntity }) {
  const status = entity.spec.status;
  if (status?.ready === undefined)
    return <StatusPending>not reported</StatusPending>;
  if (status.ready) return <StatusOK>ready</StatusOK>;
  const failing = status.conditions?.find(c => c.status === 'False');
  return (
    <StatusWarning>
      not ready{failing?.reason ? ` (${failing.reason})` : ''}
    </StatusWarning>
  );
}

/** The catalog's deployments by environment, with the health they report. */
function DeploymentsCard() {
  const catalog = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(
    async () =>
      (
        await catalog.getEntities({
          filter: { kind: 'Deployment' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec',
          ],
        })
      ).items as DeploymentEntity[],
    [catalog],
  );
  let body;
  if (loading) body = <Progress />;
  else if (error)
    body = (
      <ProblemText>The catalog could not be read: {error.message}</ProblemText>
    );
  else {
    const byEnvironment = groupBy(value ?? [], d => d.spec.environment);
    body =
      byEnvironment.size === 0 ? (
        <Typography>No Deployment entity is in the catalog yet.</Typography>
      ) : (
        <Grid container spacing={2}>
          {ENVIRONMENTS.filter(env => byEnvironment.has(env)).map(env => (
            <Grid item xs={12} key={env}>
              <Typography variant="h6" component="h3">
                {env}
              </Typography>
              <Rows
                head={['Deployment', 'Model', 'Backend', 'Health']}
                rows={byEnvironment
                  .get(env)!
                  .map(d => [
                    <EntityRefLink entityRef={d} title={d.metadata.title} />,
                    <EntityRefLink
                      entityRef={d.spec.model}
                      defaultKind="model"
                    />,
                    d.spec.backend,
                    <DeploymentHealth entity={d} />,
                  ])}
              />
            </Grid>
          ))}
        </Grid>
      );
  }
  return (
    <InfoCard title="Deployments by environment" subheader="From the catalog">
      {body}
    </InfoCard>
  );
}

function ToolState({ tool }: { tool: IntegrationHealth }) {
  if (!tool.configured) return <StatusPending>not configured</StatusPending>;
  if (!tool.enabled) return <StatusPending>turned off</StatusPending>;
  if (!tool.reachable) return <StatusError>can't reach it</StatusError>;
  if (tool.circuit && tool.circuit !== 'closed')
    return <StatusWarning>recovering</StatusWarning>;
  return <StatusOK>reachable</StatusOK>;
}

/** Each tool's health at a glance. */
function ToolsCard() {
  const api = useApi(llmOpsApiRef);
  const healthLink = useRouteRef(integrationsRouteRef);
  const { value, loading, error } = useAsync(
    () => api.listIntegrations(),
    [api],
  );
  let body;
  if (loading) body = <Progress />;
  else if (error)
    body = (
      <ProblemText>
        The portal's health checks could not be read: {error.message}
      </ProblemText>
    );
  else
    body = (
      <Rows
        head={['Tool', 'Category', 'State', 'Checked']}
        rows={(value ?? []).map(tool => [
          toolName(tool.tool),
          tool.category,
          <ToolState tool={tool} />,
          formatDate(tool.checkedAt),
        ])}
      />
    );
  return (
    <InfoCard
      title="Tool health"
      deepLink={{ title: 'Details', link: healthLink() }}
    >
      {body}
    </InfoCard>
  );
}

/** The LLM Ops front door: what matters across models, jobs and serving. */
export function LlmOpsHomePage() {
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <ModelsCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <ToolsCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <JobsCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <DeploymentsCard />
        </Grid>
      </Grid>
    </Content>
  );
}
