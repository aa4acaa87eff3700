import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LlmOpsApiError } from '@llmops/plugin-llm-ops-common';
import { button, job, render } from './__testUtils__/renderJobControls';

describe('JobControls', () => {
  it('cancels a running job once the user confirms, naming the job', async () => {
    const api = {
      cancelTrainingJob: jest.fn(async () => job({ status: 'cancelling' })),
    };
    const onChanged = await render(job(), api);
    await waitFor(() => expect(button('Cancel job')).toBeEnabled());
    await userEvent.click(button('Cancel job'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Cancel training job support-sft?');
    expect(dialog).toHaveTextContent(
      /stops its workflow .* marks its MLflow run KILLED/,
    );
    expect(api.cancelTrainingJob).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel job' }),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api.cancelTrainingJob).toHaveBeenCalledWith('job-1');
  });

  it('offers Retry only when a delivery failed, and shows why the API refused', async () => {
    const api = {
      retryTrainingJob: jest.fn(async () => {
        throw new LlmOpsApiError(
          403,
          'Not allowed: llmops.trainingJob.retry on training job job-1',
        );
      }),
    };
    await render(
      job({
        status: 'failed',
        deliveries: [
          {
            tool: 'argo',
            operation: 'submit-workflow',
            state: 'failed',
            attempts: 5,
          },
        ],
      }),
      api,
    );
    await waitFor(() => expect(button('Retry delivery')).toBeEnabled());
    expect(button('Cancel job')).toBeDisabled();
    await userEvent.click(button('Retry delivery'));
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Retry delivery',
      }),
    );
    expect(
      await screen.findByText(
        'Could not retry the job: Not allowed: llmops.trainingJob.retry on training job job-1',
      ),
    ).toBeInTheDocument();
  });
});
