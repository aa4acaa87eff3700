import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { TrainingJobDetail } from '@llmops/plugin-llm-ops-common';
import { screen } from '@testing-library/react';
import { LlmOpsApi, llmOpsApiRef } from '../../../api/LlmOpsApi';
import { JobControls } from '../JobControls';

/** A training job, running unless overridden. */
export const job = (
  overrides: Partial<TrainingJobDetail> = {},
): TrainingJobDetail => ({
  id: 'job-1',
  owner: 'user:default/ada',
  status: 'running',
  job_type: 'SFT',
  model_family: 'llama',
  spec: { kind: 'TrainJobSpec', output: { artifact_name: 'support-sft' } },
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  history: [],
  deliveries: [
    {
      tool: 'argo',
      operation: 'submit-workflow',
      state: 'delivered',
      attempts: 1,
    },
  ],
  ...overrides,
});

/** Renders the controls of `detail`, with a policy; gives the onChanged mock. */
export function render(
  detail: TrainingJobDetail,
  api: Partial<LlmOpsApi>,
  allowed: (permission: string) => boolean = () => true,
) {
  const onChanged = jest.fn();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [llmOpsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allowed(request.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      <JobControls job={detail} onChanged={onChanged} />
    </TestApiProvider>,
  ).then(() => onChanged);
}

export const button = (name: string) => screen.getByRole('button', { name });
