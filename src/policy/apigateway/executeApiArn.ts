import { parseArn } from '../match/arn';

/**
 * `execute-api` ARNs: `arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{VERB}/{path}`
 * where `{path}` is the concrete request path (`/pets/a1b2`, root `…/GET/`);
 * WebSocket APIs use `{api-id}/{stage}/{route-key}`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
export interface ExecuteApiArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  /** The part after the API id (`prod/GET/pets/a1b2`), possibly empty. */
  readonly rest: string;
}

export function parseExecuteApiArn(value: string): ExecuteApiArn | undefined {
  const arn = parseArn(value);
  if (arn === undefined || arn.service !== 'execute-api') return undefined;
  const slash = arn.resource.indexOf('/');
  const apiId = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
  if (apiId === '') return undefined;
  return {
    partition: arn.partition,
    region: arn.region,
    accountId: arn.account,
    apiId,
    rest: slash < 0 ? '' : arn.resource.slice(slash + 1),
  };
}

const SHORT_PREFIX = 'execute-api:/';

/**
 * Expands the short form `execute-api:/stage/GET/pets` in Resource and
 * NotResource to the full ARN of the API, as API Gateway does when the
 * resource policy is saved ("simplified format supported here because apiId
 * is not known yet and partition/region/account can be derived at import time").
 * Returns a new document; the input is not changed.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
 */
export function expandExecuteApiShortForm(
  document: Readonly<Record<string, unknown>>,
  api: { readonly partition: string; readonly region: string; readonly accountId: string; readonly apiId: string },
): Record<string, unknown> {
  const expand = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith(SHORT_PREFIX)) {
      return `arn:${api.partition}:execute-api:${api.region}:${api.accountId}:${api.apiId}/${v.slice(SHORT_PREFIX.length)}`;
    }
    return Array.isArray(v) ? v.map(expand) : v;
  };
  const statement = (s: unknown): unknown => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return s;
    const out: Record<string, unknown> = { ...(s as Record<string, unknown>) };
    if ('Resource' in out) out['Resource'] = expand(out['Resource']);
    if ('NotResource' in out) out['NotResource'] = expand(out['NotResource']);
    return out;
  };
  const st = document['Statement'];
  return { ...document, Statement: Array.isArray(st) ? st.map(statement) : statement(st) };
}

/** True when a document uses the short form anywhere in Resource/NotResource. */
export function usesExecuteApiShortForm(document: Readonly<Record<string, unknown>>): boolean {
  const st = document['Statement'];
  const list = Array.isArray(st) ? st : [st];
  return list.some((s) => {
    if (typeof s !== 'object' || s === null) return false;
    const r = s as Record<string, unknown>;
    return [r['Resource'], r['NotResource']].some((v) =>
      (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && x.startsWith(SHORT_PREFIX)),
    );
  });
}
