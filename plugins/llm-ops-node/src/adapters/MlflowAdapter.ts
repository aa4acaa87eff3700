import type { ExperimentTracker } from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/** MLflow tracking server and model registry. @public */
export class MlflowAdapter implements ExperimentTracker {
  readonly tool = 'mlflow';
  readonly category = 'experiment-tracking' as const;
  constructor(private readonly http: ToolHttpClient) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request('/health', { signal });
  }
}
