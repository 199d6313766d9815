/**
 * Lambda: `aws lambda list-functions` and, per function with a resource
 * policy, `aws lambda get-policy` (`lambda/policies/<function-name>.json`),
 * to LambdaFunctionRow and the function's resource policy.
 * Pure: files in, rows and issues out (docs/generator.md has the layout).
 */
import { decodeDocument, parseArn } from '../../policy';
import type { LambdaFunctionRow } from '../../model';
import { resourcePolicyKey } from '../apigateway/common';
import { addPolicyDocument } from '../policyRows';
import { JsonReader, statementResources } from '../reader';
import { RowCollector } from '../rowCollector';
import type { JsonFile, TransformContext } from '../transformContext';
import { parseFunctionArn } from './functionArn';

/**
 * Transforms the Lambda functions of one account and region. `functions` is
 * functions.json (absent when the directory has none); `policies` are the
 * files of `lambda/policies/`, the function name being the file name.
 *
 * A function with a problem is skipped with its policy (which is still
 * checked). A policy file of a function not in functions.json is skipped
 * (warning). A function without a policy file simply has no resource policy.
 */
export function transformLambda(
  ctx: TransformContext,
  account: string,
  region: string,
  functions: JsonFile | undefined,
  policies: readonly JsonFile[],
): void {
  /** Function name → its row, or null when the entry has a problem. */
  const byName = new Map<string, LambdaFunctionRow | null>();
  if (functions) {
    const root = new JsonReader(ctx.report, functions.file, functions.data);
    if (root.expectObject()) {
      for (const item of root.list('Functions')) {
        const fn = lambdaFunction(ctx, account, region, item);
        if (fn === 'version') continue;
        const name = item.at('FunctionName').value;
        if (typeof name === 'string' && name !== '' && !byName.get(name)) byName.set(name, fn ?? null);
      }
    }
  }
  for (const file of policies) {
    const name = functionNameOfPolicyFile(file.file);
    const fn = byName.get(name);
    if (fn === undefined) {
      const listing = functions?.file ?? file.file.replace(/policies[/\\][^/\\]*$/, 'functions.json');
      ctx.report.warn(file.file, '$', `function ${name} is not in ${listing}: its policy is skipped`);
      continue;
    }
    if (fn === null) {
      // The function has a problem (reported there): check its policy without keeping it.
      const sink: TransformContext = { report: ctx.report, rows: new RowCollector(ctx.report) };
      functionPolicy(sink, { key: '', arn: '', name, account, region, roleArn: null }, file, false);
    } else functionPolicy(ctx, fn, file, true);
  }
}

/** `…/lambda/policies/pets-write.json` → `pets-write`. */
function functionNameOfPolicyFile(file: string): string {
  return (file.split(/[/\\]/).pop() ?? file).replace(/\.json$/i, '');
}

/** One list-functions entry; 'version' (warning) for a published version; undefined (nothing added) on a problem. */
function lambdaFunction(
  ctx: TransformContext,
  account: string,
  region: string,
  item: JsonReader,
): LambdaFunctionRow | 'version' | undefined {
  const before = ctx.report.problems.length;
  if (!item.expectObject()) return undefined;
  const name = item.str('FunctionName');
  const arnText = item.str('FunctionArn');
  const role = item.optStr('Role');
  const arn = arnText === undefined ? undefined : parseFunctionArn(arnText);
  if (arnText !== undefined && !arn) {
    item
      .at('FunctionArn')
      .problem(`expected a function ARN arn:aws:lambda:<region>:<account>:function:<name>, got ${JSON.stringify(arnText)}`);
  }
  if (arn && arn.qualifier !== null && arn.qualifier !== '$LATEST') {
    // list-functions --function-version ALL also lists published versions; the function itself is the unqualified entry.
    item
      .at('FunctionArn')
      .warn(`version ${arn.qualifier} of ${arn.name} (list-functions --function-version ALL): only the unqualified function is loaded`);
    return 'version';
  }
  if (arn && name !== undefined && arn.name !== name)
    item.at('FunctionName').problem(`expected ${JSON.stringify(arn.name)}, the name in FunctionArn, got ${JSON.stringify(name)}`);
  if (arn && (arn.account !== account || arn.region !== region)) {
    item
      .at('FunctionArn')
      .problem(
        `the function is in account ${arn.account}, region ${arn.region}, but the file is in the directory of account ${account}, region ${region}`,
      );
  }
  if (role !== null) {
    const r = parseArn(role);
    if (!r || r.service !== 'iam' || !/^role\/.+/.test(r.resource))
      item.at('Role').problem(`expected an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(role)}`);
  }
  if (name === undefined || !arn || ctx.report.problems.length > before) return undefined;
  const row: LambdaFunctionRow = { key: arn.unqualified, arn: arn.unqualified, name, account, region, roleArn: role };
  ctx.rows.add('functions', row, { file: item.file, path: item.path });
  return row;
}

/** get-policy output `{"Policy": "<JSON string>", "RevisionId": …}`: the function's resource policy and its link. */
function functionPolicy(ctx: TransformContext, fn: LambdaFunctionRow, file: JsonFile, checkResources: boolean): void {
  const root = new JsonReader(ctx.report, file.file, file.data);
  if (!root.expectObject()) return;
  const policy = root.at('Policy');
  if (typeof policy.value !== 'string' && !policy.isObject()) {
    root.str('Policy');
    return;
  }
  const decoded = decodeDocument(policy.value);
  if (!decoded.ok) {
    ctx.report.problem(file.file, policy.path + decoded.problem.path.slice(1), decoded.problem.message);
    return;
  }
  const document = new JsonReader(ctx.report, file.file, decoded.document, policy.path);
  const before = ctx.report.problems.length;
  if (checkResources) checkStatementResources(document, fn);
  if (ctx.report.problems.length > before) return;
  const key = resourcePolicyKey(fn.key);
  if (!addPolicyDocument(ctx, document, { key, kind: 'resource', name: null, arn: null, account: fn.account, versionId: null })) return;
  ctx.rows.add('resourcePolicies', { from: fn.key, to: key, ownerLabel: 'LambdaFunction' }, { file: file.file, path: policy.path });
}

/** Every function ARN a statement's Resource names must be this function's (qualified or not): else the file is another function's policy. */
function checkStatementResources(document: JsonReader, fn: LambdaFunctionRow): void {
  for (const r of statementResources(document)) {
    if (typeof r.value !== 'string') continue;
    const arn = parseFunctionArn(r.value);
    if (arn && arn.unqualified !== fn.arn) r.problem(`names function ${arn.unqualified}, but this is the policy file of ${fn.arn}`);
  }
}
