import { UserInputError } from '../errors';

/**
 * Keyset paging for every list the services return. A list is ordered by a
 * sort key that is unique within it (an ARN, a key, an id); a page is the
 * `first` items whose sort key comes after `after`. Snapshots never change
 * once complete, so a page read later continues exactly where the previous
 * one ended. The API turns sort keys into opaque cursors.
 */
export interface PageRequest {
  /** How many items, 0 or more (the API caps it at the maximum page size). */
  first: number;
  /** The sort key of the last item already seen; undefined for the first page. */
  after: string | undefined;
}

export interface PageItem<T> {
  node: T;
  /** This item's sort key: pass it as `after` to read on from it. */
  sortKey: string;
}

export interface Page<T> {
  items: PageItem<T>[];
  /** True when more items follow this page. */
  hasNextPage: boolean;
  /** True when the page started after an item (`after` given). */
  hasPreviousPage: boolean;
  /** How many items the whole list has. */
  totalCount: number;
}

/** Checks a page request coming from outside (`first` within 0..maxPageSize). */
export function checkPageRequest(page: PageRequest, maxPageSize: number, field = 'first'): PageRequest {
  if (!Number.isInteger(page.first) || page.first < 0 || page.first > maxPageSize) {
    throw new UserInputError(`${field}: expected a whole number from 0 to ${maxPageSize} (the maximum page size), got ${page.first}.`);
  }
  return page;
}

/**
 * Makes a page from rows read with `LIMIT first + 1` (the extra row only
 * tells whether another page follows).
 */
export function pageFromRows<T>(rows: readonly PageItem<T>[], page: PageRequest, totalCount: number): Page<T> {
  return {
    items: rows.slice(0, page.first),
    hasNextPage: rows.length > page.first,
    hasPreviousPage: page.after !== undefined,
    totalCount,
  };
}
