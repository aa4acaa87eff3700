import { renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { llmOpsTrainDefaultsFieldOptions } from './fields';

// The steps of templates/train-model that hold the defaulted fields, as the
// scaffolder's Stepper renders them (the steps' spec checks left out).
const root = { 'ui:field': 'LlmOpsTrainDefaults' };
const manifest = {
  title: 'Train a model',
  steps: [
    {
      title: 'Hyperparameters',
      schema: {
        ...root,
        required: ['lr', 'batch_size', 'num_epochs', 'max_seq_len'],
        properties: {
          lr: { title: 'Learning rate', type: 'number' },
          batch_size: { title: 'Batch size', type: 'integer' },
          num_epochs: { title: 'Epochs', type: 'integer' },
          max_seq_len: { title: 'Max sequence length', type: 'integer' },
        },
      },
    },
    {
      title: 'Method and resources',
      schema: {
        ...root,
        required: ['method'],
        properties: {
          method: {
            title: 'Method',
            type: 'string',
            enum: ['lora', 'qlora', 'full'],
          },
          gpus: { title: 'GPUs per node', type: 'integer', default: 1 },
        },
      },
    },
  ],
};

const value = (label: string) =>
  (screen.getByLabelText(label, { exact: false }) as HTMLInputElement).value;

describe('the Train a model steps in the scaffolder Stepper', () => {
  beforeAll(() => {
    // The Stepper scrolls to the top of each step; jsdom has no scrolling.
    window.scrollTo = jest.fn() as any;
  });

  it('fills the defaults of the job type, and moves them to the method picked later', async () => {
    const onCreate = jest.fn(async () => {});
    await renderInTestApp(
      <Stepper
        manifest={manifest as any}
        extensions={[llmOpsTrainDefaultsFieldOptions]}
        initialState={{ job_type: 'SFT' }}
        onCreate={onCreate}
      />,
    );
    await waitFor(() => expect(value('Learning rate')).toBe('0.0002'));
    expect(value('Batch size')).toBe('8');
    fireEvent.change(screen.getByLabelText('Epochs', { exact: false }), {
      target: { value: '5' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));

    // The method step: LoRA for SFT; pick QLoRA.
    await screen.findByText('GPUs per node', { exact: false });
    expect(screen.getByRole('button', { name: /lora/i })).toHaveTextContent(
      'lora',
    );
    await userEvent.click(screen.getByRole('button', { name: /lora/i }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'qlora',
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith({
      job_type: 'SFT',
      lr: 2e-4,
      batch_size: 4,
      num_epochs: 5,
      max_seq_len: 2048,
      method: 'qlora',
      gpus: 1,
    });
  });
});
