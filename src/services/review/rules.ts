import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { packageRoot } from '../../config/paths';
import type { CallerType } from '../../analysis';
import { UserInputError } from '../../errors';
import { checkSupportedKeywords, isObject, validateJson, type JsonPath, type JsonSchema, type SchemaProblem } from './jsonSchema';

/**
 * The rules file of `whocan review`: YAML checked against the JSON Schema
 * shipped in schema/rules.schema.json, then against what the schema cannot
 * say (unique ids, expectations that fit the selection). Every problem is
 * reported with its file, line and column and what was expected; a file
 * with any problem is refused whole (nothing is evaluated).
 */
export type RuleSeverity = 'high' | 'medium' | 'low';
/** The decisions that can count as access (`denied` never does). */
export type CountedDecision = 'allowed' | 'conditional' | 'partial';
export const COUNTED_DECISIONS: readonly CountedDecision[] = ['allowed', 'conditional', 'partial'];
export const SEVERITIES: readonly RuleSeverity[] = ['high', 'medium', 'low'];

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** Who a rule names: by ARN pattern, group membership, role, account, or kind of caller. */
export type PrincipalMatcher =
  | { kind: 'arn'; pattern: string }
  | { kind: 'group'; pattern: string }
  | { kind: 'role'; pattern: string }
  | { kind: 'account'; account: string }
  | { kind: 'type'; type: CallerType };

export type Selection =
  /** API methods by execute-api ARN (exact: asked as written; with * or ?: a pattern over the method templates). */
  | { kind: 'invoke'; arns: string[] }
  /** API methods by API (id or name), stage and `VERB /path`, each a glob. */
  | { kind: 'invoke'; api: string; stage?: string; methods?: string[] }
  /** APIs or API Gateway resources to change: by management ARN (exact or pattern) or API (id or name). */
  | { kind: 'manage'; arns: string[]; actions: string[] }
  | { kind: 'manage'; api: string; actions: string[] }
  /** Roles (exact ARN or pattern). */
  | { kind: 'assume'; arns: string[] };

export type Expectation =
  | { kind: 'only'; principals: PrincipalMatcher[] }
  | { kind: 'forbid'; principals: PrincipalMatcher[] }
  | { kind: 'nobody' }
  | { kind: 'no-outside-org' }
  | { kind: 'not-public' }
  | { kind: 'max-principals'; max: number }
  | { kind: 'max-hops'; max: number }
  | { kind: 'no-escalation'; minSeverity: RuleSeverity };

export type ExpectationKind = Expectation['kind'];

export interface Rule {
  id: string;
  description: string | null;
  owner: string | null;
  severity: RuleSeverity;
  /** Absent only for no-escalation (every API). */
  select: Selection | null;
  expect: Expectation;
  /** Decisions that count as access. */
  access: CountedDecision[];
  context: Record<string, string | string[]> | undefined;
  except: PrincipalMatcher[];
  position: SourcePosition;
  selectPosition: SourcePosition | null;
}

export interface RuleSet {
  file: string;
  rules: Rule[];
}

export const DEFAULT_MANAGE_ACTIONS: readonly string[] = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];

/** The selection kinds each expectation applies to (null: no selection). */
const FITS: Record<ExpectationKind, readonly (Selection['kind'] | null)[]> = {
  only: ['invoke', 'manage', 'assume'],
  forbid: ['invoke', 'manage', 'assume'],
  nobody: ['invoke', 'manage', 'assume'],
  'no-outside-org': ['invoke', 'manage', 'assume'],
  'max-principals': ['invoke', 'manage', 'assume'],
  'not-public': ['invoke'],
  'max-hops': ['assume'],
  'no-escalation': ['manage', null],
};

let schemaCache: JsonSchema | undefined;

/** The shipped JSON Schema of rules files. */
export function rulesSchemaPath(): string {
  return path.join(packageRoot(), 'schema', 'rules.schema.json');
}

export function rulesSchema(): JsonSchema {
  if (!schemaCache) {
    const schema = JSON.parse(readFileSync(rulesSchemaPath(), 'utf8')) as JsonSchema;
    checkSupportedKeywords(schema);
    schemaCache = schema;
  }
  return schemaCache;
}

/** Reads and checks a rules file; a missing file or any problem in it is one UserInputError listing every problem. */
export function loadRules(file: string): RuleSet {
  return parseRules(readRulesFile(file), file);
}

/** The text of a rules file; a file that cannot be read is a UserInputError naming it. */
export function readRulesFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(
      `Cannot read the rules file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}.`,
    );
  }
}

/** How far YAML aliases may expand (the yaml library's count of alias uses): a rules file has little use for them. */
const MAX_ALIAS_COUNT = 100;

export function parseRules(text: string, file: string): RuleSet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  for (const error of doc.errors) {
    const at = lines.linePos(error.pos[0]);
    problems.push(`${file}:${at.line}:${at.col}: ${error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')}`);
  }
  if (problems.length > 0) throw rulesError(file, problems);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library refuses aliases that expand into too many values (a "billion laughs" document).
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    throw rulesError(file, [
      `${file}:1:1: its aliases (*name) expand into too many values; expected a rules file whose aliases are used at most ${MAX_ALIAS_COUNT} times in all`,
    ]);
  }
  const locate = locator(doc, lines, file);
  const schemaProblems = validateJson(value, rulesSchema());
  if (schemaProblems.length > 0)
    throw rulesError(
      file,
      schemaProblems.map((p) => `${locate(p.path, p.at)}: ${describeProblem(p)}`),
    );

  const raw = value as RawRules;
  const defaults = raw.defaults ?? {};
  const rules: Rule[] = [];
  const seen = new Map<string, number>();
  raw.rules.forEach((r, i) => {
    const at = (p: JsonPath, where: SchemaProblem['at'] = 'value') => locate(['rules', i, ...p], where);
    const first = seen.get(r.id);
    if (first !== undefined)
      problems.push(
        `${at(['id'])}: rules[${i}].id: the id ${JSON.stringify(r.id)} is already used by rules[${first}]; expected a unique id`,
      );
    else seen.set(r.id, i);
    const expect = expectation(r.expect);
    const select = r.select ? selection(r.select) : null;
    const fits = FITS[expect.kind];
    if (!fits.includes(select?.kind ?? null)) {
      const [key] = Object.keys(r.expect);
      problems.push(
        `${at(['expect', key!], 'key')}: rules[${i}].expect.${key}: ${
          select === null
            ? `needs a select (${fits.filter((k) => k !== null).join(' or ')})`
            : `does not apply to select.${select.kind}: expected select.${fits.filter((k) => k !== null).join(' or select.')}${fits.includes(null) ? ', or no select' : ''}`
        }`,
      );
    }
    if (expect.kind === 'no-escalation' && r.context)
      problems.push(
        `${at(['context'], 'key')}: rules[${i}].context: no-escalation is decided without request context (findings); remove context`,
      );
    const context = contextOf({ ...(defaults.context ?? {}), ...(r.context ?? {}) });
    rules.push({
      id: r.id,
      description: r.description ?? null,
      owner: r.owner ?? defaults.owner ?? null,
      severity: r.severity ?? defaults.severity ?? 'medium',
      select,
      expect,
      access: r.access ?? defaults.access ?? [...COUNTED_DECISIONS],
      context,
      except: (r.except ?? []).map(matcher),
      position: position(locate(['rules', i], 'value')),
      // The selection's own key (invoke, manage, assume): where a selection that fits nothing is reported.
      selectPosition: r.select ? position(at(['select', Object.keys(r.select)[0]!], 'key')) : null,
    });
  });
  if (problems.length > 0) throw rulesError(file, problems);
  return { file, rules };
}

function position(located: string): SourcePosition {
  const m = /^(.*):(\d+):(\d+)$/.exec(located)!;
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

function rulesError(file: string, problems: string[]): UserInputError {
  return new UserInputError(
    `The rules file ${file} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was evaluated):`,
    problems,
  );
}

function describeProblem(p: SchemaProblem): string {
  const where = pathText(p.path);
  return where ? `${where}: ${p.message}` : p.message;
}

export function pathText(p: JsonPath): string {
  let out = '';
  for (const part of p)
    out +=
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)
          ? `${out ? '.' : ''}${part}`
          : `[${JSON.stringify(part)}]`;
  return out;
}

/** `file:line:column` of a place in the document: a value, its key, or the mapping that holds it. */
function locator(doc: Document, lines: LineCounter, file: string): (p: JsonPath, at: SchemaProblem['at']) => string {
  const format = (offset: number | undefined) => {
    const pos = lines.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  return (p, at) => {
    // The deepest node that exists on the path (an alias or a missing key stops the walk).
    let node: unknown = doc.contents;
    let keyNode: YamlNode | undefined;
    let parent: unknown = undefined;
    for (const part of p) {
      parent = node;
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
        if (!pair) break;
        keyNode = pair.key as YamlNode;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part];
      } else break;
    }
    if (at === 'key' && keyNode?.range) return format(keyNode.range[0]);
    if (at === 'parent') {
      const holder = p.length === 0 ? doc.contents : node;
      const range = (holder as YamlNode | null)?.range ?? (parent as YamlNode | undefined)?.range;
      return format(range?.[0]);
    }
    const range = (node as YamlNode | null | undefined)?.range ?? keyNode?.range ?? (parent as YamlNode | undefined)?.range;
    return format(range?.[0]);
  };
}

interface RawRules {
  version: 1;
  defaults?: { owner?: string; severity?: RuleSeverity; access?: CountedDecision[]; context?: Record<string, unknown> };
  rules: RawRule[];
}

interface RawRule {
  id: string;
  description?: string;
  owner?: string;
  severity?: RuleSeverity;
  select?: Record<string, unknown>;
  expect: Record<string, unknown>;
  access?: CountedDecision[];
  context?: Record<string, unknown>;
  except?: unknown[];
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A rule's selection, once the file passed schema/rules.schema.json (so `api` and `stage` are strings). */
function selection(raw: Record<string, unknown>): Selection {
  if (raw['invoke'] !== undefined) {
    const v = raw['invoke'];
    if (isObject(v)) {
      return {
        kind: 'invoke',
        api: v['api'] as string,
        ...(v['stage'] !== undefined ? { stage: v['stage'] as string } : {}),
        ...(v['methods'] !== undefined ? { methods: list(v['methods']) } : {}),
      };
    }
    return { kind: 'invoke', arns: list(v) };
  }
  if (raw['manage'] !== undefined) {
    const v = raw['manage'];
    if (isObject(v)) {
      const actions = v['actions'] !== undefined ? list(v['actions']) : [...DEFAULT_MANAGE_ACTIONS];
      return v['api'] !== undefined
        ? { kind: 'manage', api: v['api'] as string, actions }
        : { kind: 'manage', arns: list(v['arn']), actions };
    }
    return { kind: 'manage', arns: list(v), actions: [...DEFAULT_MANAGE_ACTIONS] };
  }
  return { kind: 'assume', arns: list(raw['assume']) };
}

function expectation(raw: Record<string, unknown>): Expectation {
  const [key] = Object.keys(raw) as [string];
  const v = raw[key];
  switch (key) {
    case 'only':
    case 'forbid':
      return { kind: key, principals: (v as unknown[]).map(matcher) };
    case 'nobody':
    case 'no-outside-org':
    case 'not-public':
      return { kind: key };
    case 'max-principals':
    case 'max-hops':
      return { kind: key, max: v as number };
    case 'no-escalation':
      return { kind: 'no-escalation', minSeverity: isObject(v) ? (v['min-severity'] as RuleSeverity) : 'low' };
    default:
      throw new Error(`unexpected expectation ${key} (the schema admits it)`);
  }
}

function matcher(raw: unknown): PrincipalMatcher {
  if (typeof raw === 'string') return { kind: 'arn', pattern: raw };
  const [key] = Object.keys(raw as object) as [string];
  const v = (raw as Record<string, string>)[key]!;
  switch (key) {
    case 'arn':
    case 'group':
    case 'role':
      return { kind: key, pattern: v };
    case 'account':
      return { kind: 'account', account: v };
    case 'type':
      return { kind: 'type', type: v as CallerType };
    default:
      throw new Error(`unexpected principal key ${key} (the schema admits it)`);
  }
}

/** Context values as the CLI's --context gives them: text, a list for several values. */
function contextOf(raw: Record<string, unknown>): Record<string, string | string[]> | undefined {
  const entries = Object.entries(raw);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
}

/** A short text of a selection, for reports. */
export function describeSelection(select: Selection | null): string {
  if (!select) return 'every API';
  switch (select.kind) {
    case 'invoke':
      return 'arns' in select
        ? `invoke ${select.arns.join(', ')}`
        : `invoke API ${select.api}${select.stage !== undefined ? ` stage ${select.stage}` : ''}${select.methods ? ` methods ${select.methods.join(', ')}` : ''}`;
    case 'manage':
      return `${select.actions.join(', ')} on ${'api' in select ? `API ${select.api}` : select.arns.join(', ')}`;
    case 'assume':
      return `assume ${select.arns.join(', ')}`;
  }
}

export function describeMatcher(m: PrincipalMatcher): string {
  switch (m.kind) {
    case 'arn':
      return m.pattern;
    case 'group':
      return `members of ${m.pattern}`;
    case 'role':
      return `role ${m.pattern}`;
    case 'account':
      return `account ${m.account}`;
    case 'type':
      return `every ${m.type}`;
  }
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'only':
      return `only ${e.principals.map(describeMatcher).join(', ')}`;
    case 'forbid':
      return `never ${e.principals.map(describeMatcher).join(', ')}`;
    case 'nobody':
      return 'nobody';
    case 'no-outside-org':
      return 'nobody outside the organization';
    case 'not-public':
      return 'no public method';
    case 'max-principals':
      return `at most ${e.max} principal${e.max === 1 ? '' : 's'}`;
    case 'max-hops':
      return `no principal more than ${e.max} role assumption${e.max === 1 ? '' : 's'} away`;
    case 'no-escalation':
      return `nobody can escalate through API Gateway${e.minSeverity === 'low' ? '' : ` (findings of severity ${e.minSeverity} or higher)`}`;
  }
}
