import type { Orchestrator } from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/** Argo Workflows, through argo-server's REST API. @public */
export class ArgoAdapter implements Orchestrator {
  readonly tool = 'argo';
  readonly category = 'orchestration' as const;
  constructor(
    private readonly http: ToolHttpClient,
    readonly namespace: string,
  ) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.http.json('/api/v1/version', { signal });
  }
}
