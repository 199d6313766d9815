/**
 * `whocan generate`: deterministic synthetic organizations in the same directory
 * layout and AWS CLI shapes as a real snapshot (see docs/generator.md).
 * Same preset + seed → byte-identical output. Files are written account by
 * account, so memory stays bounded by the plan plus one account's documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  httpApiItem,
  httpApisOfRegion,
  httpStagesJson,
  integrationsJson,
  resourcesJson,
  restApiItem,
  restApisOfRegion,
  restStagesJson,
  routesJson,
} from './apigateway';
import { buildIam, type IamCounts } from './iam';
import { vpcEndpointsJson } from './ec2';
import { functionItem, functionPolicy } from './lambda';
import { organizationJson } from './organization';
import { makePlan } from './plan';
import { PRESETS, type PresetName } from './presets';
import { Rng } from './prng';
import { OutputWriter } from './writer';

export { PRESETS, PRESET_NAMES, isPresetName, type PresetName } from './presets';

export interface GenerateOptions {
  preset: PresetName;
  seed: number;
  out: string;
  /** Progress lines (to stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface GeneratedCounts extends IamCounts {
  accounts: number;
  organizationalUnits: number;
  partnerAccounts: number;
  serviceControlPolicies: number;
  resourceControlPolicies: number;
  restApis: number;
  restApisWithPolicy: number;
  privateApis: number;
  resources: number;
  methods: number;
  restStages: number;
  httpApis: number;
  routes: number;
  httpStages: number;
  httpIntegrations: number;
  functions: number;
  functionPolicies: number;
  executeApiEndpoints: number;
  endpointPolicies: number;
  roleChains: number;
  longestRoleChain: number;
  files: number;
  bytes: number;
}

export interface GeneratedManifest {
  generator: string;
  formatVersion: number;
  preset: PresetName;
  seed: number;
  organizationId: string;
  managementAccountId: string;
  accounts: { id: string; name: string; kind: string; regions: string[] }[];
  partnerAccounts: string[];
  counts: GeneratedCounts;
}

export function generate(options: GenerateOptions): GeneratedManifest {
  const preset = PRESETS[options.preset];
  const progress = options.progress ?? (() => undefined);
  const plan = makePlan(preset, options.seed);
  const writer = new OutputWriter(options.out);
  const root = new Rng(`whocan-generate/${preset.name}/${options.seed}`);
  const c: GeneratedCounts = {
    accounts: plan.accounts.length,
    organizationalUnits: plan.ous.length,
    partnerAccounts: plan.partners.length,
    serviceControlPolicies: 0,
    resourceControlPolicies: 0,
    users: 0,
    groups: 0,
    roles: 0,
    customerManagedPolicies: 0,
    awsManagedPolicies: 0,
    policyVersions: 0,
    inlinePolicies: 0,
    permissionBoundaries: 0,
    missingBoundaryPolicies: 0,
    urlEncodedDocuments: 0,
    iamPages: 0,
    restApis: 0,
    restApisWithPolicy: 0,
    privateApis: 0,
    resources: 0,
    methods: 0,
    restStages: 0,
    httpApis: 0,
    routes: 0,
    httpStages: 0,
    httpIntegrations: 0,
    functions: 0,
    functionPolicies: 0,
    executeApiEndpoints: 0,
    endpointPolicies: 0,
    roleChains: plan.chains,
    longestRoleChain: plan.longestChain,
    files: 0,
    bytes: 0,
  };

  const org = organizationJson(plan);
  for (const p of org.Policies as { Type: string }[]) {
    if (p.Type === 'SERVICE_CONTROL_POLICY') c.serviceControlPolicies++;
    else c.resourceControlPolicies++;
  }
  writer.writeJson('organization.json', org);

  for (const account of plan.accounts) {
    const rng = root.fork(`account/${account.index}`);
    const before = writer.bytes;
    const { pages, counts } = buildIam(plan, account, rng.fork('iam'));
    for (const key of Object.keys(counts) as (keyof IamCounts)[]) c[key] += counts[key];
    if (pages.length === 1) writer.writeJson(`${account.id}/iam/authorization-details.json`, pages[0]);
    else pages.forEach((page, i) => writer.writeJson(`${account.id}/iam/authorization-details-${i + 1}.json`, page));

    const regions = [
      ...new Set([...account.restApis, ...account.httpApis].map((a) => a.region).concat(account.functions.map((f) => f.region))),
    ].sort();
    const apiRng = rng.fork('apis');
    for (const region of regions) {
      const base = `${account.id}/${region}`;
      const rest = restApisOfRegion(account, region);
      if (rest.length > 0) {
        writer.writeJson(`${base}/apigateway/rest-apis.json`, { items: rest.map((api) => restApiItem(plan, api, apiRng)) });
        for (const api of rest) {
          writer.writeJson(`${base}/apigateway/${api.id}/resources.json`, resourcesJson(api, apiRng));
          writer.writeJson(`${base}/apigateway/${api.id}/stages.json`, restStagesJson(api, apiRng));
          c.restApis++;
          if (api.hasPolicy) c.restApisWithPolicy++;
          if (api.endpoint === 'PRIVATE') c.privateApis++;
          c.resources += api.resources.length;
          c.methods += api.methods.length;
          c.restStages += api.stages.length;
        }
      }
      const endpoints = vpcEndpointsJson(plan, account, region, rest, rng.fork(`ec2/${region}`));
      if (endpoints) {
        writer.writeJson(`${base}/ec2/vpc-endpoints.json`, endpoints.json);
        c.executeApiEndpoints += endpoints.executeApi;
        c.endpointPolicies += endpoints.policies;
      }
      const http = httpApisOfRegion(account, region);
      if (http.length > 0) {
        writer.writeJson(`${base}/apigatewayv2/apis.json`, { Items: http.map((api) => httpApiItem(api, apiRng)) });
        for (const api of http) {
          writer.writeJson(`${base}/apigatewayv2/${api.id}/routes.json`, routesJson(api));
          writer.writeJson(`${base}/apigatewayv2/${api.id}/stages.json`, httpStagesJson(api, apiRng));
          writer.writeJson(`${base}/apigatewayv2/${api.id}/integrations.json`, integrationsJson(api));
          c.httpApis++;
          c.routes += api.routes.length;
          c.httpStages += api.stages.length;
          c.httpIntegrations += api.integrations.length;
        }
      }
      const fns = account.functions.filter((f) => f.region === region);
      if (fns.length > 0) {
        writer.writeJson(`${base}/lambda/functions.json`, { Functions: fns.map((f) => functionItem(f, apiRng)) });
        for (const fn of fns) {
          c.functions++;
          const policy = functionPolicy(plan, fn, apiRng);
          if (policy) {
            writer.writeJson(`${base}/lambda/policies/${fn.name}.json`, policy);
            c.functionPolicies++;
          }
        }
      }
    }
    progress(
      `account ${account.index + 1}/${plan.accounts.length} ${account.id} (${account.kind}): ${counts.users} users, ${counts.groups} groups, ` +
        `${counts.roles} roles, ${counts.customerManagedPolicies} policies, ${account.restApis.length} REST APIs, ${account.httpApis.length} HTTP APIs, ` +
        `${account.functions.length} functions, ${((writer.bytes - before) / 1048576).toFixed(1)} MiB`,
    );
  }

  c.files = writer.files + 1;
  const manifest: GeneratedManifest = {
    generator: 'whocan generate',
    formatVersion: 1,
    preset: preset.name,
    seed: options.seed,
    organizationId: plan.orgId,
    managementAccountId: plan.managementAccountId,
    accounts: plan.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      kind: a.kind,
      regions: [...new Set([...a.restApis, ...a.httpApis].map((x) => x.region).concat(a.functions.map((f) => f.region)))].sort(),
    })),
    partnerAccounts: plan.partners,
    counts: c,
  };
  c.bytes = writer.bytes;
  writer.writeJson('generated.json', manifest);
  progress(`wrote ${c.files} files, ${(writer.bytes / 1048576).toFixed(1)} MiB to ${path.resolve(options.out)}`);
  return manifest;
}

/** Removes a previous generator output (a directory holding generated.json) before --force regenerates into it. */
export function clearPreviousOutput(dir: string): boolean {
  if (!fs.existsSync(path.join(dir, 'generated.json'))) return false;
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  return true;
}
