import type { ModelHub } from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/** The Hugging Face Hub, or a company mirror of it. @public */
export class HuggingFaceAdapter implements ModelHub {
  readonly tool = 'huggingface';
  readonly category = 'model-hub' as const;
  constructor(private readonly http: ToolHttpClient) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request('/api/models?limit=1', { signal });
  }
}
