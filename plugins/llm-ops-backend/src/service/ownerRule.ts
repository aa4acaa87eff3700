import { z } from 'zod';

/**
 * What `IS_OWNER` rules take: the claims a policy passes as the user's
 * ownership refs (the user and their groups), so that "only owners cancel
 * their jobs" is one condition.
 */
export const ownerClaims = z.object({
  claims: z
    .array(z.string())
    .describe("Entity refs, such as the user's ownershipEntityRefs"),
});

/** Whether a resource's owner is one of the claims. */
export const ownedByClaims = (
  resource: { owner?: string },
  { claims }: { claims: string[] },
) => !!resource.owner && claims.includes(resource.owner);
