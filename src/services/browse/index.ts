import type { Graph } from '../../db';
import type { RequestScope } from '../requestScope';
import { BrowseSession } from './session';

export { BrowseSession } from './session';
export type * from './records';

/** The browsing queries (principals, APIs, methods): one BrowseSession per request. */
export class BrowseService {
  constructor(private readonly graph: Graph) {}

  /** A session for one request: its loaders and snapshot lookups live as long as the request. */
  session(scope: RequestScope, options: { maxPageSize: number }): BrowseSession {
    return new BrowseSession(this.graph, scope, options.maxPageSize);
  }
}
