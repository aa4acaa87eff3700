import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { modelAliasResourceRefOf } from '@llmops/plugin-llm-ops-common';
import { ModelRegistryCard } from './ModelRegistryCard';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
} from './__testUtils__/renderWithEntity';

// A file of its own: usePermission caches decisions for the whole module
// registry, so an ALLOW from another test would be reused.
describe('ModelRegistryCard with a policy on aliases', () => {
  it('disables promotion of an alias the policy denies, says why, and allows another', async () => {
    const api = fakeApi({
      getRegisteredModel: async () => ({
        name: 'support-assistant',
        aliases: { champion: '3' },
        versions: [{ version: '3' }, { version: '4' }],
        stale: false,
      }),
      setModelAlias: jest.fn(async (name, alias, version) => ({
        name,
        alias,
        version,
        status: 'applied' as const,
      })),
    });
    // Only release managers move champion; this user is not one.
    const champion = modelAliasResourceRefOf('support-assistant', 'champion');
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api,
      allowed: request =>
        'resourceRef' in request && request.resourceRef !== champion,
    });
    await screen.findByText('champion → 3');
    const aliasField = screen.getByLabelText('Alias');
    await userEvent.type(aliasField, 'champion');

    await waitFor(() =>
      expect(
        screen.getByTitle(
          'You are not allowed to move the champion alias of support-assistant',
        ),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled();

    await userEvent.clear(aliasField);
    await userEvent.type(aliasField, 'staging');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Promote' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    await waitFor(() =>
      expect(api.setModelAlias).toHaveBeenCalledWith(
        'support-assistant',
        'staging',
        expect.any(String),
      ),
    );
    expect(api.setModelAlias).toHaveBeenCalledTimes(1);
  });
});
