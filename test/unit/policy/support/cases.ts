import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SimulateDecision, Tristate } from '../../../../src/services/simulation';

/**
 * The schema of the table-driven cases in test/policy-cases/<topic>/*.json,
 * and a reader that checks it (no casts to `any`). Each file cites the AWS
 * page it follows and the numbered evaluation rules it covers (the list in
 * docs/policy-engine.md); a case may override both. Cases in
 * `aws-examples/` are AWS's own published examples: each names its page.
 */
export interface CaseFile {
  readonly file: string;
  readonly topic: string;
  readonly source: string;
  readonly rules: readonly string[];
  readonly description: string;
  readonly cases: readonly PolicyCase[];
}

export interface PolicyCase {
  readonly name: string;
  readonly source: string;
  readonly rules: readonly string[];
  /** A simulate request (validated by the simulate service itself). */
  readonly request: unknown;
  /** Request time for aws:CurrentTime when the request gives none. */
  readonly now: string;
  readonly expect?: readonly Expectation[];
  readonly expectError?: ErrorExpectation;
  /** Texts the response's `Warnings` must contain (each a substring of some warning). */
  readonly expectWarnings?: readonly string[];
}

export interface Expectation {
  /** Which result: defaults to the only action / the only resource of the request. */
  readonly action?: string;
  readonly resource?: string;
  readonly decision: SimulateDecision;
  /** `SourcePolicyId#StatementIndex` of every matched statement (compared as a set). */
  readonly matchedStatements?: readonly string[];
  readonly missingContextValues?: readonly string[];
  readonly allowedByOrganizations?: Tristate;
  readonly allowedByPermissionsBoundary?: Tristate;
  readonly allowedByResourceControlPolicies?: Tristate;
  readonly flow?: string;
  /** Analysis mode: the possible decisions of a conditional result. */
  readonly possibleDecisions?: readonly string[];
  /** Analysis mode: the context keys a conditional result depends on (lower case). */
  readonly conditionalKeys?: readonly string[];
  /** Lines the `Explanation` must contain (each a substring of some line). */
  readonly explanationIncludes?: readonly string[];
}

export interface ErrorExpectation {
  /** Every problem line must start with one of these JSON paths, and each path must be reported. */
  readonly paths: readonly string[];
  readonly messageIncludes?: readonly string[];
}

/** The folder of AWS-published policy examples, written out by hand with their documented outcome. */
export const AWS_EXAMPLES = 'aws-examples';

const DECISIONS: readonly SimulateDecision[] = ['allowed', 'explicitDeny', 'implicitDeny', 'conditional'];

class Reader {
  constructor(private readonly file: string) {}
  fail(where: string, message: string): never {
    throw new Error(`${this.file}: ${where}: ${message}`);
  }
  object(v: unknown, where: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(where, 'expected an object');
    return v as Record<string, unknown>;
  }
  keys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(`${where}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
  string(v: unknown, where: string): string {
    if (typeof v !== 'string' || v === '') this.fail(where, 'expected a non-empty string');
    return v;
  }
  optString(v: unknown, where: string): string | undefined {
    return v === undefined ? undefined : this.string(v, where);
  }
  strings(v: unknown, where: string): string[] {
    if (!Array.isArray(v)) this.fail(where, 'expected a list of strings');
    return v.map((x, i) => this.string(x, `${where}[${i}]`));
  }
  optStrings(v: unknown, where: string): string[] | undefined {
    return v === undefined ? undefined : this.strings(v, where);
  }
  tristate(v: unknown, where: string): Tristate | undefined {
    if (v === undefined) return undefined;
    if (typeof v === 'boolean' || v === 'conditional') return v;
    return this.fail(where, 'expected true, false or "conditional"');
  }
  source(v: unknown, where: string): string {
    const s = this.string(v, where);
    if (!/^https:\/\/(docs\.aws\.amazon\.com|repost\.aws|github\.com)\//.test(s))
      this.fail(where, 'expected the URL of the AWS page (or the GitHub source) the case follows');
    return s;
  }
}

function readExpectation(r: Reader, v: unknown, where: string): Expectation {
  const o = r.object(v, where);
  r.keys(
    o,
    [
      'action',
      'resource',
      'decision',
      'matchedStatements',
      'missingContextValues',
      'allowedByOrganizations',
      'allowedByPermissionsBoundary',
      'allowedByResourceControlPolicies',
      'flow',
      'possibleDecisions',
      'conditionalKeys',
      'explanationIncludes',
    ],
    where,
  );
  const decision = r.string(o['decision'], `${where}.decision`);
  if (!(DECISIONS as readonly string[]).includes(decision)) r.fail(`${where}.decision`, `expected one of ${DECISIONS.join(', ')}`);
  const opt = <T>(k: string, value: T | undefined): Partial<Record<string, T>> => (value === undefined ? {} : { [k]: value });
  return {
    decision: decision as SimulateDecision,
    ...opt('action', r.optString(o['action'], `${where}.action`)),
    ...opt('resource', r.optString(o['resource'], `${where}.resource`)),
    ...opt('matchedStatements', r.optStrings(o['matchedStatements'], `${where}.matchedStatements`)),
    ...opt('missingContextValues', r.optStrings(o['missingContextValues'], `${where}.missingContextValues`)),
    ...opt('allowedByOrganizations', r.tristate(o['allowedByOrganizations'], `${where}.allowedByOrganizations`)),
    ...opt('allowedByPermissionsBoundary', r.tristate(o['allowedByPermissionsBoundary'], `${where}.allowedByPermissionsBoundary`)),
    ...opt(
      'allowedByResourceControlPolicies',
      r.tristate(o['allowedByResourceControlPolicies'], `${where}.allowedByResourceControlPolicies`),
    ),
    ...opt('flow', r.optString(o['flow'], `${where}.flow`)),
    ...opt('possibleDecisions', r.optStrings(o['possibleDecisions'], `${where}.possibleDecisions`)),
    ...opt('conditionalKeys', r.optStrings(o['conditionalKeys'], `${where}.conditionalKeys`)),
    ...opt('explanationIncludes', r.optStrings(o['explanationIncludes'], `${where}.explanationIncludes`)),
  };
}

export function readCaseFile(file: string, topic: string, text: string): CaseFile {
  const r = new Reader(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return r.fail('$', `not valid JSON: ${(error as Error).message}`);
  }
  const o = r.object(raw, '$');
  r.keys(o, ['source', 'rules', 'description', 'cases'], '$');
  const source = r.source(o['source'], '$.source');
  const rules = r.strings(o['rules'], '$.rules');
  const description = r.string(o['description'], '$.description');
  if (!Array.isArray(o['cases']) || o['cases'].length === 0) r.fail('$.cases', 'expected a non-empty list of cases');
  const cases = (o['cases'] as unknown[]).map((c, i): PolicyCase => {
    const where = `$.cases[${i}]`;
    const co = r.object(c, where);
    r.keys(co, ['name', 'source', 'rules', 'request', 'now', 'expect', 'expectError', 'expectWarnings'], where);
    if (co['request'] === undefined) r.fail(`${where}.request`, 'missing');
    // AWS's published examples: every case names the page its policy and outcome come from.
    if (topic === AWS_EXAMPLES && co['source'] === undefined)
      r.fail(`${where}.source`, `missing: every case in ${AWS_EXAMPLES}/ names the AWS page of its example`);
    const hasExpect = co['expect'] !== undefined;
    const hasError = co['expectError'] !== undefined;
    if (hasExpect === hasError) r.fail(where, 'give exactly one of expect, expectError');
    let expect: Expectation[] | undefined;
    if (hasExpect) {
      if (!Array.isArray(co['expect']) || co['expect'].length === 0) r.fail(`${where}.expect`, 'expected a non-empty list');
      expect = (co['expect'] as unknown[]).map((e, j) => readExpectation(r, e, `${where}.expect[${j}]`));
    }
    let expectError: ErrorExpectation | undefined;
    if (hasError) {
      const eo = r.object(co['expectError'], `${where}.expectError`);
      r.keys(eo, ['paths', 'messageIncludes'], `${where}.expectError`);
      const messageIncludes = r.optStrings(eo['messageIncludes'], `${where}.expectError.messageIncludes`);
      expectError = { paths: r.strings(eo['paths'], `${where}.expectError.paths`), ...(messageIncludes ? { messageIncludes } : {}) };
    }
    const expectWarnings = r.optStrings(co['expectWarnings'], `${where}.expectWarnings`);
    if (expectWarnings !== undefined && !hasExpect) r.fail(`${where}.expectWarnings`, 'only with expect (a request that is answered)');
    return {
      ...(expectWarnings ? { expectWarnings } : {}),
      name: r.string(co['name'], `${where}.name`),
      source: co['source'] === undefined ? source : r.source(co['source'], `${where}.source`),
      rules: co['rules'] === undefined ? rules : r.strings(co['rules'], `${where}.rules`),
      request: co['request'],
      now: r.optString(co['now'], `${where}.now`) ?? '2026-01-15T12:00:00Z',
      ...(expect ? { expect } : {}),
      ...(expectError ? { expectError } : {}),
    };
  });
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) r.fail('$.cases', `duplicate case name ${JSON.stringify(c.name)}`);
    names.add(c.name);
  }
  return { file, topic, source, rules, description, cases };
}

/** test/policy-cases in the source tree, found from wherever the compiled test runs. */
export function casesRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'test', 'policy-cases');
    if (existsSync(candidate) && existsSync(path.join(dir, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`test/policy-cases not found above ${__dirname}`);
    dir = parent;
  }
}

export function loadCaseFiles(root = casesRoot()): CaseFile[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((rel) => readCaseFile(rel, rel.split(path.sep)[0] ?? '', readFileSync(path.join(root, rel), 'utf8')));
}
