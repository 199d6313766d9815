import type { PolicyProblem } from '../errors';
import { ACCOUNT_ID, parseArn } from '../match/arn';
import type { PrincipalElement } from '../match/principal';
import { childPath, describeType, isPlainObject } from './decode';

/**
 * Parses `Principal` / `NotPrincipal`: `"*"`, or an object with `AWS`,
 * `Service`, `Federated` and `CanonicalUser` keys, each a string or a list.
 * "You cannot use a wildcard to match part of a principal name or ARN"; the
 * only wildcard is a bare `"*"` (also `{"AWS": "*"}`). Groups cannot be
 * principals.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function parsePrincipalElement(
  raw: unknown,
  negated: boolean,
  path: string,
  problems: PolicyProblem[],
): PrincipalElement | undefined {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const uniqueIds = new Set<string>();
  const sessionsByRole = new Map<string, string[]>();
  const services = new Set<string>();
  const federated = new Set<string>();
  const canonicalUsers = new Set<string>();
  let bareWildcard = false;
  let awsWildcard = false;
  let hasAws = false;
  const before = problems.length;

  if (raw === '*') bareWildcard = true;
  else if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 0)
      problems.push({ path, message: 'expected "*" or an object with at least one of AWS, Service, Federated, CanonicalUser' });
    for (const key of keys) {
      const keyPath = childPath(path, key);
      const values = stringList(raw[key], keyPath, problems);
      if (values === undefined) continue;
      values.forEach((value, i) => {
        const valuePath = Array.isArray(raw[key]) ? childPath(keyPath, i) : keyPath;
        switch (key) {
          case 'AWS':
            hasAws = true;
            if (value === '*') awsWildcard = true;
            else readAwsPrincipal(value, valuePath, problems, { accounts, arns, uniqueIds, sessionsByRole });
            break;
          case 'Service':
            if (!/^[a-z0-9][a-z0-9.-]*$/i.test(value))
              problems.push({
                path: valuePath,
                message: `expected a service principal such as "apigateway.amazonaws.com", got ${JSON.stringify(value)}`,
              });
            else services.add(value.toLowerCase());
            break;
          case 'Federated':
            if (value === '' || value.includes('*'))
              problems.push({ path: valuePath, message: `expected an identity provider ARN or host name, got ${JSON.stringify(value)}` });
            else federated.add(value.startsWith('arn:') ? value : value.toLowerCase());
            break;
          case 'CanonicalUser':
            if (!/^[0-9a-f]{64}$/i.test(value))
              problems.push({ path: valuePath, message: `expected a 64-hex-digit canonical user id, got ${JSON.stringify(value)}` });
            else canonicalUsers.add(value.toLowerCase());
            break;
          default:
            break;
        }
      });
      if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(key)) {
        problems.push({
          path: keyPath,
          message: `unknown principal type ${JSON.stringify(key)} (expected AWS, Service, Federated or CanonicalUser)`,
        });
      }
    }
  } else {
    problems.push({
      path,
      message: `expected "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, got ${describeType(raw)}`,
    });
  }
  if (problems.length > before) return undefined;
  return Object.freeze({
    negated,
    raw,
    bareWildcard,
    awsWildcard,
    hasAws,
    accounts,
    arns,
    uniqueIds,
    sessionsByRole,
    services,
    federated,
    canonicalUsers,
  });
}

function stringList(value: unknown, path: string, problems: PolicyProblem[]): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0) {
    const out: string[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else problems.push({ path: childPath(path, i), message: `expected a string, got ${describeType(v)}` });
    });
    return out.length === value.length ? out : undefined;
  }
  problems.push({ path, message: `expected a string or a non-empty list of strings, got ${describeType(value)}` });
  return undefined;
}

interface AwsSets {
  accounts: Set<string>;
  arns: Set<string>;
  uniqueIds: Set<string>;
  sessionsByRole: Map<string, string[]>;
}

function readAwsPrincipal(value: string, path: string, problems: PolicyProblem[], sets: AwsSets): void {
  if (value.includes('*') || value.includes('?')) {
    problems.push({ path, message: `wildcards are not allowed in a principal except a bare "*" (got ${JSON.stringify(value)})` });
    return;
  }
  if (ACCOUNT_ID.test(value)) {
    sets.accounts.add(value);
    return;
  }
  if (/^A[A-Z0-9]{15,127}$/.test(value)) {
    sets.uniqueIds.add(value);
    return;
  }
  const arn = parseArn(value);
  if (arn !== undefined && ACCOUNT_ID.test(arn.account) && arn.region === '') {
    const { service, resource, account, partition } = arn;
    if (service === 'iam' && resource === 'root') {
      sets.accounts.add(account);
      return;
    }
    if (service === 'iam' && /^(user|role)\/.+/.test(resource)) {
      sets.arns.add(value);
      return;
    }
    if (service === 'sts') {
      const parts = resource.split('/');
      if (parts[0] === 'assumed-role' && parts.length === 3 && parts[1] && parts[2]) {
        sets.arns.add(value);
        const key = `arn:${partition}:sts::${account}:assumed-role/${parts[1]}`;
        const list = sets.sessionsByRole.get(key) ?? [];
        list.push(parts[2]);
        sets.sessionsByRole.set(key, list);
        return;
      }
      if (parts[0] === 'federated-user' && parts.length === 2 && parts[1]) {
        sets.arns.add(value);
        return;
      }
    }
    if (service === 'iam' && resource.startsWith('group/')) {
      problems.push({ path, message: 'IAM groups cannot be principals' });
      return;
    }
  }
  problems.push({
    path,
    message: `expected "*", a 12-digit account id, or an account root, user, role, assumed-role session or federated-user ARN; got ${JSON.stringify(value)}`,
  });
}
