import { UserInputError } from '../../errors';
import type { Page, PageRequest } from '../../services';

/**
 * Pages over a list an analysis answer holds in memory. An answer is
 * computed from an immutable snapshot, so the same question gives the same
 * list in the same order: a page's sort key is the item's position and its
 * own key (a principal ARN, a method ARN, a finding id), and a cursor is
 * accepted only when that position still holds that item, so a cursor of
 * another answer is refused instead of silently skipping items.
 */
export function pageOfList<T>(items: readonly T[], keyOf: (item: T) => string, page: PageRequest): Page<T> {
  let start = 0;
  if (page.after !== undefined) {
    const match = /^(\d+):(.*)$/s.exec(page.after);
    const index = match ? Number(match[1]) : -1;
    const item = index >= 0 ? items[index] : undefined;
    if (!match || item === undefined || keyOf(item) !== match[2]) {
      throw new UserInputError(
        'after: this cursor does not belong to this answer; pass pageInfo.endCursor from a previous page of the same question, asked with the same arguments.',
      );
    }
    start = index + 1;
  }
  const slice = items.slice(start, start + page.first);
  return {
    items: slice.map((node, i) => ({ node, sortKey: `${start + i}:${keyOf(node)}` })),
    hasNextPage: start + page.first < items.length,
    hasPreviousPage: page.after !== undefined,
    totalCount: items.length,
  };
}
