import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  genericRequestArn,
  genericRequestArns,
  genericRequestPath,
  hasPolicyVariable,
  methodTemplate,
  patternMayMatchTemplate,
  requestArnBelongsToTemplate,
  uncoveredRequestArns,
  witnessRequestArns,
  type MethodTemplate,
} from '../../../src/analysis/methods';

/**
 * Template-level coverage (src/analysis/methods/coverage.ts) on the seed's
 * patterns (seed/README.md) and on stage, verb, `?`, colon and root cases.
 */
const PROD = '333344445555';
const X = `arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5`;
const H = `arn:aws:execute-api:us-east-1:${PROD}:h7t8p9a0b1`;
const REST = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5';

function tpl(stage: string, route: string, apiArn = X): MethodTemplate {
  const [verb, path] = route === '$default' ? ['*', '*'] : (route.split(' ') as [string, string]);
  return methodTemplate({ executeApiArn: apiArn }, stage, { key: `${REST}/methods/${route}`, verb, path });
}

const getPet = tpl('prod', 'GET /pets/{id}');
const getPets = tpl('prod', 'GET /pets');
const deletePet = tpl('prod', 'DELETE /pets/{id}');
const adminProd = tpl('prod', 'ANY /admin/{proxy+}');
const adminStaging = tpl('staging', 'ANY /admin/{proxy+}');

describe('generic request ARNs', () => {
  it('replace each {param} by a fresh value and {proxy+} by two fresh segments', () => {
    assert.equal(genericRequestPath('/pets/{id}'), '/pets/whocan-any-id');
    assert.equal(genericRequestPath('/admin/{proxy+}'), '/admin/whocan-any-proxy/whocan-any-proxy-2');
    assert.equal(genericRequestPath('/'), '/');
    assert.equal(genericRequestPath('*'), '/whocan-any-path/whocan-any-path-2');
    assert.equal(genericRequestArn(getPet), `${X}/prod/GET/pets/whocan-any-id`);
    assert.equal(genericRequestArn(tpl('prod', 'GET /')), `${X}/prod/GET/`);
  });

  it('one per verb for ANY and $default; a verb must be named for them', () => {
    assert.deepEqual(
      genericRequestArns(adminProd).map((g) => g.verb),
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
    );
    assert.equal(genericRequestArns(adminProd)[5]?.arn, `${X}/prod/POST/admin/whocan-any-proxy/whocan-any-proxy-2`);
    assert.equal(genericRequestArns(tpl('$default', '$default', H)).length, 7);
    assert.throws(() => genericRequestArn(adminProd), /serves every verb; name one/);
    assert.throws(() => genericRequestArn(getPet, 'POST'), /does not serve POST/);
    assert.equal(genericRequestArn(adminProd, 'PUT'), `${X}/prod/PUT/admin/whocan-any-proxy/whocan-any-proxy-2`);
  });

  it('belong to their template', () => {
    for (const t of [getPet, getPets, adminProd, tpl('prod', 'GET /'), tpl('$default', '$default', H)]) {
      for (const g of genericRequestArns(t)) assert.ok(requestArnBelongsToTemplate(g.arn, t), g.arn);
    }
  });

  it('refuse invalid templates', () => {
    assert.throws(() => genericRequestArns(tpl('prod', 'GET /{proxy+}/x')), /must be the last segment/);
    assert.throws(() => genericRequestArns(tpl('prod', 'FETCH /pets')), /unknown verb/);
    assert.throws(() => genericRequestArns(tpl('prod', 'GET pets')), /starts with "\/"/);
    assert.throws(() => genericRequestArns({ apiArn: X, stage: 'prod', verb: 'GET', path: '*' }), /go together/);
  });
});

describe('template membership', () => {
  it('{param} is one non-empty segment, {proxy+} one or more, root only "/"', () => {
    assert.ok(requestArnBelongsToTemplate(`${X}/prod/GET/pets/a1b2`, getPet));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/GET/pets/`, getPet));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/GET/pets/a/b`, getPet));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/POST/pets/a`, getPet));
    assert.ok(!requestArnBelongsToTemplate(`${X}/staging/GET/pets/a`, getPet));
    assert.ok(requestArnBelongsToTemplate(`${X}/prod/PATCH/admin/a/b/c`, adminProd));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/PATCH/admin`, adminProd));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/PATCH/admin/`, adminProd));
    assert.ok(!requestArnBelongsToTemplate(`${X}/prod/ANY/admin/a`, adminProd), 'a request ARN carries the concrete verb');
    assert.ok(requestArnBelongsToTemplate(`${H}/$default/GET/`, tpl('$default', '$default', H)));
  });
});

describe('coverage of the seed patterns (seed/README.md)', () => {
  it('henry-support: …/prod/GET/pets/1 is a partial grant on GET /pets/{id}', () => {
    const p = `${X}/prod/GET/pets/1`;
    assert.equal(patternMayMatchTemplate(p, getPet), true);
    assert.deepEqual(witnessRequestArns(p, getPet), [`${X}/prod/GET/pets/1`]);
    assert.deepEqual(uncoveredRequestArns(p, getPet), []);
    assert.equal(patternMayMatchTemplate(p, getPets), false, 'nothing on GET /pets');
    assert.equal(patternMayMatchTemplate(p, tpl('staging', 'GET /pets/{id}')), false);
  });

  it('a wildcard inside a parameter gives a witness with a fresh filler', () => {
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/a*`, getPet), [`${X}/prod/GET/pets/a-whocan`]);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/??`, getPet), [`${X}/prod/GET/pets/xx`]);
  });

  it('bob-caller: …/prod/GET/pets/* covers GET /pets/{id}; the exact …/prod/GET/pets covers GET /pets only', () => {
    const star = `${X}/prod/GET/pets/*`;
    assert.equal(patternMayMatchTemplate(star, getPet), true);
    assert.deepEqual(witnessRequestArns(star, getPet), []);
    assert.deepEqual(uncoveredRequestArns(star, getPet), []);
    assert.equal(patternMayMatchTemplate(star, getPets), false);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/pets`, getPets), true);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/pets`, getPet), false, 'reporting-role S3 does not reach /pets/{id}');
  });

  it('bob-caller DenyDeleteOnProd: arn:aws:execute-api:*:*:*/prod/DELETE/* covers DELETE /pets/{id} on prod only', () => {
    const deny = 'arn:aws:execute-api:*:*:*/prod/DELETE/*';
    assert.equal(patternMayMatchTemplate(deny, deletePet), true);
    assert.deepEqual(uncoveredRequestArns(deny, deletePet), []);
    assert.equal(patternMayMatchTemplate(deny, tpl('staging', 'DELETE /pets/{id}')), false);
    assert.equal(patternMayMatchTemplate(deny, getPet), false);
  });

  it('carol-caller: …/prod/GET/pets* covers both GET /pets and GET /pets/{id}', () => {
    const p = `${X}/prod/GET/pets*`;
    for (const t of [getPets, getPet]) {
      assert.equal(patternMayMatchTemplate(p, t), true);
      assert.deepEqual(witnessRequestArns(p, t), []);
      assert.deepEqual(uncoveredRequestArns(p, t), []);
    }
  });

  it('judy-analyst: …/*/GET/pets/* covers GET /pets/{id} on every stage', () => {
    for (const stage of ['prod', 'staging']) assert.deepEqual(uncoveredRequestArns(`${X}/*/GET/pets/*`, tpl(stage, 'GET /pets/{id}')), []);
  });

  it('S4 DenyAdminOutsideOffice: X/*/*/admin/* covers every verb of ANY /admin/{proxy+}', () => {
    const p = `${X}/*/*/admin/*`;
    assert.equal(patternMayMatchTemplate(p, adminProd), true);
    assert.deepEqual(witnessRequestArns(p, adminProd), []);
    assert.deepEqual(uncoveredRequestArns(p, adminProd), []);
  });

  it('erin-boundary: …:*/staging/GET/* covers the GET verb of ANY; other verbs only through a crafted path', () => {
    const p = `arn:aws:execute-api:us-east-1:${PROD}:*/staging/GET/*`;
    assert.equal(patternMayMatchTemplate(p, adminStaging), true);
    assert.deepEqual(uncoveredRequestArns(p, adminStaging), [], 'GET is covered');
    const witnesses = witnessRequestArns(p, adminStaging);
    // The leading `*` stays inside the ARN's last colon segment, which spans `/`: it can swallow
    // `a1b2c3d4e5/staging/DELETE/admin`, and `/staging/GET/` then appears inside the proxy path.
    assert.deepEqual(
      witnesses.map((w) => w.slice(X.length)),
      ['DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map((v) => `/staging/${v}/admin/staging/GET/x-whocan`),
    );
    assert.equal(
      patternMayMatchTemplate(`${X}/staging/GET/*`, tpl('staging', 'POST /pets')),
      false,
      'no such path under a literal template',
    );
  });

  it('alice-apidev: …:*/staging/* covers every method on staging and none on prod', () => {
    const p = `arn:aws:execute-api:us-east-1:${PROD}:*/staging/*`;
    assert.deepEqual(uncoveredRequestArns(p, adminStaging), []);
    assert.equal(patternMayMatchTemplate(p, tpl('prod', 'POST /pets')), false);
    assert.equal(patternMayMatchTemplate(p, adminProd), true, 'prod ANY /admin/{proxy+}: …/prod/GET/admin/staging/x matches');
    assert.equal(patternMayMatchTemplate(`arn:aws:execute-api:us-east-1:${PROD}:*/staging/*`, tpl('$default', 'GET /events', H)), false);
  });

  it('events-reader: H/*/GET/* covers GET /events on $default', () => {
    assert.deepEqual(uncoveredRequestArns(`${H}/*/GET/*`, tpl('$default', 'GET /events', H)), []);
    assert.equal(patternMayMatchTemplate(`${H}/*/GET/*`, tpl('$default', 'POST /events', H)), false);
  });
});

describe('coverage: wildcards, colons, roots and verbs', () => {
  it('a pattern matching the generic value but not every request is reported by uncoveredRequestArns', () => {
    const p = `${X}/prod/GET/pets/w*`;
    assert.deepEqual(witnessRequestArns(p, getPet), []);
    assert.deepEqual(uncoveredRequestArns(p, getPet), [`${X}/prod/GET/pets/x`]);
  });

  it('stage and verb wildcards', () => {
    assert.deepEqual(uncoveredRequestArns(`${X}/*/GET/pets/*`, getPet), []);
    // `*` spans `/`: `…/prod/*/pets/1` reaches ANY /admin/{proxy+} through …/prod/GET/admin/pets/1.
    assert.deepEqual(
      witnessRequestArns(`${X}/prod/*/pets/1`, adminProd).map((w) => w.slice(X.length)),
      ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map((v) => `/prod/${v}/admin/pets/1`),
    );
    assert.equal(patternMayMatchTemplate(`${X}/prod/*/pets/1`, tpl('prod', 'GET /pets')), false);
    assert.deepEqual(
      witnessRequestArns(`${X}/prod/P*/admin/1`, adminProd).map((w) => w.slice(X.length)),
      ['/prod/PATCH/admin/1', '/prod/POST/admin/1', '/prod/PUT/admin/1'],
    );
    assert.deepEqual(witnessRequestArns(`${X}/prod/G?T/admin/*`, adminProd), [], 'covers GET generically');
    assert.deepEqual(uncoveredRequestArns(`${X}/prod/G?T/admin/*`, adminProd), []);
    assert.equal(patternMayMatchTemplate(`${X}/pro?/GET/pets/*`, getPet), true);
    assert.equal(patternMayMatchTemplate(`${X}/pro?/GET/pets/*`, tpl('staging', 'GET /pets/{id}')), false);
  });

  it('? never matches a colon; * matches one only at the end of an ARN segment', () => {
    const t = tpl('prod', 'GET /pets/{id}');
    assert.equal(patternMayMatchTemplate(`arn:aws:execute-api:us-east-1?${PROD}:a1b2c3d4e5/prod/GET/pets/*`, t), false);
    assert.equal(
      patternMayMatchTemplate(`arn:aws:execute-api:us-east-1*${PROD}:a1b2c3d4e5/prod/GET/pets/*`, t),
      false,
      'a * followed by a digit stays in its segment',
    );
    assert.equal(
      patternMayMatchTemplate(`arn:aws:execute-api:us-east-*:a1b2c3d4e5/prod/GET/pets/*`, t),
      true,
      'a * followed by ":" spans the account',
    );
    assert.equal(patternMayMatchTemplate('arn:aws:execute-api:*', t), true);
    assert.equal(patternMayMatchTemplate('*', t), true);
    assert.equal(patternMayMatchTemplate('arn:aws:execute-api:*:*:*', t), true);
    // A path segment may contain ":"; a `?` in the path cannot stand for it.
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/a:b`, t), [`${X}/prod/GET/pets/a:b`]);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/a?b`, t), [`${X}/prod/GET/pets/axb`]);
    assert.deepEqual(uncoveredRequestArns(`${X}/prod/GET/pets/*`, t), []);
    assert.deepEqual(uncoveredRequestArns(`${X}/prod/GET/pets/*x`, t), [], 'it misses the generic ARN: witnesses, not uncovered ARNs');
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/*x`, t), [`${X}/prod/GET/pets/-whocanx`]);
    assert.deepEqual(uncoveredRequestArns(`${X}/prod/GET/pets/*d`, t), [`${X}/prod/GET/pets/x`]);
  });

  it('the root: …/GET/ matches GET /, and no greedy or parameter template', () => {
    const root = tpl('prod', 'GET /');
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/`, root), true);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/*`, root), true);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET`, root), false);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/`, tpl('prod', 'ANY /{proxy+}')), false);
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/`, tpl('prod', 'GET /{id}')), false);
    assert.equal(patternMayMatchTemplate(`${H}/$default/GET/`, tpl('$default', '$default', H)), true);
  });

  it('the ARN prefix must agree: another API, account or region matches nothing', () => {
    assert.equal(patternMayMatchTemplate(`arn:aws:execute-api:us-east-1:${PROD}:zz9yy8xx7w/*`, getPet), false);
    assert.equal(patternMayMatchTemplate(`arn:aws:execute-api:us-east-1:111122223333:*`, getPet), false);
    assert.equal(patternMayMatchTemplate(`arn:aws:execute-api:eu-west-1:*`, getPet), false);
    assert.equal(patternMayMatchTemplate(`execute-api:/prod/GET/pets/1`, getPet), false, 'an unexpanded short form is not an ARN');
  });

  it('policy variables are read as "any characters"', () => {
    const p = `${X}/prod/GET/pets/\${aws:username}`;
    assert.equal(hasPolicyVariable(p), true);
    assert.equal(hasPolicyVariable(`${X}/prod/GET/pets/*`), false);
    assert.equal(patternMayMatchTemplate(p, getPet), true);
    assert.equal(patternMayMatchTemplate(p, getPets), false);
    assert.equal(witnessRequestArns(p, getPet).length, 0, 'as "any characters" it covers the generic ARN');
  });
});

describe('coverage: routing to sibling methods', () => {
  const methods = [
    { key: `${REST}/methods/GET /pets`, verb: 'GET', path: '/pets' },
    { key: `${REST}/methods/ANY /{proxy+}`, verb: 'ANY', path: '/{proxy+}' },
    { key: `${REST}/methods/GET /pets/{id}`, verb: 'GET', path: '/pets/{id}' },
    { key: `${REST}/methods/GET /pets/dog`, verb: 'GET', path: '/pets/dog' },
  ];
  const proxy = tpl('prod', 'ANY /{proxy+}');

  it('without routing, witnesses are the template language', () => {
    assert.equal(patternMayMatchTemplate(`${X}/prod/GET/pets`, proxy), true);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets`, proxy), [`${X}/prod/GET/pets`]);
  });

  it('with routing, a witness served by a more specific sibling is dropped', () => {
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets`, proxy, { routing: { methods } }), []);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/dog`, getPet, { routing: { methods } }), []);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/pets/d*`, getPet, { routing: { methods } }), [`${X}/prod/GET/pets/d-whocan`]);
    assert.deepEqual(witnessRequestArns(`${X}/prod/GET/food*`, proxy, { routing: { methods } }), [`${X}/prod/GET/food-whocan`]);
  });

  it('routing needs the template key', () => {
    assert.throws(
      () =>
        witnessRequestArns(`${X}/prod/GET/pets/1`, { apiArn: X, stage: 'prod', verb: 'GET', path: '/pets/{id}' }, { routing: { methods } }),
      /template.key/,
    );
  });
});
