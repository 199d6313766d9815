/**
 * What the IAM transform of one account tells the snapshot's: the managed
 * policies it listed or rejected, and every place that refers to one (a
 * managed policy may be listed by another account, so only the snapshot's
 * transform can tell a missing one, at the end).
 */

export type EntityKind = 'user' | 'group' | 'role';

export interface PolicyReference {
  policyArn: string;
  ownerKind: EntityKind;
  ownerName: string;
  relation: 'attachment' | 'boundary';
  file: string;
  path: string;
}

export interface ManagedPolicyLedger {
  /** A managed policy some account listed in Policies, and that was added. */
  policyListed(arn: string): void;
  /** A managed policy listed in Policies but rejected for problems (already reported). */
  policyRejected(arn: string): void;
  /** References to managed policies (attachments, boundaries), in input order. */
  referenced(references: readonly PolicyReference[]): void;
}
