import { ConversionError } from '../ConversionError';

/** The ConversionError a call throws; fails when it throws nothing else. */
export function thrown(fn: () => unknown): ConversionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConversionError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConversionError');
}
