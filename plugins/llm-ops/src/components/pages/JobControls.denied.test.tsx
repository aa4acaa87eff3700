import { screen, waitFor } from '@testing-library/react';
import { button, job, render } from './__testUtils__/renderJobControls';

// A file of its own: usePermission caches decisions for the whole module
// registry, so an ALLOW from another test would be reused.
describe('JobControls with a policy', () => {
  it('disables what the policy denies, and Retry with nothing failed, saying why', async () => {
    const api = { cancelTrainingJob: jest.fn(), retryTrainingJob: jest.fn() };
    await render(
      job(),
      api,
      permission => permission !== 'llmops.trainingJob.cancel',
    );
    await waitFor(() =>
      expect(
        screen.getByTitle('You are not allowed to cancel this job'),
      ).toBeInTheDocument(),
    );
    expect(button('Cancel job')).toBeDisabled();
    expect(
      screen.getByTitle(
        'No delivery of this job failed: there is nothing to retry',
      ),
    ).toBeInTheDocument();
    expect(button('Retry delivery')).toBeDisabled();
  });
});
