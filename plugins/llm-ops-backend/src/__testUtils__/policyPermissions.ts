import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRule,
} from '@backstage/plugin-permission-node';

/**
 * The permission service as the permission backend runs it for a policy: a
 * conditional decision is applied, by the plugin's own rules, to the
 * resource behind the request's reference. (Through the permission backend
 * itself, applying conditions needs an on-behalf-of token with an actor,
 * which the mock auth service does not mint.)
 */
export function policyPermissions(options: {
  /** The policy: a decision for a permission and the calling user, if any. */
  decide: (
    permission: Permission,
    userEntityRef?: string,
  ) => PolicyDecision | Promise<PolicyDecision>;
  rules: PermissionRule<any, any, string, any>[];
  /** The resource a reference names, for a conditional decision. */
  load: (resourceRef: string) => Promise<unknown>;
}) {
  const apply = createConditionAuthorizer(options.rules);
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        async authorize(requests: any[], { credentials }: any) {
          return Promise.all(
            requests.map(async r => {
              const decision = await options.decide(
                r.permission,
                credentials.principal.userEntityRef,
              );
              if (decision.result !== AuthorizeResult.CONDITIONAL) {
                return decision;
              }
              const resource = await options.load(r.resourceRef);
              return {
                result:
                  resource && apply(decision, resource)
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }),
          );
        },
        async authorizeConditional() {
          throw new Error('not used by the llm-ops backend');
        },
      } as any),
  });
}
