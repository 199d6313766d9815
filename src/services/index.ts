import type { Graph } from '../db';
import { AnalysisService } from './analysis';
import { AccessIndexService } from './accessIndex';
export { countsByKind, type KindCounts } from './index/diffFromIndex';
import { BrowseService } from './browse';
import { DashboardService } from './dashboard';
import { HealthService } from './health';
import { ReviewService } from './review/reviewService';
import { SimulationService } from './simulation';
import { SnapshotService } from './snapshots';

export {
  AnalysisService,
  loadAnalysisSettings,
  type AnalysisEvent,
  type LoadedAnalysis,
  type QuestionOptions,
  type SnapshotOption,
  type WhoCanQuestionOptions,
} from './analysis';
/** The answer shapes the API and the CLI render (a contract: src/analysis/answer.ts). */
export type {
  AccessChange,
  AccessDiff,
  AccessDiffOptions,
  AccessKind,
  AccessDecision,
  AccessPath,
  BackendAccess,
  CallerReachAnswer,
  CallerType,
  CanAnswer,
  ConditionSummary,
  Finding,
  FindingKind,
  FindingsAnswer,
  FunctionReachAnswer,
  HopKind,
  InvocableAnswer,
  InvocableMethod,
  MethodInfo,
  PartialCoverage,
  PathHop,
  PrincipalAccess,
  RequestEvaluation,
  ReachableRolesAnswer,
  RolePathsAnswer,
  Severity,
  WhoCanAnswer,
} from '../analysis';
export {
  ACCESS_CHANGE_DESCRIPTIONS,
  ACCESS_DECISION_DESCRIPTIONS,
  ACCESS_KIND_DESCRIPTIONS,
  ACCESS_KINDS,
  CALLER_TYPE_DESCRIPTIONS,
  FINDING_KIND_DESCRIPTIONS,
  FINDING_KINDS,
  HOP_KIND_DESCRIPTIONS,
  SEVERITY_DESCRIPTIONS,
  atLeastAsSevere,
} from '../analysis';
export { prepareIndexPaths } from './index/whoCanFromIndex';
export { HealthService, type HealthReport, type Readiness } from './health';
export {
  SnapshotService,
  formatIssue,
  IngestInputError,
  MAX_ISSUES_SHOWN,
  type IngestEvent,
  type IngestResult,
  type SnapshotInfo,
} from './snapshots';
export { BrowseService, BrowseSession } from './browse';
export type * from './browse/records';
export { RequestScope, type RequestScopeOptions } from './requestScope';
export { checkPageRequest, type Page, type PageItem, type PageRequest } from './paging';
export type { SnapshotEntry, SnapshotRef, SnapshotState } from './snapshotCatalog';
export { SimulationService } from './simulation';
export { DashboardService, type AccessSummary, type AccessSummaryRow, type AccessSummaryTotals } from './dashboard';

/** Every service the API and the CLI use, built once per process by the entry point. */
export interface Services {
  health: HealthService;
  snapshots: SnapshotService;
  analysis: AnalysisService;
  /** Browsing the graph: principals, APIs, methods (per-request sessions with DataLoaders). */
  browse: BrowseService;
  /** The policy engine on policies given inline (`simulate`). */
  simulation: SimulationService;
  /** Whole-snapshot figures for dashboards (`accessSummary`). */
  dashboard: DashboardService;
  /** Questions answered from the stored access index. */
  accessIndex: AccessIndexService;
  /** Access reviews of a rules file run on this process's database (the GraphQL `review` query). */
  review: ReviewService;
}

export function createServices(graph: Graph, options: { migrationsDir: string; keepSnapshots: number }): Services {
  const analysis = new AnalysisService(graph);
  const accessIndex = new AccessIndexService(graph);
  const dashboard = new DashboardService(analysis, graph);
  return {
    health: new HealthService(graph, options.migrationsDir),
    // A deleted snapshot is forgotten by the analysis too (it caches snapshots in memory).
    snapshots: new SnapshotService(graph, {
      ...options,
      onDeleted: (snapshot) => {
        analysis.forget(snapshot);
        accessIndex.forget(snapshot);
        dashboard.forget(snapshot);
      },
    }),
    analysis,
    browse: new BrowseService(graph),
    simulation: new SimulationService(),
    dashboard,
    accessIndex,
    review: new ReviewService(graph, analysis),
  };
}
export {
  AccessIndexService,
  INDEX_QUERIES,
  computeAccessIndex,
  hasCompleteIndex,
  readAccessSummaryFromIndex,
  rebuildAccessIndex,
  storeAccessIndex,
  type AccessSummaryRow as IndexAccessSummaryRow,
  noIndexMessage,
  type RankedPrincipal,
  type IndexBuildResult,
} from './accessIndex';
export { indexStatuses, STALE_SECONDS as INDEX_BUILD_STALE_SECONDS, type IndexBuildHolder, type IndexStatus } from './index/indexBuild';
