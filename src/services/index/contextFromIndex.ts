import type { RequestContextValues } from '../../analysis';
import { assumeAtoms, authorize, parsePolicy, principalFromArn, truthFromJson, type Atom, type Truth } from '../../policy';

/**
 * Request context on an answer read from the access index. The index was
 * built without context: `allowed` holds whatever the context, `conditional`
 * own grants keep the engine's formula (TruthJson), which is evaluated again
 * here with the given values, and everything else is for the analysis.
 *
 * Only keys the caller supplies and the engine never derives may be given:
 * a value for a key the engine derives (the caller's ARN, account, tags and
 * organization, the resource's account, the request's region, transport and
 * the VPC endpoint a private API is called through, the time) replaces the
 * derived one and may change any decision, which the index cannot tell.
 */
const INDEX_CONTEXT_KEY =
  /^(aws:sourceip|aws:multifactorauthpresent|aws:multifactorauthage|aws:referer|aws:useragent|aws:tokenissuetime|aws:sourceidentity|aws:requesttag\/.+|aws:tagkeys|sts:externalid)$/;

/** Whether an answer from the index may be re-decided under this context (its keys, lower case, all caller-supplied). */
export function indexContextKeys(context: RequestContextValues): string[] | undefined {
  const keys = Object.keys(context).map((k) => k.toLowerCase());
  return keys.every((k) => INDEX_CONTEXT_KEY.test(k)) ? keys : undefined;
}

/**
 * A stored formula (`HAS_ACCESS.formula`) under the context: true (allowed),
 * false (denied) or still unknown (conditional). Each condition atom whose
 * keys are all given is decided by the engine on a one-clause statement;
 * other atoms (a key not given, a policy variable, a session name, an
 * authorizer's answer, an unknown policy) stay unknown.
 */
export function decideFormula(formulaJson: string, context: RequestContextValues, principalArn: string): Truth {
  const given = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const parsed = principalFromArn(principalArn);
  return assumeAtoms(truthFromJson(JSON.parse(formulaJson)), (atom) =>
    parsed.ok ? clauseHolds(atom, given, parsed.principal) : undefined,
  );
}

function clauseHolds(
  atom: Atom,
  given: ReadonlyMap<string, unknown>,
  principal: Parameters<typeof authorize>[0]['principal'],
): boolean | undefined {
  if (atom.kind !== 'condition') return undefined;
  if (atom.missingKeys.length === 0 || !atom.missingKeys.every((k) => given.has(k))) return undefined;
  if (atom.values.some((v) => v.includes('${'))) return undefined;
  const policy = parsePolicy(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { [atom.operator]: { [atom.key]: atom.values } } }],
    },
    { type: 'identity', id: 'index-context' },
  );
  const values = Object.fromEntries([...given].filter(([k]) => atom.missingKeys.includes(k))) as RequestContextValues;
  const result = authorize({
    principal,
    action: 'execute-api:Invoke',
    resource: '*',
    identityPolicies: [policy],
    mode: 'concrete',
    context: { values },
  });
  return result.decision === 'allowed';
}
