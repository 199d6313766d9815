import type { AccessDiffOptions, FindingKind } from '../../analysis';
import type { AnalysisService, QuestionOptions } from '../analysis';
import { canonicalApi, type AccessSource, type AccountInventory, type InventoryApi } from './source';

/** What LocalAccessSource asks of the AnalysisService. */
export type AnalysisQuestions = Pick<AnalysisService, 'analysis' | 'whoCan' | 'can' | 'findings' | 'accessDiff'>;

/** Answers from the local database: the AnalysisService of this process. */
export class LocalAccessSource implements AccessSource {
  readonly origin = 'local database';

  constructor(private readonly service: AnalysisQuestions) {}

  async resolveSnapshot(snapshot?: string): Promise<string> {
    return (await this.service.analysis(snapshot !== undefined ? { snapshot } : {})).snapshot;
  }

  async apis(snapshot: string): Promise<InventoryApi[]> {
    const { analysis } = await this.service.analysis({ snapshot });
    return [...analysis.model.apis.values()]
      .map((api) =>
        canonicalApi({
          id: api.row.id,
          name: api.row.name,
          kind: api.row.kind === 'HTTP' ? ('HTTP' as const) : ('REST' as const),
          account: api.row.account,
          region: api.row.region,
          executeApiArn: api.row.executeApiArn,
          managementArn: `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`,
          stages: api.stages.map((s) => s.name),
          methods: api.methods.map((m) => ({ verb: m.verb, path: m.path, authorizationType: m.authorizationType })),
        }),
      )
      .sort((a, b) => a.executeApiArn.localeCompare(b.executeApiArn));
  }

  async roles(snapshot: string): Promise<string[]> {
    const { analysis } = await this.service.analysis({ snapshot });
    return analysis.model.roles.map((r) => r.arn).sort();
  }

  async accounts(snapshot: string): Promise<AccountInventory> {
    const { analysis } = await this.service.analysis({ snapshot });
    const model = analysis.model;
    const accounts = [...model.accounts.values()].map((a) => ({
      id: a.id,
      name: a.name,
      ingested: a.ingested,
      inOrganization: a.inOrganization,
    }));
    return {
      hasOrganization: model.hasOrganization,
      organizationId: [...model.accounts.values()].find((a) => a.inOrganization)?.organizationId ?? null,
      accounts: accounts.sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  async groupsOf(principal: string, snapshot: string): Promise<string[]> {
    const { analysis } = await this.service.analysis({ snapshot });
    const entry = analysis.model.principals.get(principal);
    return entry?.kind === 'user' ? [...entry.groups].sort() : [];
  }

  whoCan(action: string, resource: string, options: QuestionOptions & { snapshot: string }) {
    return this.service.whoCan(action, resource, options);
  }

  can(principal: string, action: string, resource: string, options: QuestionOptions & { snapshot: string }) {
    return this.service.can(principal, action, resource, options);
  }

  findings(options: { snapshot: string; kinds?: readonly FindingKind[] }) {
    return this.service.findings(options);
  }

  accessDiff(snapshots: { from?: string | undefined; to?: string | undefined }, options: AccessDiffOptions) {
    return this.service.accessDiff(snapshots, options);
  }
}
