/**
 * Decision levels: an access decision as a number, so that decisions can be
 * compared and combined. A path is as good as its weakest step (`weakest`,
 * the minimum along the path) and a caller as good as its best path
 * (`strongest`, the maximum over paths). The one map between the answer's
 * decisions and their levels, both ways, is here.
 */
import type { AccessDecision } from './answer';
import { mayBeAllowed, type Decision } from './decide';

/** The levels by name, weakest first. */
export const Level = {
  /** No access (or only with `--include-denied`). */
  DENIED: 0,
  /** Access that depends on request context not given, or on a policy whose document is unknown. */
  CONDITIONAL: 1,
  /** A method template of which only some requests are allowed. */
  PARTIAL: 2,
  /** Access whatever the request context. */
  ALLOWED: 3,
} as const;

export type Level = (typeof Level)[keyof typeof Level];

/** The level of a role assumption: an assumption is allowed or conditional, never partial. */
export type AssumeLevel = typeof Level.CONDITIONAL | typeof Level.ALLOWED;

const LEVEL_OF_DECISION: Readonly<Record<AccessDecision, Level>> = {
  denied: Level.DENIED,
  conditional: Level.CONDITIONAL,
  partial: Level.PARTIAL,
  allowed: Level.ALLOWED,
};

const DECISION_OF_LEVEL: Readonly<Record<Level, AccessDecision>> = {
  [Level.DENIED]: 'denied',
  [Level.CONDITIONAL]: 'conditional',
  [Level.PARTIAL]: 'partial',
  [Level.ALLOWED]: 'allowed',
};

/** The level of an answer's decision. */
export function levelOfDecision(decision: AccessDecision): Level {
  return LEVEL_OF_DECISION[decision];
}

/** The answer's decision for a level. */
export function decisionOfLevel(level: Level): AccessDecision {
  return DECISION_OF_LEVEL[level];
}

/** The engine's decision as a level: allowed, conditional when it may be allowed, denied otherwise. */
export function levelOf(decision: Decision): Level {
  if (decision.decision === 'allowed') return Level.ALLOWED;
  return mayBeAllowed(decision) ? Level.CONDITIONAL : Level.DENIED;
}

/** The level of an assumption decided by the engine, or stored with its decision: allowed or conditional. */
export function assumeLevelOf(decision: string): AssumeLevel {
  return decision === 'allowed' ? Level.ALLOWED : Level.CONDITIONAL;
}

/** The weaker of two levels: how good a path is through both steps. */
export function weakest(a: Level, b: Level): Level {
  return a < b ? a : b;
}

/** The stronger of two levels: how good a caller is with either path. */
export function strongest(a: Level, b: Level): Level {
  return a > b ? a : b;
}

/** Does the level give some access (conditional or better)? */
export function mayAccess(level: Level): boolean {
  return level > Level.DENIED;
}
