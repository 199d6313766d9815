/**
 * Managed policies of an account's `Policies` list: the version in force,
 * and the check every reference to a managed policy ARN passes.
 */
import { accountOfArn, parseArn } from '../../policy';
import { addPolicyDocument } from '../policyRows';
import { describe, JsonReader } from '../reader';
import type { TransformContext } from '../transformContext';
import type { ManagedPolicyLedger } from './policyReferences';
import { allOrNothing } from './staging';

/** A managed policy ARN must be AWS managed or this account's (IAM cannot attach another account's policy). */
export function checkPolicyArn(arnEntry: JsonReader, arn: string, account: string): boolean {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/') || parsed.resource.length <= 'policy/'.length) {
    arnEntry.problem(
      `expected a managed policy ARN (arn:aws:iam::aws:policy/… or arn:aws:iam::${account}:policy/…), got ${JSON.stringify(arn)}`,
    );
    return false;
  }
  if (parsed.account !== 'aws' && parsed.account !== account) {
    arnEntry.problem(
      `${arn} belongs to account ${parsed.account || '(none)'}: an entity of account ${account} can only use AWS managed policies or its own account's`,
    );
    return false;
  }
  return true;
}

/** One Policies entry: only the default version is in force; the others are ignored. */
export function transformManagedPolicy(ctx: TransformContext, account: string, reader: JsonReader, ledger: ManagedPolicyLedger): void {
  const arnValue = reader.isObject() ? (reader.value as Record<string, unknown>)['Arn'] : undefined;
  const result = allOrNothing(ctx, (staging) => {
    const entry = new JsonReader(staging.report, reader.file, reader.value, reader.path);
    if (!entry.expectObject()) return undefined;
    const name = entry.str('PolicyName');
    const arn = entry.str('Arn');
    const path = entry.str('Path');
    entry.optStr('PolicyId');
    const defaultVersionId = entry.str('DefaultVersionId');
    const versions = entry.list('PolicyVersionList');
    if (arn !== undefined) checkPolicyArn(entry.at('Arn'), arn, account);
    if (arn !== undefined && name !== undefined && path !== undefined) {
      const resource = parseArn(arn)?.resource;
      if (resource !== undefined && resource !== `policy${path}${name}`)
        entry.at('Arn').problem(`${arn} does not match the policy's Path and PolicyName: expected the resource part policy${path}${name}`);
    }
    const defaults: { reader: JsonReader; versionId: string | undefined }[] = [];
    for (const version of versions) {
      if (!version.expectObject()) continue;
      const versionId = version.str('VersionId');
      const isDefault = version.at('IsDefaultVersion');
      if (typeof isDefault.value !== 'boolean')
        isDefault.problem(
          isDefault.value === undefined ? 'required field is missing' : `expected true or false, got ${describe(isDefault.value)}`,
        );
      else if (isDefault.value) defaults.push({ reader: version, versionId });
    }
    const [inForce, ...extra] = defaults;
    if (!inForce && Array.isArray(entry.at('PolicyVersionList').value))
      entry.at('PolicyVersionList').problem('no version has IsDefaultVersion: true, so the document in force is unknown');
    for (const extraDefault of extra)
      extraDefault.reader.at('IsDefaultVersion').problem(`a second default version (the first is ${inForce?.versionId ?? 'unnamed'})`);
    const versionId = inForce?.versionId;
    if (inForce && defaultVersionId !== undefined && versionId !== undefined && versionId !== defaultVersionId) {
      inForce.reader.at('VersionId').problem(`this version is marked IsDefaultVersion, but DefaultVersionId is ${defaultVersionId}`);
    }
    if (staging.report.problems.length > 0 || !inForce || arn === undefined || versionId === undefined) return undefined;
    const document = inForce.reader.at('Document');
    if (document.value === undefined || document.value === null) {
      document.problem('required field is missing');
      return undefined;
    }
    const owner = accountOfArn(arn) === 'aws' ? null : account;
    return addPolicyDocument(staging, document, { key: arn, kind: 'managed', name: name ?? null, arn, account: owner, versionId })
      ? arn
      : undefined;
  });
  if (result.ok && result.value !== undefined) ledger.policyListed(result.value);
  else if (typeof arnValue === 'string') ledger.policyRejected(arnValue);
}
