import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { LLM_OPS_TOOL_UI_RESOURCE_TYPE } from '@llmops/plugin-llm-ops-common';

/** What tool UI permission conditions can test. @public */
export interface ToolUiResource {
  tool: string;
}

export const toolUiResourceRef = createPermissionResourceRef<
  ToolUiResource,
  { tools: string[] }
>().with({ pluginId: 'llm-ops', resourceType: LLM_OPS_TOOL_UI_RESOURCE_TYPE });

/** `IS_TOOL`: the UI is one of the given tools'. */
export const isTool = createPermissionRule({
  name: 'IS_TOOL',
  description: 'Allow the UIs of the given tools only',
  resourceRef: toolUiResourceRef,
  paramsSchema: z.object({
    tools: z.array(z.string()).describe('Tool ids, such as mlflow or argo'),
  }),
  apply: (resource, { tools }) => tools.includes(resource.tool),
  toQuery: ({ tools }) => ({ tools }),
});

export const toolUiRules = [isTool];

const conditionExports = createConditionExports({
  resourceRef: toolUiResourceRef,
  rules: { isTool },
});

/**
 * Conditions for permission policies on the tool UI proxy, such as
 * `toolUiConditions.isTool({tools: ['mlflow']})`.
 *
 * @public
 */
export const toolUiConditions = conditionExports.conditions;

/** Makes a conditional decision for a tool UI permission. @public */
export const createToolUiConditionalDecision =
  conditionExports.createConditionalDecision;

/** `tool:<id>`, the resource reference of a tool's UI. */
export const toolUiResourceRefOf = (tool: string) => `tool:${tool}`;

/** Loads the resources behind references, for the permission backend. */
export async function loadToolUiResources(
  refs: string[],
): Promise<Array<ToolUiResource | undefined>> {
  return refs.map(ref => {
    const [type, tool] = ref.split(/:(.*)/s, 2);
    return type === 'tool' && tool ? { tool } : undefined;
  });
}
