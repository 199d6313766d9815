import { statementMatchesAction, type CompiledPolicy } from '../policy';
import type { AccessModel } from './accessModel';
import type { CallerUniverse } from './callers';
import type { Caller } from './decide';

/**
 * Which callers could possibly be allowed, found without asking the engine
 * about everyone. The engine then decides each candidate exactly; this file
 * only has to never leave out a caller the engine would allow (a false "no
 * access" is the worst bug a tool like this can have). Every test here is a
 * necessary condition for an allow, so it over-approximates:
 *
 * - Identity side: an allow needs an Allow statement in one of the caller's
 *   own policies whose Action covers the action and whose Resource may match
 *   (IUG, "Policy evaluation logic": no allow, implicit deny). A caller with an
 *   identity policy whose document is unknown is always a candidate.
 * - Resource side: a resource-based policy (trust policy, API or function
 *   policy) can allow only the callers its Principal element names: an
 *   account (all of its principals), an ARN or unique id, or everyone (`*`,
 *   NotPrincipal).
 *
 * The differential tests compare answers built on these candidates with the
 * engine asked about every caller.
 */

/** Callers named by the Allow statements of a resource-based policy. */
export interface NamedCallers {
  /** `*`, `{"AWS":"*"}` or NotPrincipal: every caller. */
  everyone: boolean;
  /** Callers named by ARN (ingested principals, external principals) or by service name. */
  callers: Set<Caller>;
  /** Account ids: every principal of the account, and its stand-in when it is not ingested. */
  accounts: Set<string>;
}

/**
 * The identity Allow statements covering one action, grouped by Resource
 * pattern: the principals that hold a statement with that pattern, and
 * those holding one that covers every resource (no Resource, NotResource).
 */
interface ActionIndex {
  everywhere: Set<string>;
  byPattern: Map<string, Set<string>>;
  /** Patterns by their text before the first wildcard or variable (lower case), and those texts sorted. */
  byLiteral: Map<string, string[]>;
  literals: string[];
}

/** A pattern's text before its first `*`, `?` or policy variable, in lower case (the candidate filters compare case-insensitively). */
function literalOf(pattern: string): string {
  const end = pattern.search(/[*?]|\$\{/);
  return (end < 0 ? pattern : pattern.slice(0, end)).toLowerCase();
}

export class CandidateIndex {
  /** Principals holding each identity policy (directly or through a group). */
  private readonly holdersByPolicy = new Map<CompiledPolicy, string[]>();
  /** Principals with an identity policy whose document is unknown: they may be allowed anything. */
  readonly unknownPolicyHolders: readonly string[];
  private readonly byAction = new Map<string, ActionIndex>();
  private readonly patternsByPrincipal = new Map<string, Map<string, readonly string[] | 'any'>>();
  readonly principalsByAccount = new Map<string, string[]>();
  private readonly principalByUniqueId = new Map<string, string>();
  /** `account/name` → role ARN (assumed-role session ARNs carry no path). */
  private readonly roleByAccountAndName = new Map<string, string>();

  constructor(
    private readonly model: AccessModel,
    readonly universe: CallerUniverse,
  ) {
    const unknown: string[] = [];
    for (const entry of model.principals.values()) {
      let hasUnknown = false;
      for (const ref of entry.identityPolicies) {
        const list = this.holdersByPolicy.get(ref.policy);
        if (list) {
          if (list[list.length - 1] !== entry.arn) list.push(entry.arn);
        } else this.holdersByPolicy.set(ref.policy, [entry.arn]);
        if (ref.policy.unknown) hasUnknown = true;
      }
      if (hasUnknown) unknown.push(entry.arn);
      const inAccount = this.principalsByAccount.get(entry.account);
      if (inAccount) inAccount.push(entry.arn);
      else this.principalsByAccount.set(entry.account, [entry.arn]);
      if (entry.row.uniqueId) this.principalByUniqueId.set(entry.row.uniqueId, entry.arn);
      if (entry.kind === 'role') this.roleByAccountAndName.set(`${entry.account}/${entry.name}`, entry.arn);
    }
    this.unknownPolicyHolders = unknown;
  }

  /** The identity Allow statements whose Action (or NotAction) covers `action`, by Resource pattern; built once per action. */
  private actionIndex(action: string): ActionIndex {
    const key = action.toLowerCase();
    let index = this.byAction.get(key);
    if (!index) {
      index = { everywhere: new Set(), byPattern: new Map(), byLiteral: new Map(), literals: [] };
      for (const [policy, holders] of this.holdersByPolicy) {
        for (const statement of policy.statements) {
          if (statement.effect !== 'Allow' || !statementMatchesAction(statement, key)) continue;
          const el = statement.resource;
          if (el === undefined || el.negated) {
            for (const arn of holders) index.everywhere.add(arn);
            continue;
          }
          for (const pattern of el.values) {
            let set = index.byPattern.get(pattern);
            if (!set) {
              index.byPattern.set(pattern, (set = new Set()));
              const literal = literalOf(pattern);
              const same = index.byLiteral.get(literal);
              if (same) same.push(pattern);
              else index.byLiteral.set(literal, [pattern]);
            }
            for (const arn of holders) set.add(arn);
          }
        }
      }
      index.literals = [...index.byLiteral.keys()].sort();
      this.byAction.set(key, index);
    }
    return index;
  }

  /**
   * Principals whose own policies may allow `action` on a resource:
   * `resourceMayMatch(pattern)` must answer true whenever the Resource
   * pattern (policy variables included) can match the resource in question.
   * Each distinct pattern is asked once.
   */
  identityCandidates(action: string, resourceMayMatch: (pattern: string) => boolean, literalPrefix?: string): Set<string> {
    const index = this.actionIndex(action);
    const out = new Set<string>(this.unknownPolicyHolders);
    for (const arn of index.everywhere) out.add(arn);
    const ask = (pattern: string) => {
      if (resourceMayMatch(pattern)) for (const arn of index.byPattern.get(pattern)!) out.add(arn);
    };
    if (literalPrefix === undefined) {
      for (const pattern of index.byPattern.keys()) ask(pattern);
      return out;
    }
    // Only patterns whose literal text agrees with the prefix: the literal is a prefix of it, or starts with it.
    const prefix = literalPrefix.toLowerCase();
    for (let end = 0; end <= prefix.length; end++) for (const pattern of index.byLiteral.get(prefix.slice(0, end)) ?? []) ask(pattern);
    let at = lowerBound(index.literals, prefix);
    if (index.literals[at] === prefix) at++; // already asked above
    for (; at < index.literals.length && index.literals[at]!.startsWith(prefix); at++)
      for (const pattern of index.byLiteral.get(index.literals[at]!)!) ask(pattern);
    return out;
  }

  /**
   * The Resource patterns of one principal's identity Allow statements for
   * `action`; `any` when one covers every resource or a policy is unknown.
   * Cached per principal and action.
   */
  identityPatterns(arn: string, action: string): readonly string[] | 'any' {
    const key = action.toLowerCase();
    let byAction = this.patternsByPrincipal.get(arn);
    if (!byAction) this.patternsByPrincipal.set(arn, (byAction = new Map<string, readonly string[] | 'any'>()));
    let patterns = byAction.get(key);
    if (patterns === undefined) {
      patterns = [];
      for (const ref of this.model.principals.get(arn)?.identityPolicies ?? []) {
        if (ref.policy.unknown) {
          patterns = 'any';
          break;
        }
        for (const statement of ref.policy.statements) {
          if (statement.effect !== 'Allow' || !statementMatchesAction(statement, key)) continue;
          const el = statement.resource;
          if (el === undefined || el.negated) {
            patterns = 'any';
            break;
          }
          (patterns as string[]).push(...el.values);
        }
        if (patterns === 'any') break;
      }
      byAction.set(key, patterns);
    }
    return patterns;
  }

  /**
   * The principals of an account whose own policies may allow `action` on
   * `resource` (their identity Allow patterns glob-match it, or they hold an
   * unknown policy): the candidates for resources that only their own
   * account's principals can be granted (no resource policy).
   */
  accountCandidates(account: string, action: string, resource: string | readonly string[]): string[] {
    const resources = typeof resource === 'string' ? [resource] : resource;
    // A pattern whose text before its first wildcard disagrees with what every resource starts with matches none of them.
    const prefix = commonPrefix(resources);
    const out: string[] = [];
    for (const { arn, patterns } of this.accountHolders(account, action)) {
      if (patterns === 'any' || patterns.some((p) => literalPrefixAgrees(p, prefix) && resources.some((r) => globMayMatch(p, r))))
        out.push(arn);
    }
    return out;
  }

  /** The principals of an account with at least one identity Allow for `action` (and its patterns); cached. */
  private accountHolders(account: string, action: string): readonly { arn: string; patterns: readonly string[] | 'any' }[] {
    const key = `${account}|${action.toLowerCase()}`;
    let holders = this.holdersByAccountAction.get(key);
    if (!holders) {
      holders = [];
      for (const arn of this.principalsByAccount.get(account) ?? []) {
        const patterns = this.identityPatterns(arn, action);
        if (patterns === 'any' || patterns.length > 0) holders.push({ arn, patterns });
      }
      this.holdersByAccountAction.set(key, holders);
    }
    return holders;
  }

  private readonly holdersByAccountAction = new Map<string, { arn: string; patterns: readonly string[] | 'any' }[]>();

  /** The callers the Allow statements of a resource-based policy name for `action` (an unknown policy names everyone). */
  namedCallers(policy: CompiledPolicy | undefined, action: string): NamedCallers {
    const named: NamedCallers = { everyone: false, callers: new Set(), accounts: new Set() };
    if (!policy) return named;
    if (policy.unknown) {
      named.everyone = true;
      return named;
    }
    const addArn = (arn: string) => {
      const caller = this.universe.byArn.get(arn);
      if (caller && (caller.type === 'principal' || caller.type === 'external')) named.callers.add(caller);
    };
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !statementMatchesAction(statement, action)) continue;
      const el = statement.principal;
      if (!el) continue;
      if (el.negated || el.bareWildcard || el.awsWildcard) {
        named.everyone = true;
        return named;
      }
      for (const account of el.accounts) named.accounts.add(account);
      for (const arn of el.arns) {
        addArn(arn);
        const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)/.exec(arn);
        const role = session ? this.roleByAccountAndName.get(`${session[1]}/${session[2]}`) : undefined;
        if (role) addArn(role);
      }
      for (const id of el.uniqueIds) {
        const arn = this.principalByUniqueId.get(id);
        if (arn) addArn(arn);
      }
      for (const service of el.services) {
        const caller = this.universe.service(service);
        if (caller) named.callers.add(caller);
      }
    }
    return named;
  }

  /** The callers `named` covers: for an account, its ingested principals or its stand-in. */
  callersNamed(named: NamedCallers): Set<Caller> {
    if (named.everyone) return new Set(this.universe.all);
    const out = new Set(named.callers);
    for (const account of named.accounts) {
      for (const arn of this.principalsByAccount.get(account) ?? []) out.add(this.universe.principal(arn)!);
      const standIn = this.universe.account(account);
      if (standIn) out.add(standIn);
    }
    return out;
  }
}

/**
 * Can the IAM resource pattern match `resource`? A glob where `*` and policy
 * variables match any characters (colons and slashes included) and `?` one,
 * compared case-insensitively: looser than the engine's ARN matching, which
 * is what a candidate filter needs.
 */
const normalised = new Map<string, string>();

export function globMayMatch(pattern: string, resource: string): boolean {
  let p = normalised.get(pattern);
  if (p === undefined) {
    p = pattern.replace(/\$\{[^}]*\}/g, '*').toLowerCase();
    if (normalised.size > 100_000) normalised.clear();
    normalised.set(pattern, p);
  }
  const r = resource.toLowerCase();
  if (p === '*') return true;
  let pi = 0;
  let ri = 0;
  let star = -1;
  let mark = 0;
  while (ri < r.length) {
    const c = p[pi];
    if (c === '?' || (c !== undefined && c !== '*' && c === r[ri])) {
      pi++;
      ri++;
    } else if (c === '*') {
      star = pi++;
      mark = ri;
    } else if (star >= 0) {
      pi = star + 1;
      ri = ++mark;
    } else return false;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Necessary condition for a pattern to match some ARN that starts with
 * `prefix`: the pattern's text before its first wildcard or variable agrees
 * with the prefix as far as both go (case-insensitive).
 */
export function literalPrefixAgrees(pattern: string, prefix: string): boolean {
  const n = Math.min(pattern.length, prefix.length);
  for (let i = 0; i < n; i++) {
    const c = pattern[i]!;
    if (c === '*' || c === '?' || (c === '$' && pattern[i + 1] === '{')) return true;
    if (c.toLowerCase() !== prefix[i]!.toLowerCase()) return false;
  }
  return true;
}

/** The longest text every value starts with. */
export function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const v of values) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/** The first index whose value is not below `value` (the list is sorted). */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
