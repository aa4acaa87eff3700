export interface Config {
  llmOps?: {
    /** The portal's permission policy (src/permissionPolicy.ts). */
    policy?: {
      /** Users and groups (entity refs) that may do everything in LLM Ops. */
      admins?: string[];
      /**
       * Users and groups that may move the protected aliases of any model.
       * Default: group:default/release-managers.
       */
      releaseManagers?: string[];
      /** Aliases only release managers move. Default: champion. */
      protectedAliases?: string[];
    };
  };
}
