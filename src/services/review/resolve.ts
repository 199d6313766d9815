import { globMatches, hasGlob } from './glob';
import type { Rule, Selection } from './rules';
import { methodLabel, methodTemplateArn, type InventoryApi } from './source';

/**
 * A rule's selection resolved against one snapshot: the questions to ask
 * ("who can ACTION on RESOURCE"), each with a short label for reports. A
 * selection that names nothing in the snapshot is the rule writer's mistake,
 * reported with what the snapshot has instead.
 */
export interface Question {
  action: string;
  resource: string;
  /** `petstore-api/prod GET /pets/{id}`, `apigateway:DELETE petstore-api`, `assume role/platform-admin`. */
  label: string;
  /** Methods of the inventory: their authorization type (NONE, AWS_IAM, …). */
  authorizationType?: string;
}

export interface SnapshotInventory {
  apis: InventoryApi[];
  roles: string[];
}

export class SelectionError extends Error {}

export function resolveSelection(select: Selection, inventory: SnapshotInventory): Question[] {
  switch (select.kind) {
    case 'invoke':
      return 'arns' in select ? invokeByArn(select.arns, inventory.apis) : invokeByApi(select, inventory.apis);
    case 'manage':
      return manage(select, inventory.apis);
    case 'assume':
      return assume(select.arns, inventory.roles);
  }
}

const apiLabel = (api: InventoryApi) => api.name ?? api.id;

function apisMatching(pattern: string, apis: InventoryApi[]): InventoryApi[] {
  const found = apis.filter((a) => globMatches(pattern, a.id) || (a.name !== null && globMatches(pattern, a.name)));
  if (found.length === 0) {
    throw new SelectionError(
      `no API has the id or name ${JSON.stringify(pattern)}; the snapshot's APIs: ${apis.map((a) => `${a.id} (${apiLabel(a)})`).join(', ') || 'none'}`,
    );
  }
  return found;
}

function invokeByApi(select: { api: string; stage?: string; methods?: string[] }, all: InventoryApi[]): Question[] {
  const apis = apisMatching(select.api, all);
  const out: Question[] = [];
  if (select.stage !== undefined && !apis.some((a) => a.stages.some((s) => globMatches(select.stage!, s)))) {
    throw new SelectionError(
      `no stage ${JSON.stringify(select.stage)} in ${apis.map(apiLabel).join(', ')}; stages: ${[...new Set(apis.flatMap((a) => a.stages))].join(', ') || 'none'}`,
    );
  }
  for (const pattern of select.methods ?? []) {
    if (!apis.some((a) => a.methods.some((m) => globMatches(pattern, methodLabel(m))))) {
      throw new SelectionError(
        `no method ${JSON.stringify(pattern)} in ${apis.map(apiLabel).join(', ')}; methods: ${[...new Set(apis.flatMap((a) => a.methods.map(methodLabel)))].join(', ') || 'none'}`,
      );
    }
  }
  for (const api of apis) {
    for (const stage of api.stages) {
      if (select.stage !== undefined && !globMatches(select.stage, stage)) continue;
      for (const method of api.methods) {
        if (select.methods && !select.methods.some((p) => globMatches(p, methodLabel(method)))) continue;
        out.push({
          action: 'execute-api:Invoke',
          resource: methodTemplateArn(api, stage, method),
          label: `${apiLabel(api)}/${stage} ${methodLabel(method)}`,
          authorizationType: method.authorizationType,
        });
      }
    }
  }
  if (out.length === 0) throw new SelectionError('the API, stage and methods given select no method on any stage');
  return out;
}

function invokeByArn(arns: string[], apis: InventoryApi[]): Question[] {
  const templates = apis.flatMap((api) =>
    api.stages.flatMap((stage) =>
      api.methods.map((m) => ({
        arn: methodTemplateArn(api, stage, m),
        label: `${apiLabel(api)}/${stage} ${methodLabel(m)}`,
        authorizationType: m.authorizationType,
      })),
    ),
  );
  const out: Question[] = [];
  for (const arn of arns) {
    if (hasGlob(arn)) {
      const found = templates.filter((t) => globMatches(arn, t.arn));
      if (found.length === 0)
        throw new SelectionError(
          `the pattern ${arn} matches no method of the snapshot (method ARNs look like ${templates[0]?.arn ?? 'arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH'})`,
        );
      out.push(
        ...found.map((t) => ({ action: 'execute-api:Invoke', resource: t.arn, label: t.label, authorizationType: t.authorizationType })),
      );
      continue;
    }
    const template = templates.find((t) => t.arn === arn);
    if (template) {
      out.push({ action: 'execute-api:Invoke', resource: arn, label: template.label, authorizationType: template.authorizationType });
      continue;
    }
    // A concrete request (…/prod/GET/pets/42): the analysis routes it to its method.
    const api = apis.find((a) => arn.startsWith(`${a.executeApiArn}/`));
    if (!api)
      throw new SelectionError(`${arn} names no API of the snapshot; its APIs: ${apis.map((a) => a.executeApiArn).join(', ') || 'none'}`);
    const [stage, verb, ...rest] = arn.slice(api.executeApiArn.length + 1).split('/');
    if (!api.stages.includes(stage ?? ''))
      throw new SelectionError(`${apiLabel(api)} has no stage ${JSON.stringify(stage ?? '')}; its stages: ${api.stages.join(', ')}`);
    out.push({ action: 'execute-api:Invoke', resource: arn, label: `${apiLabel(api)}/${stage} ${verb ?? ''} /${rest.join('/')}` });
  }
  return dedupe(out);
}

function manage(select: Extract<Selection, { kind: 'manage' }>, apis: InventoryApi[]): Question[] {
  const targets: { arn: string; label: string }[] = [];
  if ('api' in select) {
    for (const api of apisMatching(select.api, apis)) targets.push({ arn: api.managementArn, label: apiLabel(api) });
  } else {
    for (const arn of select.arns) {
      if (hasGlob(arn)) {
        const found = apis.filter((a) => globMatches(arn, a.managementArn));
        if (found.length === 0)
          throw new SelectionError(
            `the pattern ${arn} matches no API of the snapshot; its APIs: ${apis.map((a) => a.managementArn).join(', ') || 'none'} (to ask about one resource below an API, write its ARN without * or ?)`,
          );
        targets.push(...found.map((a) => ({ arn: a.managementArn, label: apiLabel(a) })));
        continue;
      }
      const api = apis.find((a) => arn === a.managementArn || arn.startsWith(`${a.managementArn}/`));
      const m = /::\/(restapis|apis)\/([^/]+)/.exec(arn);
      if (!api && m)
        throw new SelectionError(`no API ${m[2]} in the snapshot; its APIs: ${apis.map((a) => a.managementArn).join(', ') || 'none'}`);
      targets.push({
        arn,
        label: api ? `${apiLabel(api)}${arn.slice(api.managementArn.length)}` : arn.replace(/^arn:aws[a-z-]*:apigateway:[^:]*::/, ''),
      });
    }
  }
  const out: Question[] = [];
  for (const t of targets) for (const action of select.actions) out.push({ action, resource: t.arn, label: `${action} ${t.label}` });
  return dedupe(out);
}

function assume(arns: string[], roles: string[]): Question[] {
  const out: Question[] = [];
  for (const arn of arns) {
    const found = hasGlob(arn) ? roles.filter((r) => globMatches(arn, r)) : roles.filter((r) => r === arn);
    if (found.length === 0)
      throw new SelectionError(hasGlob(arn) ? `the pattern ${arn} matches no role of the snapshot` : `no role ${arn} in the snapshot`);
    out.push(
      ...found.map((r) => ({
        action: 'sts:AssumeRole',
        resource: r,
        label: `assume ${r.replace(/^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/, 'role/$2 @$1')}`,
      })),
    );
  }
  return dedupe(out);
}

function dedupe(questions: Question[]): Question[] {
  const seen = new Set<string>();
  return questions.filter((q) => {
    const key = `${q.action} ${q.resource}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The management ARNs of the APIs a no-escalation rule is about (null: every API). */
export function escalationScope(rule: Rule, apis: InventoryApi[]): Set<string> | null {
  const select = rule.select;
  if (!select || select.kind !== 'manage') return null;
  const questions = manage(select, apis);
  const out = new Set<string>();
  for (const q of questions) {
    const api = apis.find((a) => q.resource === a.managementArn || q.resource.startsWith(`${a.managementArn}/`));
    if (api) out.add(api.managementArn);
  }
  return out;
}
