import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import type { TrainingJob } from '@llmops/plugin-llm-ops-common';
import { screen } from '@testing-library/react';
import plugin from './alpha';
import { LlmOpsApi, llmOpsApiRef } from './api';
import { trainingJobsRouteRef } from './routes';
import {
  llmOpsEntityFormField,
  llmOpsSpecFormField,
  llmOpsTrainDefaultsFormField,
} from './scaffolder/formField';

/**
 * Renders the training jobs page at a URL, as the app mounts it: the app
 * binds the page's route ref to its path (the tester leaves that to us).
 */
function renderTrainingJobs(url: string, api: Partial<LlmOpsApi>) {
  const tester = createExtensionTester(
    plugin.getExtension('page:llm-ops/training-jobs'),
  );
  return renderInTestApp(tester.reactElement(), {
    apis: [[llmOpsApiRef, api]],
    mountPath: '/llm-ops/training-jobs/*',
    mountedRoutes: {
      '/llm-ops/training-jobs': convertLegacyRouteRef(trainingJobsRouteRef),
      // owners link to their catalog entities
      '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
    },
    initialRouteEntries: [url],
  });
}

const job: TrainingJob = {
  id: 'job-1',
  owner: 'user:default/ada',
  status: 'running',
  job_type: 'SFT',
  model_family: 'llama',
  spec: {},
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
};

const model = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b' },
  spec: { type: 'base', family: 'llama', maxPositionEmbeddings: 8192 },
};
const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'portal' },
};

describe('the LLM Ops plugin (new frontend system)', () => {
  it('mounts the training jobs page, with links from its route refs', async () => {
    await renderTrainingJobs('/llm-ops/training-jobs', {
      listTrainingJobs: async () => ({ items: [job] }),
    });
    expect(await screen.findByRole('link', { name: 'job-1' })).toHaveAttribute(
      'href',
      '/llm-ops/training-jobs/job-1',
    );
  });

  it("routes a job's sub-route to its page, which links back to the list", async () => {
    await renderTrainingJobs('/llm-ops/training-jobs/job-1', {
      getTrainingJob: async () => ({ ...job, history: [], deliveries: [] }),
    });
    expect(await screen.findByText('No deliveries.')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('link', { name: 'Training jobs' })
        .map(link => link.getAttribute('href')),
    ).toContain('/llm-ops/training-jobs');
  });

  it('shows the model cards on Model entities only', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-card:llm-ops/model-overview'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(model)).toBe(true);
    expect(filter?.(component)).toBe(false);
  });

  it.each([
    ['scaffolder-form-field:llm-ops/llm-ops-spec', llmOpsSpecFormField],
    ['scaffolder-form-field:llm-ops/llm-ops-entity', llmOpsEntityFormField],
    [
      'scaffolder-form-field:llm-ops/llm-ops-train-defaults',
      llmOpsTrainDefaultsFormField,
    ],
  ] as const)('provides the %s form field', async (id, field) => {
    const tester = createExtensionTester(plugin.getExtension(id));
    const load = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    await expect(load()).resolves.toBe(field);
  });
});
