import type { Logger } from '../logging';
import type { ApiRole } from '../security/apiTokens';
import type { BrowseSession, RequestScope, Services } from '../services';
import type { ApiLimits } from './limits';

/**
 * What every resolver sees (the GraphQL context of one request): the request's
 * id, role, logger, limits and deadline, and the services. Not the IAM request
 * context of a decision, which is the policy engine's RequestContext.
 */
export interface ApiContext {
  requestId: string;
  /** What the caller's token allows. */
  role: ApiRole;
  logger: Logger;
  services: Services;
  /** The limits this server enforces (page sizes are checked against them). */
  limits: ApiLimits;
  /** The request's deadline: pass it to services, which give each Neo4j transaction the time left. */
  scope: RequestScope;
  /** The browsing queries of this request, with its DataLoaders and the snapshots it resolved. */
  browse: BrowseSession;
}
