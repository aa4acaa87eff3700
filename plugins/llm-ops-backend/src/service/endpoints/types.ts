import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { TypedRouter } from '@backstage/backend-openapi-utils';
import type { EndpointMap } from '../../schema/openapi';

/** The typed router the bindings add their operations to. */
export type ApiRouter = TypedRouter<EndpointMap>;

/** The caller's credentials: a user's or a service's, never none. */
export type Credentials = (
  req: Parameters<HttpAuthService['credentials']>[0],
) => Promise<BackstageCredentials>;

export function credentialsOf(httpAuth: HttpAuthService): Credentials {
  return req => httpAuth.credentials(req, { allow: ['user', 'service'] });
}

/** The success envelope: `{status: 'success', message, data}`. */
export function success<T>(message: string, data: T) {
  return { status: 'success' as const, message, data };
}
