import { fireEvent, render, screen } from '@testing-library/react';
import { TrainDefaultsStep } from './TrainDefaultsStep';

/** Stands for RJSF's ObjectField: shows the values, and changes the method. */
function ObjectField(props: {
  formData: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}) {
  return (
    <div>
      <pre data-testid="values">{JSON.stringify(props.formData)}</pre>
      <pre data-testid="ui">{JSON.stringify(props.uiSchema)}</pre>
      <button
        onClick={() => props.onChange({ ...props.formData, method: 'qlora' })}
      >
        qlora
      </button>
    </div>
  );
}

const stepProps = (
  formData: Record<string, unknown>,
  properties: string[],
  onChange = jest.fn(),
) =>
  ({
    name: '',
    formData,
    schema: {
      properties: Object.fromEntries(properties.map(p => [p, {}])),
    },
    uiSchema: {
      'ui:field': 'LlmOpsTrainDefaults',
      'ui:order': properties,
    },
    registry: { fields: { ObjectField }, rootSchema: {} },
    onChange,
  } as any);

const shown = () => JSON.parse(screen.getByTestId('values').textContent!);

describe('TrainDefaultsStep (LlmOpsTrainDefaults on a step root)', () => {
  it("renders the step with its fields' defaults for the job type, and reports them", () => {
    const onChange = jest.fn();
    render(
      <TrainDefaultsStep
        {...stepProps(
          { job_type: 'SFT', lr: 1e-3 },
          ['lr', 'batch_size', 'num_epochs', 'max_seq_len', 'precision'],
          onChange,
        )}
      />,
    );
    const filled = {
      job_type: 'SFT',
      lr: 1e-3,
      batch_size: 8,
      num_epochs: 3,
      max_seq_len: 2048,
    };
    expect(shown()).toEqual(filled);
    expect(onChange).toHaveBeenCalledWith(filled);
    // The step renders as an object, without this field's options.
    expect(JSON.parse(screen.getByTestId('ui').textContent!)).toEqual({
      'ui:options': {},
      'ui:order': [
        'lr',
        'batch_size',
        'num_epochs',
        'max_seq_len',
        'precision',
      ],
    });
  });

  it('moves the hyperparameters still at their defaults to the method picked later', () => {
    const onChange = jest.fn();
    const values = {
      job_type: 'SFT',
      lr: 2e-4,
      batch_size: 8,
      num_epochs: 5,
      max_seq_len: 2048,
      method: 'lora',
      gpus: 1,
    };
    render(
      <TrainDefaultsStep
        {...stepProps(values, ['method', 'gpus', 'nodes'], onChange)}
      />,
    );
    // Nothing is missing on this step (nodes has no table default).
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('qlora'));
    expect(onChange).toHaveBeenLastCalledWith({
      ...values,
      method: 'qlora',
      batch_size: 4,
    });
  });
});
