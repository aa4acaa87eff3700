import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  SUBJECTS_SIGNAL_CHANNEL,
  SubjectSignal,
} from '@llmops/plugin-llm-ops-common';

/**
 * Calls `onChange` whenever the backend announces a status change of a
 * training job or deployment of this kind (and id, when given), so that a
 * page refreshes without a reload. Without the signals API, never.
 */
export function useSubjectSignal(
  kind: SubjectSignal['kind'],
  onChange: (signal: SubjectSignal) => void,
  id?: string,
) {
  const { lastSignal } = useSignal<SubjectSignal & Record<string, string>>(
    SUBJECTS_SIGNAL_CHANNEL,
  );
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (!lastSignal || lastSignal.kind !== kind) return;
    if (id !== undefined && lastSignal.id !== id) return;
    callback.current(lastSignal);
  }, [lastSignal, kind, id]);
}
