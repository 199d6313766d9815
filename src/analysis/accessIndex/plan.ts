/** The plan of a build: every target the index covers in a stable order, and the job (the first target of its class, StatementCatalog) each one shares. */
import type { AccessModel, ApiEntry } from '../accessModel';
import { methodStageTarget, methodTemplateArn, resolveTarget } from '../targets';
import type { IndexPlan, TargetSpec } from './types';
import { INDEXED_MANAGEMENT_ACTIONS, INDEXED_METHOD_ACTIONS } from './types';
import { StatementCatalog } from './statementCatalog';

export function planAccessIndex(model: AccessModel): IndexPlan {
  const specs = indexTargets(model);
  const statements = new StatementCatalog(model);
  const jobOf = new Int32Array(specs.length);
  const jobs: number[] = [];
  const jobByClass = new Map<string, number>();
  specs.forEach((spec, i) => {
    if (isAssume(spec)) {
      jobOf[i] = -1;
      return;
    }
    const classKey = statements.classKey(spec.target());
    let job = classKey === undefined ? undefined : jobByClass.get(classKey);
    if (job === undefined) {
      job = jobs.length;
      jobs.push(i);
      if (classKey !== undefined) jobByClass.set(classKey, job);
    }
    jobOf[i] = job;
  });
  return { specs, catalog: statements, jobOf, jobs };
}

export function isAssume(spec: TargetSpec): boolean {
  return spec.kind === 'role' && spec.action === 'sts:AssumeRole';
}

function managementArn(api: ApiEntry): string {
  return `arn:aws:apigateway:${api.row.region}::/${api.row.kind === 'HTTP' ? 'apis' : 'restapis'}/${api.row.id}`;
}

const NO_API = {
  apiKey: null,
  apiId: null,
  apiName: null,
  apiType: null,
  endpointType: null,
  stage: null,
  methodKey: null,
  verb: null,
  path: null,
  authorizationType: null,
} as const;

/** Every target the index covers, in a stable order. */
export function indexTargets(model: AccessModel): TargetSpec[] {
  const specs: TargetSpec[] = [];
  const apis = [...model.apis.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1));
  for (const api of apis) {
    const apiFields = {
      apiKey: api.row.key,
      apiId: api.row.id,
      apiName: api.row.name,
      apiType: api.row.kind === 'HTTP' ? ('HTTP' as const) : ('REST' as const),
      endpointType: api.row.endpointType,
    };
    for (const stage of api.stages) {
      for (const method of api.methods) {
        for (const action of INDEXED_METHOD_ACTIONS) {
          specs.push({
            kind: 'method',
            action,
            target: () => methodStageTarget(model, action, api, stage, method),
            describe: (entries, set) => ({
              key: `${action} ${methodTemplateArn(api, stage, method)}`,
              action,
              resource: methodTemplateArn(api, stage, method),
              kind: 'method',
              account: api.row.account,
              ...apiFields,
              stage: stage.name,
              methodKey: method.key,
              verb: method.verb === '*' ? '$default' : method.verb,
              path: method.path,
              authorizationType: method.authorizationType,
              public:
                action === 'execute-api:Invoke' &&
                method.authorizationType === 'NONE' &&
                api.row.endpointType !== 'PRIVATE' &&
                entries.some((e) => e.arn === 'anonymous'),
              set,
            }),
          });
        }
      }
    }
    for (const action of INDEXED_MANAGEMENT_ACTIONS) {
      const resource = managementArn(api);
      specs.push({
        kind: 'api',
        action,
        target: () => resolveTarget(model, action, resource),
        describe: (_e, set) => ({
          key: `${action} ${resource}`,
          action,
          resource,
          kind: 'api',
          account: api.row.account,
          ...NO_API,
          ...apiFields,
          public: false,
          set,
        }),
      });
    }
  }
  const roleSpec = (action: string, arn: string, account: string): TargetSpec => ({
    kind: 'role',
    action,
    target: () => resolveTarget(model, action, arn),
    describe: (_e, set) => ({ key: `${action} ${arn}`, action, resource: arn, kind: 'role', account, ...NO_API, public: false, set }),
  });
  for (const role of [...model.roles].sort((a, b) => (a.arn < b.arn ? -1 : 1)))
    specs.push(roleSpec('sts:AssumeRole', role.arn, role.account));
  const integrationRoles = new Set<string>();
  for (const integration of model.integrationsByMethod.values())
    if (integration.roleArn && model.principals.get(integration.roleArn)?.kind === 'role') integrationRoles.add(integration.roleArn);
  for (const arn of [...integrationRoles].sort()) specs.push(roleSpec('iam:PassRole', arn, model.principals.get(arn)!.account));
  for (const fn of [...model.functions.values()].sort((a, b) => (a.row.key < b.row.key ? -1 : 1))) {
    const arn = fn.row.key;
    specs.push({
      kind: 'function',
      action: 'lambda:InvokeFunction',
      target: () => resolveTarget(model, 'lambda:InvokeFunction', arn),
      describe: (_e, set) => ({
        key: `lambda:InvokeFunction ${arn}`,
        action: 'lambda:InvokeFunction',
        resource: arn,
        kind: 'function',
        account: fn.row.account,
        ...NO_API,
        public: false,
        set,
      }),
    });
  }
  return specs;
}
