import type { ConditionBlock } from './conditions/evaluate';
import type { ActionElement } from './match/action';
import type { PrincipalElement } from './match/principal';
import type { ResourceElement } from './match/resource';
import type { Effect, PolicySource, PolicyVersion, StatementRef } from './types';

/**
 * A policy parsed and validated once, with every matcher compiled (regular
 * expressions built once, lookups in sets). Compiled policies are frozen and
 * can be shared freely between evaluations.
 */
export interface CompiledPolicy {
  readonly source: PolicySource;
  /** The `Version` element; `undefined` when absent (variables are then literal text). */
  readonly version: PolicyVersion | undefined;
  /** The `Id` element, when present. */
  readonly policyId: string | undefined;
  readonly statements: readonly CompiledStatement[];
  /** The decoded document as written. */
  readonly document: Readonly<Record<string, unknown>>;
  /**
   * Set (to `true`) only on a policy whose document is not known, made by
   * `unknownPolicy`: a policy that is attached (a permissions boundary, a
   * managed policy, an SCP…) but whose content the caller does not have. It
   * has no statements; evaluation treats what it allows and what it denies as
   * unknown (atoms of kind `unknownPolicy`), never as "everything" or
   * "nothing". Absent on every parsed policy.
   */
  readonly unknown?: true;
  /** Why the document is not known (e.g. `not in the snapshot`), for explanations. */
  readonly unknownReason?: string;
}

export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly effect: Effect;
  readonly action: ActionElement;
  /** `undefined` when the statement has neither Resource nor NotResource (it then covers every resource). */
  readonly resource: ResourceElement | undefined;
  /** `undefined` when the statement has neither Principal nor NotPrincipal. */
  readonly principal: PrincipalElement | undefined;
  readonly condition: ConditionBlock | undefined;
  /** The statement as written. */
  readonly raw: Readonly<Record<string, unknown>>;
}
