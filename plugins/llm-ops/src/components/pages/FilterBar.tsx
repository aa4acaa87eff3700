import { useEffect, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import useDebounce from 'react-use/esm/useDebounce';

/** A list filter: a select when it has options, else a text field. */
export interface FilterField {
  key: string;
  label: string;
  options?: readonly string[];
}

/** The filters' values by key; an empty string means "any". */
export type FilterValues = Record<string, string>;

const TEXT_DEBOUNCE_MS = 400;

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

function TextFilter(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
}) {
  const { id, label, value, onChange } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useDebounce(() => text !== value && onChange(text), TEXT_DEBOUNCE_MS, [text]);
  return (
    <TextField
      id={id}
      label={label}
      value={text}
      onChange={e => setText(e.target.value)}
      fullWidth
    />
  );
}

/** Selects and text fields bound to a list's filters. */
export function FilterBar(props: {
  fields: FilterField[];
  values: FilterValues;
  onChange(values: FilterValues): void;
}) {
  const { fields, values, onChange } = props;
  const classes = useStyles();
  const set = (key: string) => (value: string) =>
    onChange({ ...values, [key]: value });
  return (
    <Grid container spacing={2}>
      {fields.map(field => {
        const id = `llmops-filter-${field.key}`;
        return (
          <Grid item xs={12} sm={6} md={3} key={field.key}>
            {field.options ? (
              <TextField
                id={id}
                select
                label={field.label}
                value={values[field.key] ?? ''}
                onChange={e => set(field.key)(e.target.value)}
                SelectProps={{ native: true }}
                // the shrunk label's default grey fails WCAG AA contrast
                InputLabelProps={{ shrink: true, className: classes.label }}
                fullWidth
              >
                <option value="">Any</option>
                {field.options.map(option => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </TextField>
            ) : (
              <TextFilter
                id={id}
                label={field.label}
                value={values[field.key] ?? ''}
                onChange={set(field.key)}
              />
            )}
          </Grid>
        );
      })}
    </Grid>
  );
}
