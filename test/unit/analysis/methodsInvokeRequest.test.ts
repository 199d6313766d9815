import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseInvokeRequest, requestArn, REQUEST_VERBS } from '../../../src/analysis/methods';

/** Request ARNs (src/analysis/methods/invokeRequest.ts): parsing, and the messages for what a request ARN cannot be. */
const X = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5';

function message(arn: string): string {
  const r = parseInvokeRequest(arn);
  assert.equal(r.ok, false, `${arn} should be refused`);
  return r.ok ? '' : r.message;
}

describe('parseInvokeRequest', () => {
  it('reads a REST request, the root path and an HTTP API $default stage', () => {
    assert.deepEqual(parseInvokeRequest(`${X}/prod/GET/pets/a1b2`), {
      ok: true,
      request: {
        partition: 'aws',
        region: 'us-east-1',
        account: '333344445555',
        apiId: 'a1b2c3d4e5',
        stage: 'prod',
        verb: 'GET',
        path: '/pets/a1b2',
      },
    });
    const root = parseInvokeRequest(`${X}/prod/GET/`);
    assert.ok(root.ok);
    assert.equal(root.request.path, '/');
    const http = parseInvokeRequest('arn:aws:execute-api:us-east-1:333344445555:h7t8p9a0b1/$default/POST/events');
    assert.ok(http.ok);
    assert.equal(http.request.stage, '$default');
    assert.equal(http.request.verb, 'POST');
    const china = parseInvokeRequest('arn:aws-cn:execute-api:cn-north-1:333344445555:a1b2c3d4e5/prod/HEAD/a:b/c');
    assert.ok(china.ok);
    assert.equal(china.request.partition, 'aws-cn');
    assert.equal(china.request.path, '/a:b/c');
  });

  it('keeps a trailing slash as written (routing decides, see checkRequestPath)', () => {
    const r = parseInvokeRequest(`${X}/prod/GET/pets/`);
    assert.ok(r.ok);
    assert.equal(r.request.path, '/pets/');
  });

  it('refuses what is not an execute-api ARN', () => {
    assert.match(message('not-an-arn'), /expected an execute-api request ARN/);
    assert.match(message('arn:aws:lambda:us-east-1:333344445555:function:f'), /expected an execute-api request ARN/);
    assert.match(message('arn:aws:execute-api:us-east-1:333344445555:'), /expected an execute-api request ARN/);
  });

  it('refuses wildcards, naming the part', () => {
    assert.match(message('arn:aws:execute-api:*:333344445555:a1b2c3d4e5/prod/GET/pets'), /the region is a wildcard/);
    assert.match(message('arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/prod/GET/pets'), /the account is a wildcard/);
    assert.match(message('arn:aws:execute-api:us-east-1:333344445555:*/prod/GET/pets'), /the API id is a wildcard/);
    assert.match(message(`${X}/*/GET/pets`), /the stage is a wildcard \("\*"\): a request ARN names one stage/);
    assert.match(message(`${X}/pr?d/GET/pets`), /the stage is a wildcard/);
    assert.match(message(`${X}/prod/*/pets`), /the verb is a wildcard/);
    assert.match(message(`${X}/prod/GET/pets/*`), /the path is a wildcard pattern/);
    assert.match(message(`${X}/prod/GET/*`), /the path is a wildcard pattern/);
  });

  it('refuses ANY: a request carries its concrete verb', () => {
    assert.match(message(`${X}/prod/ANY/admin/x`), /the verb is ANY: ANY is a method, a request carries its concrete verb/);
  });

  it('refuses missing parts and malformed ones', () => {
    assert.match(message(`${X}`), /the stage is missing/);
    assert.match(message(`${X}/prod`), /the verb and path are missing after stage "prod"/);
    assert.match(message(`${X}/prod/GET`), /the path is missing after verb GET; the root path is "…\/GET\/"/);
    assert.match(message(`${X}//GET/pets`), /the stage is missing/);
    assert.match(message(`${X}/prod//pets`), /the verb is missing/);
    assert.match(message(`${X}/prod/get/pets`), /the verb "get" is not an HTTP verb/);
    assert.match(message(`${X}/pr.od/GET/pets`), /is not a stage name/);
    assert.match(message('arn:aws:execute-api:us-east-1:3333:a1b2c3d4e5/prod/GET/pets'), /the account must be 12 digits/);
    assert.match(message('arn:aws:execute-api::333344445555:a1b2c3d4e5/prod/GET/pets'), /the region is empty/);
    assert.match(message(`${X}/prod/$connect`), /WebSocket route key/);
  });

  it('every message names the ARN it refuses', () => {
    assert.match(message(`${X}/*/GET/pets`), /a1b2c3d4e5\/\*\/GET\/pets/);
  });

  it('round-trips requestArn for any stage, verb and concrete path', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~:@!$&'()+,;=-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/),
        fc.constantFrom(...REQUEST_VERBS),
        fc.array(segment, { maxLength: 4 }),
        (stage, verb, segments) => {
          const p = `/${segments.join('/')}`;
          const r = parseInvokeRequest(requestArn(X, stage, verb, p));
          assert.ok(r.ok, r.ok ? '' : r.message);
          assert.deepEqual([r.request.stage, r.request.verb, r.request.path, r.request.apiId], [stage, verb, p, 'a1b2c3d4e5']);
        },
      ),
      { numRuns: 300 },
    );
  });
});
