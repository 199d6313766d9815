import { ArgsType, Extensions, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { UserInputError } from '../errors';
import type { Page, PageRequest } from '../services';
import type { ApiContext } from './context';
import { COST_LIST_SIZE, DEFAULT_PAGE_SIZE } from './limits/measure';

/**
 * Relay-style connections (https://relay.dev/graphql/connections.htm), used
 * by every list of the API: `first` (0 to the maximum page size, default 20)
 * and `after` (an opaque cursor) in; `edges { cursor node }`, `nodes`,
 * `pageInfo` and `totalCount` out. Cursors wrap the list's sort key and name
 * the list they belong to, so a cursor of one list is refused by another.
 */

@ObjectType({ description: 'Where a page sits in its list (Relay connection specification).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when this page started after an item (`after` was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of this page; pass it as `after` for the next page. Null when the page is empty.',
  })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return: 0 to the server's maximum page size (WHOCAN_MAX_PAGE_SIZE, default 100); default ${DEFAULT_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor: `pageInfo.endCursor` of the previous page of the same list.',
  })
  after?: string | null;
}

export interface EdgeValue<T> {
  cursor: string;
  node: T;
}

export interface ConnectionValue<T> {
  edges: EdgeValue<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Descriptions of a connection's parts that say more than the generic text (the order of the list, what is counted). */
export type ConnectionDescriptions = Partial<Record<'connection' | 'node' | 'edges' | 'nodes' | 'totalCount', string>>;

export interface ConnectionOptions<H extends object> {
  /**
   * Fields the connection carries beside the page, such as the counts of a
   * whole answer: an `@ObjectType` class (never in the schema by itself)
   * whose fields the connection inherits.
   */
  head?: ClassType<H>;
  descriptions?: ConnectionDescriptions;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type. `what` is the
 * node in words, for descriptions ("REST API").
 */
export function connectionType<T extends object, H extends object = object>(
  node: () => ClassType<T> | (abstract new () => T),
  name: string,
  what: string,
  options: ConnectionOptions<H> = {},
): ClassType<ConnectionValue<T> & H> {
  const text = options.descriptions ?? {};
  const Head: ClassType<object> = options.head ?? class {};

  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class Edge implements EdgeValue<T> {
    @Field(() => String, { description: 'Opaque cursor of this item: pass it as `after` to read the items that follow it.' })
    cursor!: string;

    @Field(node, { description: text.node ?? `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: text.connection ?? `A page of ${what}s: edges (or nodes), where the page sits, and how many there are in all.`,
  })
  class Connection extends Head implements ConnectionValue<T> {
    @Extensions({ [COST_LIST_SIZE]: 1 })
    @Field(() => [Edge], { description: text.edges ?? `The ${what}s of this page with their cursors, in order.` })
    edges!: EdgeValue<T>[];

    @Extensions({ [COST_LIST_SIZE]: 1 })
    @Field(() => [node()], {
      description: text.nodes ?? `The ${what}s of this page, in order (the same as edges' nodes, without cursors).`,
    })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to ask for them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: text.totalCount ?? `How many ${what}s the whole list has (every page, not only this one).` })
    totalCount!: number;
  }
  return Connection as ClassType<ConnectionValue<T> & H>;
}

const CURSOR_VERSION = 'c1';

export function encodeCursor(list: string, sortKey: string): string {
  return Buffer.from(`${CURSOR_VERSION}\n${list}\n${sortKey}`, 'utf8').toString('base64url');
}

/** The sort key inside a cursor of `list`; BAD_USER_INPUT for anything else. */
export function decodeCursor(list: string, cursor: string, field = 'after'): string {
  const text = /^[A-Za-z0-9_-]{1,8192}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [version, of, ...rest] = text.split('\n');
  if (version !== CURSOR_VERSION || of !== list || rest.length === 0) {
    throw new UserInputError(
      `${field}: not a cursor of this list; pass pageInfo.endCursor (or an edge's cursor) from a previous page of the same list.`,
    );
  }
  return rest.join('\n');
}

/** `first`/`after` as given → the services' page request (defaults applied, bounds checked, cursor decoded). */
export function pageRequest(args: PageArgs, list: string, ctx: Pick<ApiContext, 'limits'>): PageRequest {
  const max = ctx.limits.maxPageSize;
  const first = args.first ?? Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new UserInputError(`first: expected a whole number from 0 to ${max} (the maximum page size), got ${first}.`);
  }
  return { first, after: args.after === undefined || args.after === null ? undefined : decodeCursor(list, args.after) };
}

/** A services page → the connection value the API returns. */
export function toConnection<T>(page: Page<T>, list: string): ConnectionValue<T> {
  const edges = page.items.map((item) => ({ cursor: encodeCursor(list, item.sortKey), node: item.node }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: page.totalCount,
  };
}
