import type { InventoryApi } from './source';

/**
 * A short name for a resource in reports: `petstore-api/prod GET /pets/{id}`
 * for a method, `petstore-api` (and what follows) for a management ARN,
 * `role/platform-admin @333344445555` for a role; anything else as given.
 */
export function resourceLabel(resource: string, apis: readonly InventoryApi[]): string {
  for (const api of apis) {
    const name = api.name ?? api.id;
    if (resource.startsWith(`${api.executeApiArn}/`)) {
      const [stage, verb, ...rest] = resource.slice(api.executeApiArn.length + 1).split('/');
      return verb === '$default' && rest.length === 0 ? `${name}/${stage} $default` : `${name}/${stage} ${verb ?? ''} /${rest.join('/')}`;
    }
    if (resource === api.managementArn || resource.startsWith(`${api.managementArn}/`))
      return `${name}${resource.slice(api.managementArn.length)}`;
  }
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(resource);
  if (role) return `role/${role[2]} @${role[1]}`;
  return resource;
}

/** A count and its noun in reports: `1 method`, `3 methods`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
