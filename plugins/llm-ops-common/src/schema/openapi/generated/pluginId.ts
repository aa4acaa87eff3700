export const pluginId = 'llm-ops';
