import type { CompiledPolicy, CompiledStatement } from '../compiled';
import type { ConditionBlock, ConditionClause } from '../conditions/evaluate';
import { compileValue, parseOperator, type CompiledValue } from '../conditions/operators';
import { PolicyValidationError, type PolicyProblem } from '../errors';
import { checkActionSyntax, compileActionElement, oddActionReason, type ActionElement } from '../match/action';
import { checkResourceSyntax, compileResourceElement, type ResourceElement } from '../match/resource';
import type { PrincipalElement } from '../match/principal';
import type { Effect, PolicySource, PolicyType, PolicyVersion, StatementRef } from '../types';
import { childPath, decodeDocument, describeType, isPlainObject } from './decode';
import { parsePrincipalElement } from './principalElement';

/**
 * Parsing and validation of IAM policy documents into compiled, frozen
 * policies. Every problem is reported with its JSON path; nothing is silently
 * ignored (an unknown element is an error).
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
export interface ParsePolicyOptions {
  readonly type: PolicyType;
  /** Id used in explanations; defaults to the policy type. */
  readonly id?: string;
  readonly name?: string;
  readonly attachment?: 'inline' | 'managed';
}

/**
 * `warnings`: policy text IAM stores but that does not mean what it seems to
 * (an action string that names no action, `oddActionReason`); the policy is
 * kept and evaluated as AWS evaluates it.
 */
export type ValidationResult =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly warnings: readonly PolicyProblem[] }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const VERSIONS: readonly PolicyVersion[] = ['2012-10-17', '2008-10-17'];

/** Policy types whose statements must name a Resource or NotResource (IUG elements_resource). */
const RESOURCE_REQUIRED = new Set<PolicyType>(['identity', 'permissionsBoundary', 'session']);
/** Policy types that may not have Principal/NotPrincipal (identity-based policies and SCPs). */
const PRINCIPAL_FORBIDDEN = new Set<PolicyType>(['identity', 'permissionsBoundary', 'session', 'scp']);

/** Parses and validates a document; throws `PolicyValidationError` listing every problem. */
export function parsePolicy(input: unknown, options: ParsePolicyOptions): CompiledPolicy {
  const result = validatePolicy(input, options);
  if (!result.ok) throw new PolicyValidationError(result.problems, `${options.type} policy${options.id ? ` ${options.id}` : ''}`);
  return result.policy;
}

/** Like `parsePolicy`, but returns the problems instead of throwing. */
export function validatePolicy(input: unknown, options: ParsePolicyOptions): ValidationResult {
  const decoded = decodeDocument(input);
  if (!decoded.ok) return { ok: false, problems: [decoded.problem] };
  const doc = decoded.document;
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const source: PolicySource = Object.freeze({
    id: options.id ?? options.type,
    type: options.type,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.attachment !== undefined ? { attachment: options.attachment } : {}),
  });

  for (const key of Object.keys(doc)) {
    if (!DOCUMENT_KEYS.has(key))
      problems.push({ path: childPath('$', key), message: `unknown element ${JSON.stringify(key)} (expected Version, Id, Statement)` });
  }
  let version: PolicyVersion | undefined;
  if (doc['Version'] !== undefined) {
    const v = doc['Version'];
    if (typeof v === 'string' && (VERSIONS as readonly string[]).includes(v)) version = v as PolicyVersion;
    else problems.push({ path: '$.Version', message: `expected "2012-10-17" or "2008-10-17", got ${describeType(v)}` });
  }
  let policyId: string | undefined;
  if (doc['Id'] !== undefined) {
    if (typeof doc['Id'] === 'string') policyId = doc['Id'];
    else problems.push({ path: '$.Id', message: `expected a string, got ${describeType(doc['Id'])}` });
  }
  const variablesEnabled = version === '2012-10-17';

  const rawStatements = doc['Statement'];
  const statements: CompiledStatement[] = [];
  if (rawStatements === undefined) {
    problems.push({ path: '$.Statement', message: 'missing required element Statement' });
  } else if (isPlainObject(rawStatements)) {
    const s = parseStatement(rawStatements, 0, '$.Statement', source, options.type, variablesEnabled, problems, warnings);
    if (s) statements.push(s);
  } else if (Array.isArray(rawStatements)) {
    if (rawStatements.length === 0) problems.push({ path: '$.Statement', message: 'expected at least one statement' });
    rawStatements.forEach((raw, i) => {
      const path = childPath('$.Statement', i);
      if (!isPlainObject(raw)) {
        problems.push({ path, message: `expected a statement object, got ${describeType(raw)}` });
        return;
      }
      const s = parseStatement(raw, i, path, source, options.type, variablesEnabled, problems, warnings);
      if (s) statements.push(s);
    });
  } else {
    problems.push({
      path: '$.Statement',
      message: `expected a statement object or a list of statements, got ${describeType(rawStatements)}`,
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    policy: Object.freeze({ source, version, policyId, statements: Object.freeze(statements), document: doc }),
    warnings,
  };
}

function stringOrList(value: unknown, path: string, problems: PolicyProblem[]): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    if (value.length === 0) {
      problems.push({ path, message: 'expected a string or a non-empty list of strings, got an empty list' });
      return undefined;
    }
    let ok = true;
    value.forEach((v, i) => {
      if (typeof v !== 'string') {
        ok = false;
        problems.push({ path: childPath(path, i), message: `expected a string, got ${describeType(v)}` });
      }
    });
    return ok ? (value as string[]) : undefined;
  }
  problems.push({ path, message: `expected a string or a list of strings, got ${describeType(value)}` });
  return undefined;
}

function parseStatement(
  raw: Readonly<Record<string, unknown>>,
  index: number,
  path: string,
  source: PolicySource,
  type: PolicyType,
  variablesEnabled: boolean,
  problems: PolicyProblem[],
  warnings: PolicyProblem[],
): CompiledStatement | undefined {
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) {
      problems.push({
        path: childPath(path, key),
        message: `unknown element ${JSON.stringify(key)} (expected Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal, Condition)`,
      });
    }
  }

  let sid: string | undefined;
  if (raw['Sid'] !== undefined) {
    if (typeof raw['Sid'] === 'string') sid = raw['Sid'];
    else problems.push({ path: childPath(path, 'Sid'), message: `expected a string, got ${describeType(raw['Sid'])}` });
  }

  let effect: Effect | undefined;
  const rawEffect = raw['Effect'];
  if (rawEffect === 'Allow' || rawEffect === 'Deny') effect = rawEffect;
  else if (rawEffect === undefined)
    problems.push({ path: childPath(path, 'Effect'), message: 'missing required element Effect ("Allow" or "Deny")' });
  else problems.push({ path: childPath(path, 'Effect'), message: `expected "Allow" or "Deny", got ${describeType(rawEffect)}` });

  const action = parseActionElement(raw, path, problems, warnings);
  const resource = parseResourceElement(raw, path, type, variablesEnabled, problems);
  const principal = parsePrincipalPart(raw, path, type, problems);
  const condition =
    raw['Condition'] === undefined
      ? undefined
      : parseConditionBlock(raw['Condition'], childPath(path, 'Condition'), variablesEnabled, problems);

  if (problems.length > before || effect === undefined || action === undefined) return undefined;
  const ref: StatementRef = Object.freeze({
    policyId: source.id,
    policyType: source.type,
    ...(source.name !== undefined ? { policyName: source.name } : {}),
    index,
    ...(sid !== undefined ? { sid } : {}),
  });
  return Object.freeze({ ref, effect, action, resource, principal, condition, raw });
}

function parseActionElement(
  raw: Readonly<Record<string, unknown>>,
  path: string,
  problems: PolicyProblem[],
  warnings: PolicyProblem[],
): ActionElement | undefined {
  const hasAction = raw['Action'] !== undefined;
  const hasNot = raw['NotAction'] !== undefined;
  if (hasAction && hasNot) {
    problems.push({ path: childPath(path, 'NotAction'), message: 'a statement cannot have both Action and NotAction' });
    return undefined;
  }
  if (!hasAction && !hasNot) {
    problems.push({ path: childPath(path, 'Action'), message: 'missing required element Action (or NotAction)' });
    return undefined;
  }
  const key = hasAction ? 'Action' : 'NotAction';
  const elementPath = childPath(path, key);
  const values = stringOrList(raw[key], elementPath, problems);
  if (values === undefined) return undefined;
  let ok = true;
  values.forEach((v, i) => {
    const at = Array.isArray(raw[key]) ? childPath(elementPath, i) : elementPath;
    const message = checkActionSyntax(v);
    if (message !== undefined) {
      ok = false;
      problems.push({ path: at, message });
      return;
    }
    const odd = oddActionReason(v);
    if (odd !== undefined) warnings.push({ path: at, message: odd });
  });
  return ok ? compileActionElement(values, !hasAction) : undefined;
}

function parseResourceElement(
  raw: Readonly<Record<string, unknown>>,
  path: string,
  type: PolicyType,
  variablesEnabled: boolean,
  problems: PolicyProblem[],
): ResourceElement | undefined {
  const hasResource = raw['Resource'] !== undefined;
  const hasNot = raw['NotResource'] !== undefined;
  if (hasResource && hasNot) {
    problems.push({ path: childPath(path, 'NotResource'), message: 'a statement cannot have both Resource and NotResource' });
    return undefined;
  }
  if (!hasResource && !hasNot) {
    if (RESOURCE_REQUIRED.has(type))
      problems.push({
        path: childPath(path, 'Resource'),
        message: `missing required element Resource (or NotResource) in ${type === 'identity' ? 'an' : 'a'} ${type} policy`,
      });
    return undefined;
  }
  const key = hasResource ? 'Resource' : 'NotResource';
  const elementPath = childPath(path, key);
  const values = stringOrList(raw[key], elementPath, problems);
  if (values === undefined) return undefined;
  let ok = true;
  values.forEach((v, i) => {
    const message = checkResourceSyntax(v);
    if (message !== undefined) {
      ok = false;
      problems.push({ path: Array.isArray(raw[key]) ? childPath(elementPath, i) : elementPath, message });
    }
  });
  return ok ? compileResourceElement(values, !hasResource, variablesEnabled) : undefined;
}

function parsePrincipalPart(
  raw: Readonly<Record<string, unknown>>,
  path: string,
  type: PolicyType,
  problems: PolicyProblem[],
): PrincipalElement | undefined {
  const hasPrincipal = raw['Principal'] !== undefined;
  const hasNot = raw['NotPrincipal'] !== undefined;
  if (PRINCIPAL_FORBIDDEN.has(type)) {
    if (hasPrincipal || hasNot) {
      problems.push({
        path: childPath(path, hasPrincipal ? 'Principal' : 'NotPrincipal'),
        message: `a ${type} policy cannot have Principal or NotPrincipal`,
      });
    }
    return undefined;
  }
  if (hasPrincipal && hasNot) {
    problems.push({ path: childPath(path, 'NotPrincipal'), message: 'a statement cannot have both Principal and NotPrincipal' });
    return undefined;
  }
  if (!hasPrincipal && !hasNot) {
    if (type === 'trust')
      problems.push({ path: childPath(path, 'Principal'), message: 'missing required element Principal in a role trust policy' });
    if (type === 'rcp')
      problems.push({
        path: childPath(path, 'Principal'),
        message: 'missing required element Principal ("*") in a resource control policy',
      });
    // Resource-based policies: a statement without a principal is accepted and never matches.
    return undefined;
  }
  if (type === 'rcp') {
    // RCP syntax: "Principal" must be "*"; NotPrincipal is not supported.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
    if (hasNot || raw['Principal'] !== '*') {
      problems.push({
        path: childPath(path, hasNot ? 'NotPrincipal' : 'Principal'),
        message: 'a resource control policy statement must have "Principal": "*"',
      });
      return undefined;
    }
  }
  const key = hasPrincipal ? 'Principal' : 'NotPrincipal';
  return parsePrincipalElement(raw[key], !hasPrincipal, childPath(path, key), problems);
}

function conditionValues(value: unknown, path: string, problems: PolicyProblem[]): string[] | undefined {
  const scalar = (v: unknown, p: string): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    problems.push({ path: p, message: `expected a string, number or boolean, got ${describeType(v)}` });
    return undefined;
  };
  if (Array.isArray(value)) {
    if (value.length === 0) {
      problems.push({ path, message: 'expected at least one value' });
      return undefined;
    }
    const out: string[] = [];
    value.forEach((v, i) => {
      const s = scalar(v, childPath(path, i));
      if (s !== undefined) out.push(s);
    });
    return out.length === value.length ? out : undefined;
  }
  const s = scalar(value, path);
  return s === undefined ? undefined : [s];
}

/**
 * `Condition`: `{ operator: { key: value | [values] } }`. Unknown operators and
 * values that do not fit their operator are errors.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
function parseConditionBlock(raw: unknown, path: string, variablesEnabled: boolean, problems: PolicyProblem[]): ConditionBlock | undefined {
  if (!isPlainObject(raw)) {
    problems.push({ path, message: `expected an object of condition operators, got ${describeType(raw)}` });
    return undefined;
  }
  const clauses: ConditionClause[] = [];
  for (const [opText, body] of Object.entries(raw)) {
    const opPath = childPath(path, opText);
    const operator = parseOperator(opText);
    if ('error' in operator) {
      problems.push({ path: opPath, message: operator.error });
      continue;
    }
    if (!isPlainObject(body) || Object.keys(body).length === 0) {
      problems.push({
        path: opPath,
        message: `expected an object of condition keys and values, got ${isPlainObject(body) ? 'an empty object' : describeType(body)}`,
      });
      continue;
    }
    for (const [key, value] of Object.entries(body)) {
      const keyPath = childPath(opPath, key);
      if (key.trim() === '') {
        problems.push({ path: keyPath, message: 'empty condition key' });
        continue;
      }
      const rawValues = conditionValues(value, keyPath, problems);
      if (rawValues === undefined) continue;
      const compiled: CompiledValue[] = [];
      rawValues.forEach((rv, i) => {
        const c = compileValue(operator.spec, rv, variablesEnabled);
        if ('error' in c) problems.push({ path: Array.isArray(value) ? childPath(keyPath, i) : keyPath, message: c.error });
        else compiled.push(c);
      });
      if (compiled.length === rawValues.length) {
        clauses.push(Object.freeze({ operator, key, keyLower: key.toLowerCase(), values: compiled, rawValues }));
      }
    }
  }
  return Object.freeze({ clauses });
}
