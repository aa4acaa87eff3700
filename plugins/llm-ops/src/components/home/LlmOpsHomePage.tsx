import type { ReactNode } from 'react';
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
import { DeploymentHealth } from '../deployment/DeploymentHealth';
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

/**
 * A card's body: a progress bar while it loads, the problem in words when
 * `source` could not be read, else what `children` makes of the value.
 */
function Loaded<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  source: string;
  children: (value: T) => ReactNode;
}) {
  const { loading, error, value } = props.state;
  if (loading) return <Progress />;
  if (error) {
    return (
      <ProblemText>
        {props.source} could not be read: {error.message}
      </ProblemText>
    );
  }
  return <>{props.children(value as T)}</>;
}

/** Models by family, and by lifecycle within each family. */
function ModelsCard() {
  const catalog = useApi(catalogApiRef);
  const modelsLink = useRouteRef(modelsRouteRef);
  const state = useAsync(
    async () =>
      (
        await catalog.getEntities({
          filter: { kind: 'Model' },
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec'],
        })
      ).items as ModelEntity[],
    [catalog],
  );
  const body = (
    <Loaded state={state} source="The catalog">
      {(models = []) => {
        const lifecycles = [
          ...new Set(models.map(m => m.spec.lifecycle)),
        ].sort();
        const families = groupBy(models, m => m.spec.family);
        return models.length === 0 ? (
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
      }}
    </Loaded>
  );
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
  const state = useAsync(() => api.listTrainingJobs({ limit: 8 }), [api]);
  const body = (
    <Loaded state={state} source="The portal's job records">
      {page => {
        const jobs: TrainingJob[] = page?.items ?? [];
        const active = jobs.filter(j => ACTIVE_JOB_STATES.includes(j.status));
        return jobs.length === 0 ? (
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
      }}
    </Loaded>
  );
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

/** The catalog's deployments by environment, with the health they report. */
function DeploymentsCard() {
  const catalog = useApi(catalogApiRef);
  const state = useAsync(
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
  const body = (
    <Loaded state={state} source="The catalog">
      {(deployments = []) => {
        const byEnvironment = groupBy(deployments, d => d.spec.environment);
        return byEnvironment.size === 0 ? (
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
      }}
    </Loaded>
  );
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
  const state = useAsync(() => api.listIntegrations(), [api]);
  const body = (
    <Loaded state={state} source="The portal's health checks">
      {(tools = []) => (
        <Rows
          head={['Tool', 'Category', 'State', 'Checked']}
          rows={tools.map(tool => [
            toolName(tool.tool),
            tool.category,
            <ToolState tool={tool} />,
            formatDate(tool.checkedAt),
          ])}
        />
      )}
    </Loaded>
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
