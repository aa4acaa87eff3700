import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Deployment,
  DeploymentStatus,
} from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../../api/LlmOpsApi';

/** A deployment's portal record and its live state from the serving tool. */
export interface LiveDeployment {
  /** Undefined when the portal has no record of the deployment. */
  record?: Deployment;
  status?: DeploymentStatus;
  /** Why the live state could not be read; the record is still shown. */
  statusError?: Error;
}

/**
 * Finds the portal's record of the deployment named `name` (its Deployment
 * entity's name) and reads its live state. `refresh` reads both again
 * without going back to loading, and returns what it read.
 */
export function useLiveDeployment(name: string) {
  const api = useApi(llmOpsApiRef);
  const [state, setState] = useState<{
    loading: boolean;
    error?: Error;
    value?: LiveDeployment;
  }>({ loading: true });

  const refresh = useCallback(async (): Promise<LiveDeployment | undefined> => {
    try {
      const record = (await api.listDeployments({ name })).items[0];
      const value: LiveDeployment = { record };
      if (record) {
        try {
          value.status = await api.getDeploymentStatus(record.id);
        } catch (statusError) {
          value.statusError = statusError as Error;
        }
      }
      setState({ loading: false, value });
      return value;
    } catch (error) {
      setState(s => ({ ...s, loading: false, error: error as Error }));
      return undefined;
    }
  }, [api, name]);

  useEffect(() => {
    setState({ loading: true });
    refresh();
  }, [refresh]);

  return { ...state, refresh };
}
