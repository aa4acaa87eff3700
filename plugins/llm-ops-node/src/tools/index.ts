export * from './ToolError';
export * from './CircuitBreaker';
export * from './LlmOpsTools';
export * from './mergeAdapters';
export * from './llmOpsToolsServiceRef';
