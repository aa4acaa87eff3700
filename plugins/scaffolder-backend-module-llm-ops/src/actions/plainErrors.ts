import type { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The action, failing in words: the scaffolder writes a failed step's
 * `error.stack` to the task log, which people read, so the stack of an
 * error from this action is its message alone (no frames, no server paths).
 * The backend's own log keeps the whole error.
 */
export function withPlainErrors<A extends TemplateAction<any, any, any>>(
  action: A,
): A {
  return {
    ...action,
    async handler(ctx: Parameters<A['handler']>[0]) {
      try {
        return await action.handler(ctx);
      } catch (error) {
        if (error instanceof Error) {
          ctx.logger.debug(`${action.id} failed: ${error.stack}`);
          error.stack = error.message;
        }
        throw error;
      }
    },
  };
}
