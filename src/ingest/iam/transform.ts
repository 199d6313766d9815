/**
 * IAM: `aws iam get-account-authorization-details` output (one file, or the
 * same output in pages) → user, group, role and policy rows and their links.
 * Pure: parsed JSON in, rows and report entries out (see docs/generator.md
 * for the layout and seed/README.md for the input quirks handled here).
 *
 * Usage, once per snapshot:
 *
 *     const iam = createIamTransform(ctx);
 *     for (const { account, pages } of accountsWithIamFiles) iam.addAccount(account, pages);
 *     iam.finish();
 *
 * `finish` runs after every account because an AWS managed policy is listed
 * in an account's `Policies` only where it is attached: a policy that account
 * A uses only as a permissions boundary may be listed by account B. Only when
 * no account listed a referenced managed policy does `finish` add a `missing`
 * placeholder for it (what it allows is unknown, never "everything") and warn
 * at every place that refers to it.
 *
 * All or nothing per entity: a user, group, role or managed policy with any
 * problem (a missing field, an ARN of another account, an invalid document
 * deep inside an inline policy…) adds no row at all; every problem names the
 * file and the JSON path.
 *
 * Account rows are not emitted here: `iamAccountRow` gives the row for an
 * account that has IAM files, for the caller to merge with what the
 * organization transform knows.
 */
import { parseArn } from '../../policy';
import type { AccountRow } from '../../model';
import { addMissingPolicy } from '../policyRows';
import type { JsonFile, TransformContext } from '../transformContext';
import { AccountTransform } from './accountTransform';
import type { ManagedPolicyLedger, PolicyReference } from './policyReferences';

export interface IamTransform {
  /**
   * Transforms all pages of one account (`<account>/iam/authorization-details*.json`,
   * in any order). The same entity in two pages becomes one row. Throws when
   * called twice for one account or after `finish`.
   */
  addAccount(account: string, pages: readonly JsonFile[]): void;
  /**
   * Call once, after the last account: adds a `missing` placeholder policy for
   * every managed policy referenced (attached or used as a permissions
   * boundary) that no account listed in `Policies`, with a warning per referrer.
   */
  finish(): void;
}

/** A snapshot's IAM transform; its state (groups per account, policy references) lives in the returned object. */
export function createIamTransform(ctx: TransformContext): IamTransform {
  return new IamSnapshotTransform(ctx);
}

/** Convenience: every account of a snapshot at once, then `finish`. */
export function transformIam(ctx: TransformContext, accounts: readonly { account: string; pages: readonly JsonFile[] }[]): void {
  const iam = createIamTransform(ctx);
  for (const { account, pages } of accounts) iam.addAccount(account, pages);
  iam.finish();
}

/** The account row for an account whose IAM output is in the snapshot (organization facts unknown here). */
export function iamAccountRow(account: string): AccountRow {
  return { key: account, id: account, name: null, ingested: true, inOrganization: false, organizationId: null, isManagement: false };
}

const ACCOUNT_ID = /^\d{12}$/;

class IamSnapshotTransform implements IamTransform, ManagedPolicyLedger {
  private readonly accounts = new Set<string>();
  /** Managed policy ARNs that some account listed in Policies and that were added. */
  private readonly listed = new Set<string>();
  /** Managed policy ARNs listed in Policies but rejected for problems (already reported). */
  private readonly rejected = new Set<string>();
  /** Every reference to a managed policy, by policy ARN, in input order. */
  private readonly references = new Map<string, PolicyReference[]>();
  private finished = false;

  constructor(private readonly ctx: TransformContext) {}

  addAccount(account: string, pages: readonly JsonFile[]): void {
    if (this.finished) throw new Error('IamTransform.addAccount after finish()');
    if (this.accounts.has(account)) throw new Error(`IamTransform.addAccount: account ${account} added twice`);
    this.accounts.add(account);
    if (pages.length === 0) return;
    if (!ACCOUNT_ID.test(account)) {
      for (const page of pages)
        this.ctx.report.problem(page.file, '$', `the account directory ${JSON.stringify(account)} is not a 12-digit account id`);
      return;
    }
    new AccountTransform(this.ctx, account, pages, this).run();
  }

  finish(): void {
    if (this.finished) throw new Error('IamTransform.finish called twice');
    this.finished = true;
    for (const [arn, refs] of this.references) {
      if (this.listed.has(arn) || this.rejected.has(arn)) continue;
      const first = refs[0];
      if (!first) continue;
      const parsed = parseArn(arn);
      const account = parsed && parsed.account !== 'aws' ? parsed.account : null;
      addMissingPolicy(
        this.ctx,
        { file: first.file, path: first.path },
        { key: arn, kind: 'managed', name: arn.slice(arn.lastIndexOf('/') + 1), arn, account },
      );
      for (const ref of refs) this.ctx.report.warn(ref.file, ref.path, missingMessage(ref));
    }
  }

  policyListed(arn: string): void {
    this.listed.add(arn);
  }

  policyRejected(arn: string): void {
    this.rejected.add(arn);
  }

  referenced(references: readonly PolicyReference[]): void {
    for (const ref of references) {
      const list = this.references.get(ref.policyArn);
      if (list) list.push(ref);
      else this.references.set(ref.policyArn, [ref]);
    }
  }
}

function missingMessage(ref: PolicyReference): string {
  const owner = `${ref.ownerKind} ${ref.ownerName}`;
  const use = ref.relation === 'boundary' ? `used as the permissions boundary of ${owner}` : `attached to ${owner}`;
  const affected = ref.ownerKind === 'group' ? `members of group ${ref.ownerName}` : ref.ownerName;
  return `${ref.policyArn} is ${use} but is not in Policies: what it allows is unknown; answers for ${affected} will be marked uncertain`;
}
