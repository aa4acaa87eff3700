import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ModelRegistryCard } from './ModelRegistryCard';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
} from './__testUtils__/renderWithEntity';

// A file of its own: usePermission caches decisions per permission for the
// whole module registry, so an ALLOW from another test would be reused.
describe('ModelRegistryCard without the alias permission', () => {
  it('disables promotion and says why', async () => {
    const api = fakeApi({
      getRegisteredModel: async () => ({
        name: 'support-assistant',
        aliases: { champion: '3' },
        versions: [{ version: '3' }, { version: '4' }],
        stale: false,
      }),
      setModelAlias: jest.fn(),
    });
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api,
      allowed: false,
    });
    await screen.findByText('champion → 3');
    await userEvent.type(screen.getByLabelText('Alias'), 'champion');

    await waitFor(() =>
      expect(
        screen.getByTitle('You are not allowed to change model aliases'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled();
    expect(api.setModelAlias).not.toHaveBeenCalled();
  });
});
