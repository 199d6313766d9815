export { IndexAccessSource } from './indexSource';
export { deadlineBound } from './deadlineSource';
export {
  DEFAULT_REVIEW_LIMITS,
  ReviewService,
  SERVER_ORIGIN,
  SERVER_REVIEW_MAX_PATHS,
  checkRulesSize,
  type ReviewLimits,
  type ServerReviewRequest,
} from './reviewService';
export { LocalAccessSource, type AnalysisQuestions } from './localSource';
export { reviewReportProblems, reviewReportSchema, reviewReportSchemaPath } from './reportSchema';
export { runReview, selectRules } from './review';
export {
  DEFAULT_MAX_ACCESS,
  DEFAULT_MAX_VIOLATIONS,
  type ReviewOptions,
  type ReviewReport,
  type RuleResult,
  type Violation,
  type ViolatingAccess,
} from './report';
export { outsideReason } from './principals';
export {
  COUNTED_DECISIONS,
  DEFAULT_MANAGE_ACTIONS,
  SEVERITIES,
  describeExpectation,
  describeMatcher,
  describeSelection,
  loadRules,
  parseRules,
  readRulesFile,
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
export {
  canonicalApi,
  methodLabel,
  methodTemplateArn,
  type AccessSource,
  type AccountInventory,
  type IndexedAnswers,
  type IndexedEntry,
  type IndexedMember,
  type IndexedTarget,
  type InventoryApi,
  type InventoryMethod,
  type StoredAssumption,
} from './source';
export { runDiff, widens, type DiffOptions, type DiffReport, type LabelledChange } from './diff';
export { plural, resourceLabel } from './labels';
export { inferAction, principalPaths, type PrincipalPaths } from './paths';
