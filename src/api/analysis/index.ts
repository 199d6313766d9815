import { AccessDiffResolver } from './accessDiff.resolver';
import { PathHopResolver, PrincipalAccessResolver } from './answer.resolver';
import { CanResolver, LayerVoteResolver } from './can.resolver';
import { FindingsResolver } from './findings.resolver';
import {
  FunctionReachAnswerResolver,
  FunctionReachResolver,
  FunctionRouteResolver,
  FunctionsReachableAnswerResolver,
} from './functionReach.resolver';
import { InvocableMethodsAnswerResolver, InvocableMethodsResolver } from './invocable.resolver';
import { RolePathsAnswerResolver, RolesResolver } from './roles.resolver';
import { WhoCanAnswerResolver, WhoCanResolver } from './whoCan.resolver';

/**
 * The access-analysis questions over GraphQL, one file set per question
 * (`<question>.type.ts`, `.input.ts`, `.resolver.ts`): whoCan (who can,
 * who can invoke), can, invocable (invocable methods), roles (role paths,
 * reachable roles), functionReach (functions reachable by a caller, who can
 * reach a function), findings and accessDiff. What several answers share is
 * in answer.type.ts and answer.resolver.ts, the arguments they share in
 * question.input.ts, and the snapshot a question reads in question.ts.
 */

/** The questions' resolvers: each is built with the analysis service. */
export const ANALYSIS_QUESTION_RESOLVERS = [
  WhoCanResolver,
  CanResolver,
  InvocableMethodsResolver,
  RolesResolver,
  FunctionReachResolver,
  FindingsResolver,
  AccessDiffResolver,
] as const;

/** The resolvers of the answers' fields (no services needed). */
export const ANALYSIS_FIELD_RESOLVERS = [
  WhoCanAnswerResolver,
  FunctionRouteResolver,
  FunctionReachAnswerResolver,
  InvocableMethodsAnswerResolver,
  FunctionsReachableAnswerResolver,
  PrincipalAccessResolver,
  RolePathsAnswerResolver,
  PathHopResolver,
  LayerVoteResolver,
] as const;

export const ANALYSIS_RESOLVERS = [...ANALYSIS_QUESTION_RESOLVERS, ...ANALYSIS_FIELD_RESOLVERS] as const;

export { ANALYSIS_COSTS } from './question';
