export * from './LlmOpsApiError';
export * from './LlmOpsClient';
