import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccessAnalysis, FunctionReachAnswer, PrincipalAccess } from '../../../src/analysis';
import {
  ANONYMOUS,
  EC2,
  FN,
  G,
  H,
  PARTNER_ACCOUNT,
  POL,
  R,
  U,
  X,
  fnPolicy,
  hopLabel,
  seedAnalysis,
  shortestPath,
  sorted,
  via,
} from './support/seed';

/**
 * seed/README.md Q8, the API → Lambda hop: who reaches each function through
 * the API methods whose integration calls it (functionReach), and which
 * backends a caller reaches (callerReach). Written by hand from Q1–Q5 and the
 * Q8 table: a caller reaches a function through a method when it can invoke
 * the method and API Gateway can call the function (role, function policy),
 * or, with caller pass-through, when the caller itself may invoke the function.
 */

let analysis: AccessAnalysis;
before(async () => {
  analysis = await seedAnalysis();
});

type Through = FunctionReachAnswer['throughApis'][number];
function through(answer: FunctionReachAnswer, methodArn: string): Through {
  const t = answer.throughApis.find((x) => x.method.methodArn === methodArn);
  assert.ok(t, `${methodArn} not among ${answer.throughApis.map((x) => x.method.methodArn).join(', ')}`);
  return t;
}
const arns = (list: readonly { arn: string }[]) => sorted(list.map((p) => p.arn));
const decisions = (list: readonly PrincipalAccess[]) => Object.fromEntries(list.map((p) => [p.arn, `${p.decision}/${p.hops}`]));

describe('Q8 functionReach pets-list: GET /pets through role petstore-apigw-invoke', () => {
  let answer: FunctionReachAnswer;
  before(() => {
    answer = analysis.functionReach(FN.petsList);
  });

  it('is called by GET /pets on both stages, as petstore-apigw-invoke, and API Gateway can call it', () => {
    assert.deepEqual(sorted(answer.throughApis.map((t) => t.method.methodArn)), [`${X}/prod/GET/pets`, `${X}/staging/GET/pets`]);
    for (const t of answer.throughApis) {
      assert.equal(t.mode, 'role');
      assert.equal(t.role, R.apigwInvoke);
      assert.equal(t.integration, 'allowed');
    }
  });

  it('through prod GET /pets: exactly the Q1 callers of GET /pets, each path ending with the integration hop by InvokeBackends', () => {
    const t = through(answer, `${X}/prod/GET/pets`);
    assert.deepEqual(arns(t.principals), sorted([U.bob, U.carol, R.reporting, R.oaar, U.judy, PARTNER_ACCOUNT, U.orgAdmin, EC2]));
    assert.equal(decisions(t.principals)[U.carol], 'conditional/0');
    const bob = t.principals.find((p) => p.arn === U.bob)!;
    assert.deepEqual(shortestPath(bob), [
      ...via.grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers),
      via.integration(FN.petsList, { role: R.apigwInvoke, policy: POL.InvokeBackends, statement: '#0' }),
    ]);
  });

  it('through staging GET /pets: alice, erin, OrganizationAccountAccessRole, judy, org-admin', () => {
    assert.deepEqual(arns(through(answer, `${X}/staging/GET/pets`).principals), sorted([U.alice, U.erin, R.oaar, U.judy, U.orgAdmin]));
  });

  it('directly (lambda:InvokeFunction): only the integration role and OrganizationAccountAccessRole, and who becomes them', () => {
    assert.deepEqual(arns(answer.direct.principals), sorted([R.apigwInvoke, R.oaar, U.orgAdmin, 'apigateway.amazonaws.com']));
    const bob = answer.principals.find((p) => p.arn === U.bob)!;
    assert.deepEqual(bob.ways, [`${X}/prod/GET/pets`]);
  });
});

describe('Q8 functionReach pets-write: POST /pets and DELETE /pets/{id} through its function policy', () => {
  let answer: FunctionReachAnswer;
  before(() => {
    answer = analysis.functionReach(FN.petsWrite);
  });

  it('is called by POST /pets and DELETE /pets/{id} on both stages, with no credentials: the function policy decides', () => {
    assert.deepEqual(
      sorted(answer.throughApis.map((t) => t.method.methodArn)),
      sorted([`${X}/prod/POST/pets`, `${X}/staging/POST/pets`, `${X}/prod/DELETE/pets/{id}`, `${X}/staging/DELETE/pets/{id}`]),
    );
    for (const t of answer.throughApis) {
      assert.equal(t.mode, 'none');
      assert.equal(t.integration, 'allowed');
    }
  });

  it('POST /pets (prod): bob, OrganizationAccountAccessRole, partner-integration; org-admin and the partner through roles; hop by apigw-post-pets', () => {
    const t = through(answer, `${X}/prod/POST/pets`);
    assert.deepEqual(decisions(t.principals), {
      [U.bob]: 'allowed/0',
      [R.oaar]: 'allowed/0',
      [R.partnerIntegration]: 'allowed/0',
      [U.orgAdmin]: 'allowed/1',
      [PARTNER_ACCOUNT]: 'conditional/1',
    });
    const bob = t.principals.find((p) => p.arn === U.bob)!;
    assert.equal(
      bob.paths[0]!.map(hopLabel).at(-1),
      via.integration(FN.petsWrite, { policy: fnPolicy(FN.petsWrite), statement: 'apigw-post-pets' }),
    );
  });

  it('DELETE /pets/{id} (prod): OrganizationAccountAccessRole and org-admin only; bob-caller is denied (hop by apigw-delete-pet)', () => {
    const t = through(answer, `${X}/prod/DELETE/pets/{id}`);
    assert.deepEqual(decisions(t.principals), { [R.oaar]: 'allowed/0', [U.orgAdmin]: 'allowed/1' });
    assert.equal(
      t.principals[0]!.paths[0]!.map(hopLabel).at(-1),
      via.integration(FN.petsWrite, { policy: fnPolicy(FN.petsWrite), statement: 'apigw-delete-pet' }),
    );
  });

  it('staging: alice-apidev and OrganizationAccountAccessRole on both methods', () => {
    for (const m of [`${X}/staging/POST/pets`, `${X}/staging/DELETE/pets/{id}`]) {
      assert.deepEqual(
        decisions(through(answer, m).principals),
        { [U.alice]: 'allowed/0', [R.oaar]: 'allowed/0', [U.orgAdmin]: 'allowed/1' },
        m,
      );
    }
  });
});

describe("Q8 functionReach pets-read: GET /pets/{id} passes the caller's credentials through", () => {
  let answer: FunctionReachAnswer;
  before(() => {
    answer = analysis.functionReach(FN.petsRead);
  });

  it('the integration depends on the caller', () => {
    for (const t of answer.throughApis) {
      assert.equal(t.mode, 'caller');
      assert.equal(t.integration, 'depends on the caller');
    }
  });

  it('on prod only those who can both invoke the method and lambda:InvokeFunction pets-read: bob-caller and OrganizationAccountAccessRole (← org-admin)', () => {
    const t = through(answer, `${X}/prod/GET/pets/{id}`);
    // Not carol, henry (no Lambda permission), judy or the partner (cross account, pets-read has no resource policy).
    assert.deepEqual(decisions(t.principals), { [U.bob]: 'allowed/0', [R.oaar]: 'allowed/0', [U.orgAdmin]: 'allowed/1' });
    const bob = t.principals.find((p) => p.arn === U.bob)!;
    assert.equal(bob.paths[0]!.at(-1)!.kind, 'integration');
    assert.equal(bob.paths[0]!.at(-1)!.to, FN.petsRead);
  });

  it('on staging only OrganizationAccountAccessRole (← org-admin): alice, erin and judy have no lambda:InvokeFunction on pets-read', () => {
    assert.deepEqual(decisions(through(answer, `${X}/staging/GET/pets/{id}`).principals), {
      [R.oaar]: 'allowed/0',
      [U.orgAdmin]: 'allowed/1',
    });
  });
});

describe('Q8 functionReach: the other backends', () => {
  it('orders-writer: nobody through POST /orders (broken on both stages)', () => {
    const answer = analysis.functionReach(FN.ordersWriter);
    assert.equal(answer.throughApis.length, 2);
    for (const t of answer.throughApis) {
      assert.equal(t.integration, 'denied', t.method.methodArn);
      assert.deepEqual(t.principals, [], t.method.methodArn);
    }
  });

  it('pets-admin: through ANY /admin/{proxy+} everyone who can invoke it, the function policy allowing every verb', () => {
    const answer = analysis.functionReach(FN.petsAdmin);
    const prod = through(answer, `${X}/prod/ANY/admin/{proxy+}`);
    assert.equal(prod.integration, 'allowed');
    assert.equal(prod.principals.find((p) => p.arn === R.operator)?.decision, 'conditional');
    assert.equal(prod.principals.find((p) => p.arn === U.ivan)?.hops, 2);
  });

  it('events-handler: GET /events (function policy apigw-events), POST /events, and GET /status as petstore-apigw-invoke', () => {
    const answer = analysis.functionReach(FN.eventsHandler);
    const events = through(answer, `${H}/$default/GET/events`);
    assert.equal(events.mode, 'none');
    assert.equal(events.integration, 'allowed');
    assert.deepEqual(decisions(events.principals), {
      [R.eventsReader]: 'allowed/0',
      [R.oaar]: 'allowed/0',
      [U.judy]: 'allowed/1',
      [U.orgAdmin]: 'allowed/1',
    });
    assert.equal(
      events.principals
        .find((p) => p.arn === U.judy)!
        .paths[0]!.map(hopLabel)
        .at(-1),
      via.integration(FN.eventsHandler, { policy: fnPolicy(FN.eventsHandler), statement: 'apigw-events' }),
    );
    const status = through(answer, `${H}/$default/GET/status`);
    assert.equal(status.mode, 'role');
    assert.equal(status.role, R.apigwInvoke);
    assert.deepEqual(decisions(status.principals), { [ANONYMOUS]: 'allowed/0' });
    assert.equal(decisions(through(answer, `${H}/$default/POST/events`).principals)[ANONYMOUS], 'conditional/0');
  });

  it('web-handler: GET /orders and GET /orders/{orderId} on both stages (function policy allows W/*)', () => {
    const answer = analysis.functionReach(FN.webHandler);
    assert.equal(answer.throughApis.length, 4);
    for (const t of answer.throughApis) assert.equal(t.integration, 'allowed', t.method.methodArn);
  });
});

describe('Q8 callerReach bob-caller', () => {
  it('reaches pets-list through prod GET /pets although he cannot invoke pets-list directly', () => {
    const reach = analysis.callerReach(U.bob);
    const petsList = reach.backends.filter((b) => b.function === FN.petsList);
    assert.deepEqual(
      petsList.map((b) => b.method.methodArn),
      [`${X}/prod/GET/pets`],
    );
    assert.equal(petsList[0]!.decision, 'allowed');
    assert.equal(petsList[0]!.directly, 'denied');
    assert.equal(petsList[0]!.role, R.apigwInvoke);
    assert.deepEqual(petsList[0]!.path.map(hopLabel), [
      ...via.grant(POL.InvokePetsProd, 'InvokePetsProd', G.apiCallers),
      via.integration(FN.petsList, { role: R.apigwInvoke, policy: POL.InvokeBackends, statement: '#0' }),
    ]);
  });

  it('reaches pets-read through prod GET /pets/{id} with his own InvokeReadBackend, and pets-write through POST /pets only (DELETE is denied)', () => {
    const reach = analysis.callerReach(U.bob);
    const petsRead = reach.backends.filter((b) => b.function === FN.petsRead);
    assert.deepEqual(
      petsRead.map((b) => `${b.method.methodArn} ${b.decision} directly=${b.directly}`),
      [`${X}/prod/GET/pets/{id} allowed directly=allowed`],
    );
    assert.deepEqual(petsRead[0]!.path.at(-1), {
      kind: 'integration',
      from: `${X}/prod/GET/pets/{id}`,
      to: FN.petsRead,
      policy: POL.InvokePetsProd,
      statement: 'InvokeReadBackend',
    });
    assert.deepEqual(
      reach.backends.filter((b) => b.function === FN.petsWrite).map((b) => b.method.methodArn),
      [`${X}/prod/POST/pets`],
    );
  });

  it('reaches no signed backend of the staging stage, and nothing through POST /orders', () => {
    const reach = analysis.callerReach(U.bob);
    assert.ok(!reach.backends.some((b) => b.method.methodArn.startsWith(`${X}/staging/`)));
    assert.ok(!reach.backends.some((b) => b.function === FN.ordersWriter));
  });
});

describe('Q8 callerReach: the others', () => {
  it('carol-caller reaches pets-list conditionally (aws:SourceIp) but never pets-read (no Lambda permission)', () => {
    const reach = analysis.callerReach(U.carol);
    const petsList = reach.backends.find((b) => b.function === FN.petsList && b.method.methodArn === `${X}/prod/GET/pets`);
    assert.equal(petsList?.decision, 'conditional');
    assert.deepEqual(sorted(new Set(petsList.conditions.flatMap((c) => c.keys))), ['aws:sourceip']);
    assert.ok(!reach.backends.some((b) => b.function === FN.petsRead));
  });

  it('judy-analyst reaches events-handler through GET /events only as events-reader (1 hop)', () => {
    const reach = analysis.callerReach(U.judy);
    const events = reach.backends.find((b) => b.method.methodArn === `${H}/$default/GET/events`);
    assert.equal(events?.via, R.eventsReader);
    assert.equal(events?.hops, 1);
    assert.ok(!reach.backends.some((b) => b.function === FN.petsRead), 'pets-read needs her own lambda permission, cross account');
  });
});
