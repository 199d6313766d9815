export { LocalAccessSource, type AnalysisQuestions } from './localSource';
export { accountOf, outsideReason, plural, runReview, type ReviewOptions, type ReviewReport, type RuleResult, type Violation, type ViolatingAccess } from './review';
export {
  COUNTED_DECISIONS,
  DEFAULT_MANAGE_ACTIONS,
  SEVERITIES,
  describeExpectation,
  describeMatcher,
  describeSelection,
  loadRules,
  parseRules,
  rulesSchema,
  rulesSchemaPath,
  type CountedDecision,
  type Expectation,
  type PrincipalMatcher,
  type Rule,
  type RuleSet,
  type RuleSeverity,
  type Selection,
} from './rules';
export { canonicalApi, methodLabel, methodTemplateArn, type AccessSource, type AccountInventory, type InventoryApi, type InventoryMethod } from './source';
export { runDiff, widens, type DiffOptions, type DiffReport, type LabelledChange } from './diff';
export { resourceLabel } from './labels';
export { inferAction, principalPaths, type PrincipalPaths } from './paths';
