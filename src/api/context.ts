import type { Logger } from '../logging';
import type { ApiRole } from '../security/apiTokens';
import type { Services } from '../services';

/** What every resolver sees: the request's id and logger, and the services. */
export interface RequestContext {
  requestId: string;
  /** What the caller's token allows. */
  role: ApiRole;
  logger: Logger;
  services: Services;
}
