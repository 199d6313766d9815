import type { RequestScope } from '../requestScope';
import type { AccessSource, IndexedAnswers } from './source';

/**
 * An access source whose every question, and every read of the access
 * index, first checks the request's deadline: a review run for a GraphQL
 * request stops at the next question once its time is up, instead of
 * asking the rest of its questions for a client that has already had its
 * TIMEOUT (the resolver's race only ends the wait, not the work).
 */
export function deadlineBound(
  source: AccessSource,
  scope: Pick<RequestScope, 'assertTimeLeft'>,
  origin: string = source.origin,
): AccessSource {
  const check =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      scope.assertTimeLeft();
      return f(...args);
    };
  const bound: AccessSource = {
    origin,
    ...(source.concurrency !== undefined ? { concurrency: source.concurrency } : {}),
    resolveSnapshot: check((snapshot?: string) => source.resolveSnapshot(snapshot)),
    apis: check((snapshot: string) => source.apis(snapshot)),
    roles: check((snapshot: string) => source.roles(snapshot)),
    accounts: check((snapshot: string) => source.accounts(snapshot)),
    groupsOf: check((principal: string, snapshot: string) => source.groupsOf(principal, snapshot)),
    whoCan: check((...args: Parameters<AccessSource['whoCan']>) => source.whoCan(...args)),
    can: check((...args: Parameters<AccessSource['can']>) => source.can(...args)),
    findings: check((...args: Parameters<AccessSource['findings']>) => source.findings(...args)),
    accessDiff: check((...args: Parameters<AccessSource['accessDiff']>) => source.accessDiff(...args)),
  };
  if (source.indexed) {
    const indexed = source.indexed.bind(source);
    bound.indexed = check(async (snapshot: string) => {
      const reader = await indexed(snapshot);
      return reader ? boundReader(reader, check) : undefined;
    });
  }
  return bound;
}

function boundReader(
  reader: IndexedAnswers,
  check: <A extends unknown[], R>(f: (...args: A) => Promise<R>) => (...args: A) => Promise<R>,
): IndexedAnswers {
  return {
    maxHops: reader.maxHops,
    targets: check((...args: Parameters<IndexedAnswers['targets']>) => reader.targets(...args)),
    entries: check((...args: Parameters<IndexedAnswers['entries']>) => reader.entries(...args)),
    classesIn: check((...args: Parameters<IndexedAnswers['classesIn']>) => reader.classesIn(...args)),
    answersOf: check((...args: Parameters<IndexedAnswers['answersOf']>) => reader.answersOf(...args)),
    members: check((...args: Parameters<IndexedAnswers['members']>) => reader.members(...args)),
    assumptionsFrom: check((...args: Parameters<IndexedAnswers['assumptionsFrom']>) => reader.assumptionsFrom(...args)),
  };
}
