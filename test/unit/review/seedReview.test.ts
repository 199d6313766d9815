import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seedDir } from '../../../src/config/paths';
import { loadRules, parseRules, runReview, type ReviewReport, type RuleResult } from '../../../src/services/review';
import { analysisOf, seedCopy, seedSource, sourceOf } from './support';

/**
 * `whocan review` on seed/ (Petstore Inc.): the example rules files give the
 * passes and violations seed/README.md works out by hand, and each part of
 * the rule language does what docs/review.md says.
 */
const PROD = '333344445555';
const IDENTITY = '222233334444';
const MGMT = '111122223333';
const iam = (account: string, kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
const U = {
  orgAdmin: iam(MGMT, 'user', 'org-admin'),
  ivan: iam(IDENTITY, 'user', 'ivan-ops'),
  judy: iam(IDENTITY, 'user', 'judy-analyst'),
  alice: iam(PROD, 'user', 'alice-apidev'),
  bob: iam(PROD, 'user', 'bob-caller'),
  carol: iam(PROD, 'user', 'carol-caller'),
  frank: iam(PROD, 'user', 'frank-escalator'),
  henry: iam(PROD, 'user', 'henry-support'),
};
const R = {
  opsJump: iam(IDENTITY, 'role', 'ops-jump'),
  oaar: iam(PROD, 'role', 'OrganizationAccountAccessRole'),
  operator: iam(PROD, 'role', 'petstore-operator'),
  platformAdmin: iam(PROD, 'role', 'platform-admin'),
  partnerIntegration: iam(PROD, 'role', 'partner-integration'),
  reporting: iam(PROD, 'role', 'reporting-role'),
};
const PARTNER = 'arn:aws:iam::999988887777:root';
const EC2 = 'ec2.amazonaws.com';

function result(report: ReviewReport, id: string): RuleResult {
  const r = report.results.find((x) => x.id === id);
  assert.ok(r, `rule ${id} is in the report`);
  return r;
}

const violators = (r: RuleResult) => r.violations.map((v) => v.principal).sort();

async function review(yaml: string, options: Parameters<typeof runReview>[2] = {}): Promise<ReviewReport> {
  return runReview(await seedSource(), parseRules(yaml, 'rules.yaml'), options);
}

/** A rules file of one rule. */
const one = (rule: string) => `version: 1\nrules:\n  - id: r\n${rule.replace(/^/gm, '    ')}\n`;

describe('the example rules on seed/', () => {
  it('seed/rules/passing.yaml: every rule holds', async () => {
    const report = await runReview(await seedSource(), loadRules(path.join(seedDir(), 'rules', 'passing.yaml')));
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status]),
      [
        ['prod-pet-readers', 'pass'],
        ['kim-cannot-call-petstore-api', 'pass'],
        ['petstore-api-not-public', 'pass'],
        ['internal-api-not-public', 'pass'],
        ['admin-proxy-office-only', 'pass'],
        ['admin-proxy-never-unconditional', 'pass'],
        ['only-platform-admin-deletes-apis', 'pass'],
        ['api-changes-stay-in-org', 'pass'],
        ['platform-admin-within-three-hops', 'pass'],
        ['partner-role-single-assumer', 'pass'],
        ['internal-api-escalation-admins-only', 'pass'],
      ],
    );
    assert.deepEqual(report.counts, { rules: 11, passed: 11, failed: 0, violations: 0, listed: 0 });
    // Q1: eight principals reach GET /pets on prod; org-admin and ec2.amazonaws.com only through listed roles.
    assert.equal(result(report, 'prod-pet-readers').principals, 8);
    // petstore-api has 5 methods on 2 stages; petstore-internal 2 methods on prod.
    assert.equal(result(report, 'petstore-api-not-public').questions, 10);
    assert.equal(result(report, 'internal-api-not-public').questions, 2);
    // DELETE on the four APIs: platform-admin and the chain into it (the SCP denies everyone else).
    assert.equal(result(report, 'only-platform-admin-deletes-apis').principals, 4);
    assert.equal(result(report, 'partner-role-single-assumer').principals, 1);
  });

  it('seed/rules/violations.yaml: every rule is violated, by the principals the README names', async () => {
    const report = await runReview(await seedSource(), loadRules(path.join(seedDir(), 'rules', 'violations.yaml')));
    assert.deepEqual(report.counts, {
      rules: 7,
      passed: 0,
      failed: 7,
      violations: 8 + 1 + 1 + 7 + 1 + 5 + 1,
      listed: 8 + 1 + 1 + 7 + 1 + 5 + 1,
    });
    assert.equal(report.truncated, false);

    const only = result(report, 'prod-pets-only-api-callers');
    assert.deepEqual(violators(only), [U.orgAdmin, U.judy, R.oaar, R.partnerIntegration, R.reporting, U.carol, PARTNER, EC2].sort());
    const partner = only.violations.find((v) => v.principal === PARTNER)!;
    assert.deepEqual(
      partner.access.map((a) => [a.label, a.decision, a.hops]),
      [
        ['petstore-api/prod GET /pets', 'conditional', 0],
        ['petstore-api/prod POST /pets', 'conditional', 1],
      ],
    );
    // The partner's POST goes through partner-integration, with the external id.
    const post = partner.access[1]!.paths[0]!;
    assert.deepEqual([post[0]!.kind, post[0]!.to], ['assume-role', R.partnerIntegration]);
    assert.ok(JSON.stringify(post[0]!.conditions).includes('petstore-7f3a9c'));
    const orgAdmin = only.violations.find((v) => v.principal === U.orgAdmin)!;
    assert.equal(orgAdmin.access[0]!.paths[0]![0]!.to, R.oaar);

    const org = result(report, 'petstore-api-prod-inside-org');
    assert.deepEqual(violators(org), [PARTNER]);
    assert.match(org.violations[0]!.reason, /account 999988887777 is not in organization o-pet5t0re42/);
    // Methods in the order every source lists them: by path, then verb.
    assert.deepEqual(
      org.violations[0]!.access.map((a) => a.label),
      ['petstore-api/prod GET /pets', 'petstore-api/prod POST /pets', 'petstore-api/prod GET /pets/{id}'],
    );

    const open = result(report, 'petstore-web-not-public');
    assert.deepEqual(violators(open), ['anonymous']);
    assert.deepEqual(
      open.violations[0]!.access.map((a) => [a.label, a.decision]),
      [
        ['petstore-web/prod GET /health', 'allowed'],
        ['petstore-web/staging GET /health', 'allowed'],
      ],
    );
    assert.equal(open.severity, 'low');

    assert.deepEqual(
      violators(result(report, 'petstore-api-few-managers')),
      [R.platformAdmin, R.operator, R.opsJump, U.ivan, R.oaar, U.orgAdmin, U.alice].sort(),
    );
    assert.match(result(report, 'petstore-api-few-managers').summary, /^7 principals have access; at most 3 allowed/);

    const hops = result(report, 'platform-admin-within-two-hops');
    assert.deepEqual(violators(hops), [U.ivan]);
    assert.match(hops.violations[0]!.reason, /becomes the role in 3 role assumptions \(at most 2 allowed\)/);
    assert.deepEqual(
      hops.violations[0]!.access[0]!.paths[0]!.filter((h) => h.kind === 'assume-role').map((h) => h.to),
      [R.opsJump, R.operator],
    );

    const escalation = result(report, 'no-escalation-through-api-gateway');
    assert.deepEqual(violators(escalation), [U.frank, R.platformAdmin, R.operator, R.opsJump, U.ivan].sort());
    const frank = escalation.violations.find((v) => v.principal === U.frank)!;
    assert.deepEqual(
      frank.access.map((a) => [a.finding?.severity, a.resource, a.label]),
      [
        [
          'high',
          iam(PROD, 'role', 'petstore-apigw-invoke'),
          'run API integrations as petstore-apigw-invoke, reaching 5 function(s) it cannot invoke itself',
        ],
      ],
    );
    const ivan = escalation.violations.find((v) => v.principal === U.ivan)!;
    assert.equal(ivan.access[0]!.hops, 3, 'ivan-ops is three assumptions away from platform-admin');
    assert.equal(
      ivan.access[0]!.label,
      'run API integrations as petstore-apigw-invoke, reaching 5 function(s) it cannot invoke itself, as role/platform-admin',
    );

    const events = result(report, 'identity-account-off-events');
    assert.deepEqual(violators(events), [U.judy]);
    assert.deepEqual(
      events.violations[0]!.access.map((a) => [a.label, a.hops]),
      [['petstore-events/$default GET /events', 1]],
    );
  });
});

describe('the rule language on seed/', () => {
  const getPetsProd = 'select:\n  invoke: { api: petstore-api, stage: prod, methods: [GET /pets] }';

  it("only: access through an allowed role is that role's; anything else is reported", async () => {
    const report = await review(one(`${getPetsProd}\nexpect:\n  only:\n    - role: ${R.oaar}\n    - role: ${R.reporting}`));
    const r = report.results[0]!;
    // org-admin reaches it as OrganizationAccountAccessRole, ec2.amazonaws.com as reporting-role: not reported.
    assert.deepEqual(violators(r), [U.bob, U.carol, U.judy, PARTNER].sort());
    assert.equal(r.principals, 8);
  });

  it('only with a group: its members are allowed (membership, whatever path they use)', async () => {
    const report = await review(
      one(
        `${getPetsProd}\nexpect:\n  only:\n    - group: arn:aws:iam::${PROD}:group/api-*\n    - type: role\n    - type: service\n    - account: "${MGMT}"`,
      ),
    );
    assert.deepEqual(violators(report.results[0]!), [U.carol, U.judy, PARTNER].sort());
  });

  it('access: decisions not listed do not count (carol and the partner are conditional)', async () => {
    const report = await review(one(`access: [allowed]\n${getPetsProd}\nexpect:\n  nobody: true`));
    assert.deepEqual(violators(report.results[0]!), [U.bob, U.judy, R.oaar, R.reporting, U.orgAdmin, EC2].sort());
  });

  it('context decides conditions: from her office, carol-caller is allowed', async () => {
    const report = await review(
      one(`access: [allowed]\ncontext: { aws:SourceIp: 198.51.100.7 }\n${getPetsProd}\nexpect:\n  forbid: [${U.carol}]`),
    );
    const r = report.results[0]!;
    assert.deepEqual(violators(r), [U.carol]);
    assert.equal(r.violations[0]!.access[0]!.decision, 'allowed');
  });

  it('except: the principals it names are neither reported nor counted', async () => {
    const report = await review(one(`except: [{ type: service }, "arn:aws:iam::*:user/*"]\n${getPetsProd}\nexpect:\n  max-principals: 3`));
    const r = report.results[0]!;
    // Left: reporting-role, OrganizationAccountAccessRole, the partner account.
    assert.equal(r.status, 'pass');
    assert.equal(r.principals, 3);
  });

  it('forbid matches principals at any number of hops', async () => {
    const report = await review(one(`${getPetsProd}\nexpect:\n  forbid: [{ type: service }, { account: "${MGMT}" }]`));
    assert.deepEqual(violators(report.results[0]!), [U.orgAdmin, EC2].sort());
  });

  it('a concrete request ARN is asked as API Gateway routes it', async () => {
    const at = (n: number) =>
      one(`select:\n  invoke: arn:aws:execute-api:us-east-1:${PROD}:a1b2c3d4e5/prod/GET/pets/${n}\nexpect:\n  forbid: [${U.henry}]`);
    assert.equal((await review(at(42))).results[0]!.status, 'pass');
    const r = (await review(at(1))).results[0]!;
    assert.deepEqual(violators(r), [U.henry]);
    assert.equal(r.violations[0]!.access[0]!.label, 'petstore-api/prod GET /pets/1');
  });

  it('manage: an exact resource below an API is asked as written (frank may PATCH integrations)', async () => {
    const arn = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources/r1/methods/GET/integration';
    const report = await review(one(`select:\n  manage: { arn: ${arn}, actions: [apigateway:PATCH] }\nexpect:\n  forbid: [${U.frank}]`));
    assert.deepEqual(violators(report.results[0]!), [U.frank]);
    const whole = await review(
      one(`select:\n  manage: { api: petstore-api, actions: [apigateway:PATCH] }\nexpect:\n  forbid: [${U.frank}]`),
    );
    assert.equal(whole.results[0]!.status, 'pass', 'frank cannot PATCH the API object itself (seed/README.md Q6)');
  });

  it('max-hops searches at least as far as its limit, even with a smaller --max-hops', async () => {
    const yaml = one(`select:\n  assume: arn:aws:iam::${PROD}:role/platform-*\nexpect:\n  max-hops: 2`);
    const report = await review(yaml, { maxHops: 1 });
    assert.deepEqual(violators(report.results[0]!), [U.ivan]);
    assert.equal(
      (await review(one(`select:\n  assume: ${R.platformAdmin}\nexpect:\n  max-hops: 3`), { maxHops: 0 })).results[0]!.status,
      'pass',
    );
  });

  it('no-escalation: except a role also excuses whoever becomes it; min-severity filters findings', async () => {
    const report = await review(one(`except: [{ role: ${R.platformAdmin} }]\nexpect:\n  no-escalation: { min-severity: high }`));
    assert.deepEqual(violators(report.results[0]!), [U.frank]);
    const api = await review(one(`select:\n  manage: { api: petstore-web }\nexpect:\n  no-escalation: { min-severity: medium }`));
    // petstore-web: method authorization and resource policy changes (medium), and platform-admin's integration role (high).
    assert.deepEqual(violators(api.results[0]!), [U.alice, R.oaar, R.platformAdmin, U.orgAdmin, R.operator, R.opsJump, U.ivan].sort());
  });

  it('no-outside-org without an organization: principals of accounts that were not ingested are outside', async () => {
    const copy = seedCopy();
    rmSync(path.join(copy.dir, 'organization.json'));
    try {
      const source = sourceOf([['no-org', await analysisOf(copy.dir)]]);
      const report = await runReview(source, parseRules(one(`${getPetsProd}\nexpect:\n  no-outside-org: true`), 'rules.yaml'));
      const r = report.results[0]!;
      assert.deepEqual(violators(r), [PARTNER]);
      assert.match(r.violations[0]!.reason, /not one of the ingested accounts/);
    } finally {
      copy.cleanup();
    }
  });

  it('not-public asks only about methods with authorization NONE (no other can be public)', async () => {
    const source = await seedSource();
    const asked: string[] = [];
    const counting = Object.assign(Object.create(source) as typeof source, {
      whoCan: (...args: Parameters<typeof source.whoCan>) => (asked.push(args[1]), source.whoCan(...args)),
    });
    const report = await runReview(
      counting,
      parseRules(one('select:\n  invoke: { api: petstore-web }\nexpect:\n  not-public: true'), 'rules.yaml'),
    );
    assert.deepEqual(asked, [
      'arn:aws:execute-api:us-east-1:333344445555:k9l8m7n6o5/prod/GET/health',
      'arn:aws:execute-api:us-east-1:333344445555:k9l8m7n6o5/staging/GET/health',
    ]);
    assert.equal(report.results[0]!.summary, '2 of 8 methods are open to anonymous callers');
  });

  it('the report is bounded: violations per rule and accesses per violation are capped, with totals; all lists everything', async () => {
    const rules = loadRules(path.join(seedDir(), 'rules', 'violations.yaml'));
    const full = await runReview(await seedSource(), rules, { all: true });
    assert.deepEqual(full.limits, { violations: null, access: null, paths: 3 });
    const capped = await runReview(await seedSource(), rules, { maxViolations: 2, maxAccess: 1 });
    assert.deepEqual(capped.limits, { violations: 2, access: 1, paths: 3 });
    assert.equal(capped.truncated, true);
    assert.equal(capped.counts.violations, full.counts.violations);
    assert.equal(
      capped.counts.listed,
      capped.results.reduce((n, r) => n + Math.min(r.violationCount, 2), 0),
    );
    for (const r of capped.results) {
      const all = result(full, r.id);
      assert.equal(r.violationCount, all.violations.length, r.id);
      assert.equal(r.status, all.status, r.id);
      assert.equal(r.summary, all.summary, r.id);
      // The first violations by principal, each with its first access and the count of all of them.
      assert.deepEqual(
        r.violations.map((v) => [v.principal, v.reason, v.accessCount, v.access.map((a) => a.label)]),
        all.violations.slice(0, 2).map((v) => [v.principal, v.reason, v.access.length, v.access.slice(0, 1).map((a) => a.label)]),
        r.id,
      );
      for (const v of r.violations) assert.equal(v.truncated === true, v.accessCount > 1, `${r.id} ${v.principal}`);
      assert.equal(r.truncated === true, r.violationCount > 2 || r.violations.some((v) => v.truncated), r.id);
    }
    // Six principals break prod-pets-only-api-callers beyond the two listed.
    assert.equal(result(capped, 'prod-pets-only-api-callers').violationCount, 8);
    assert.equal(full.truncated, false);
    for (const r of full.results) for (const v of r.violations) assert.equal(v.accessCount, v.access.length);
  });

  it('maxListed bounds the accesses listed over the whole report, with all too: rules are still checked and counted, later ones list fewer', async () => {
    const rules = loadRules(path.join(seedDir(), 'rules', 'violations.yaml'));
    const full = await runReview(await seedSource(), rules, { all: true });
    const listedIn = (r: ReviewReport) => r.results.reduce((n, x) => n + x.violations.reduce((m, v) => m + v.access.length, 0), 0);
    const everything = listedIn(full);
    assert.ok(everything > 6, `the example violations list ${everything} accesses`);
    for (const budget of [1, 5, everything - 1]) {
      const capped = await runReview(await seedSource(), rules, { all: true, maxListed: budget });
      assert.deepEqual(capped.limits, { violations: null, access: null, paths: 3, total: budget });
      assert.equal(listedIn(capped), budget, `budget ${budget}`);
      assert.equal(capped.truncated, true);
      assert.deepEqual(capped.counts, { ...full.counts, listed: capped.counts.listed });
      // What is listed is the start of the full report, in order: every listed access is the full report's, at the same place.
      let left = budget;
      capped.results.forEach((r, i) => {
        const all = full.results[i]!;
        assert.deepEqual([r.id, r.status, r.summary, r.violationCount], [all.id, all.status, all.summary, all.violationCount]);
        const expected = [];
        for (const v of all.violations) {
          if (left <= 0) break;
          const n = Math.min(v.access.length, left);
          left -= n;
          expected.push([v.principal, v.accessCount, v.access.slice(0, n).map((a) => a.label)]);
        }
        assert.deepEqual(
          r.violations.map((v) => [v.principal, v.accessCount, v.access.map((a) => a.label)]),
          expected,
          `${r.id}, budget ${budget}`,
        );
        for (const v of r.violations)
          assert.equal(v.truncated === true, v.accessCount > v.access.length, `${r.id} ${v.principal}: truncated`);
        assert.equal(
          r.truncated === true,
          r.violationCount > r.violations.length || r.violations.some((v) => v.accessCount > v.access.length),
          r.id,
        );
      });
    }
    const roomy = await runReview(await seedSource(), rules, { all: true, maxListed: everything });
    assert.equal(roomy.truncated, false);
    assert.deepEqual(
      roomy.results.map((r) => r.violations),
      full.results.map((r) => r.violations),
    );
  });

  it('--rule runs only the named rules; an unknown id is refused', async () => {
    const yaml =
      'version: 1\nrules:\n  - id: a\n    select: { invoke: { api: petstore-web } }\n    expect: { not-public: true }\n  - id: b\n    select: { invoke: { api: petstore-api } }\n    expect: { not-public: true }\n';
    const report = await review(yaml, { only: ['b'] });
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status]),
      [['b', 'pass']],
    );
    await assert.rejects(review(yaml, { only: ['c'] }), /--rule c: no such rule in rules\.yaml; its rules: a, b/);
  });

  it('selections that name nothing in the snapshot are refused together, with their lines, before anything is asked', async () => {
    const yaml = [
      'version: 1',
      'rules:',
      '  - id: unknown-api',
      '    select: { invoke: { api: petstore-apx } }',
      '    expect: { nobody: true }',
      '  - id: unknown-stage',
      '    select:',
      '      invoke: { api: petstore-api, stage: dev }',
      '    expect: { nobody: true }',
      '  - id: unknown-method',
      '    select:',
      '      invoke: { api: petstore-api, methods: [GET /pet] }',
      '    expect: { nobody: true }',
      '  - id: unknown-role',
      '    select:',
      `      assume: arn:aws:iam::${PROD}:role/nobody-here`,
      '    expect: { nobody: true }',
      '  - id: pattern-matches-nothing',
      '    select:',
      `      invoke: arn:aws:execute-api:us-east-1:${PROD}:zzzzzzzzzz/*`,
      '    expect: { nobody: true }',
      '  - id: fine',
      '    select: { invoke: { api: petstore-web } }',
      '    expect: { not-public: true }',
    ].join('\n');
    const source = await seedSource();
    let asked = 0;
    const counting = Object.assign(Object.create(source) as typeof source, {
      whoCan: (...args: Parameters<typeof source.whoCan>) => (asked++, source.whoCan(...args)),
    });
    await assert.rejects(runReview(counting, parseRules(yaml, 'rules.yaml')), (error: Error & { details?: string[] }) => {
      assert.match(error.message, /do not fit snapshot seed \(5 problems; nothing was evaluated\)/);
      assert.deepEqual(
        error.details?.map((d) => d.replace(/: select: .*$/, '')),
        [
          'rules.yaml:4:15: rule unknown-api',
          'rules.yaml:8:7: rule unknown-stage',
          'rules.yaml:12:7: rule unknown-method',
          'rules.yaml:16:7: rule unknown-role',
          'rules.yaml:20:7: rule pattern-matches-nothing',
        ],
      );
      assert.match(error.details[0]!, /no API has the id or name "petstore-apx"; the snapshot's APIs: .*a1b2c3d4e5 \(petstore-api\)/);
      assert.match(error.details[1]!, /no stage "dev" in petstore-api; stages: prod, staging/);
      assert.match(error.details[2]!, /no method "GET \/pet" in petstore-api; methods: .*GET \/pets/);
      return true;
    });
    assert.equal(asked, 0, 'no question was asked');
  });
});
