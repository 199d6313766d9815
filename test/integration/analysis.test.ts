import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccessAnalysis, deriveAccessRows } from '../../src/analysis';
import { migrationsDir, packageRoot, seedDir } from '../../src/config/paths';
import type { Graph } from '../../src/db';
import { generate } from '../../src/generate';
import { readSnapshot, readSnapshotRowsFromGraph } from '../../src/ingest';
import { ROW_FIELDS, type SnapshotRows } from '../../src/model';
import { AnalysisService, loadAnalysisSettings, SnapshotService } from '../../src/services';
import { sampleQuestions } from '../support/differential';
import { resetGraph, testGraph, testNeo4jEnv } from './support/graph';

/**
 * The analysis as the CLI and the API run it: a snapshot ingested into the
 * real Neo4j (CAN_ASSUME relationships included), read back, and asked.
 * Answers from the graph must equal answers computed from the files.
 */
const root = packageRoot();
const whocan = path.join(root, 'bin', 'whocan.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [whocan, ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...testNeo4jEnv() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Rows of one kind in a canonical order, for comparison. */
function canonical(rows: SnapshotRows, kind: keyof SnapshotRows): string[] {
  return (rows[kind] as unknown as Record<string, unknown>[])
    .map((row) => JSON.stringify(Object.keys(ROW_FIELDS[kind]).map((f) => [f, row[f] ?? null])))
    .sort();
}

/** An answer without its timing. */
function stable(answer: object): string {
  return JSON.stringify(answer, (key, value: unknown) => (key === 'ms' || key === 'snapshot' ? undefined : value));
}

describe('analysis on snapshots stored in Neo4j', () => {
  let graph: Graph;
  let tmp: string;
  before(async () => {
    graph = await testGraph();
    await resetGraph(graph);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'whocan-analysis-'));
  });
  after(async () => {
    await resetGraph(graph);
    await graph.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'a generated organization reads back row for row, CAN_ASSUME included, and answers the same from the graph as from the files',
    { timeout: 300_000 },
    async () => {
      const dir = path.join(tmp, 'small-7');
      generate({ preset: 'small', seed: 7, out: dir });
      const snapshots = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
      const ingested = await snapshots.ingest(dir);

      const fromFiles = readSnapshot(dir).rows;
      const settings = await loadAnalysisSettings();
      deriveAccessRows(fromFiles, settings);
      assert.ok(fromFiles.canAssume.length > 100, 'the organization has role chains');
      const fromGraph = await readSnapshotRowsFromGraph(graph, ingested.snapshotId);
      for (const kind of Object.keys(ROW_FIELDS) as (keyof SnapshotRows)[]) {
        assert.deepEqual(canonical(fromGraph, kind), canonical(fromFiles, kind), `rows of kind ${kind}`);
      }

      const reference = AccessAnalysis.fromRows(fromFiles, settings);
      const service = new AnalysisService(graph);
      const questions = sampleQuestions(reference, 'graph-round-trip', { methods: 12, other: 6 });
      for (const q of questions) {
        const expected = reference.whoCan(q.action, q.resource);
        const actual = await service.whoCan(q.action, q.resource);
        assert.equal(actual.snapshot, ingested.snapshotId);
        assert.equal(stable(actual), stable(expected), `${q.action} on ${q.resource}`);
      }
    },
  );

  describe('the CLI on seed/', () => {
    before(async () => {
      await resetGraph(graph);
      const snapshots = new SnapshotService(graph, { migrationsDir: migrationsDir(), keepSnapshots: 3 });
      await snapshots.ingest(seedDir());
    });

    it('who-can-invoke --json prints one object in the documented shape', () => {
      const result = run(['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const answer = JSON.parse(result.stdout) as {
        resource: string;
        action: string;
        public: boolean;
        principals: {
          arn: string;
          type: string;
          decision: string;
          conditions: unknown[];
          paths: { kind: string; from: string; to: string; policy?: string; statement?: string }[][];
        }[];
      };
      assert.equal(answer.resource, 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets');
      assert.equal(answer.action, 'execute-api:Invoke');
      assert.equal(answer.public, false);
      const bob = answer.principals.find((p) => p.arn === 'arn:aws:iam::333344445555:user/bob-caller');
      assert.equal(bob?.type, 'user');
      assert.equal(bob?.decision, 'allowed');
      assert.deepEqual(
        bob?.paths[0]?.map((h) => [h.kind, h.to]),
        [
          ['member-of', 'arn:aws:iam::333344445555:group/api-callers'],
          ['policy', 'arn:aws:iam::333344445555:policy/InvokePetsProd'],
          ['statement', 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets'],
        ],
      );
      const orgAdmin = answer.principals.find((p) => p.arn === 'arn:aws:iam::111122223333:user/org-admin');
      assert.equal(orgAdmin?.paths[0]?.[0]?.kind, 'assume-role');
      assert.equal(orgAdmin?.paths[0]?.[0]?.to, 'arn:aws:iam::333344445555:role/OrganizationAccountAccessRole');
      const carol = answer.principals.find((p) => p.arn === 'arn:aws:iam::333344445555:user/carol-caller');
      assert.equal(carol?.decision, 'conditional');
      assert.ok(carol && carol.conditions.length > 0, 'conditional answers carry their conditions');
    });

    it('who-can-invoke prints a readable table by default, with the method and the shortest paths', () => {
      const result = run(['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555:k9l8m7n6o5/prod/GET/health']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /petstore-web \(k9l8m7n6o5\) · stage prod · GET \/health · authorization NONE · public: YES/);
      assert.match(result.stdout, /^anonymous\s+anonymous\s+allowed\s+0\s+allowed\s+unsigned request/m);
    });

    it('who-can-invoke on a private API names the VPC endpoints, in the table and in --json', () => {
      const arn = 'arn:aws:execute-api:us-east-1:333344445555:p1q2r3s4t5/prod/GET/inventory';
      const table = run(['who-can-invoke', arn]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /VPC ENDPOINTS/);
      assert.match(table.stdout, /^anonymous\s+anonymous\s+allowed\s+0\s+allowed\s+vpce-0a1b2c3d4e5f60789 allowed\s+unsigned request/m);
      const json = JSON.parse(run(['who-can-invoke', arn, '--json']).stdout) as {
        principals: { arn: string; endpoints?: { endpoint: string; decision: string; vpc: string }[] }[];
      };
      assert.deepEqual(
        json.principals.map((p) => [p.arn, p.endpoints?.map((e) => [e.endpoint, e.vpc, e.decision])]),
        [['anonymous', [['vpce-0a1b2c3d4e5f60789', 'vpc-0123456789abcdef0', 'allowed']]]],
      );
      const sandbox = JSON.parse(run(['who-can-invoke', arn, '--json', '--context', 'aws:SourceVpce=vpce-0fedcba9876543210']).stdout) as {
        principals: unknown[];
      };
      assert.deepEqual(sandbox.principals, []);
    });

    it('--context decides conditions: carol-caller is allowed from her office and absent from elsewhere', () => {
      const arn = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets';
      const inside = JSON.parse(run(['who-can-invoke', arn, '--json', '--context', 'aws:SourceIp=198.51.100.7']).stdout) as {
        principals: { arn: string; decision: string }[];
      };
      assert.equal(inside.principals.find((p) => p.arn.endsWith('user/carol-caller'))?.decision, 'allowed');
      const outside = JSON.parse(run(['who-can-invoke', arn, '--json', '--context', 'aws:SourceIp=192.0.2.1']).stdout) as {
        principals: { arn: string }[];
      };
      assert.equal(
        outside.principals.some((p) => p.arn.endsWith('user/carol-caller')),
        false,
      );
    });

    it('who-can answers management questions through role chains', () => {
      const result = run(['who-can', 'apigateway:DELETE', 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const answer = JSON.parse(result.stdout) as { principals: { arn: string; hops: number }[] };
      assert.deepEqual(
        answer.principals.map((p) => [p.arn, p.hops]),
        [
          ['arn:aws:iam::333344445555:role/platform-admin', 0],
          ['arn:aws:iam::333344445555:role/petstore-operator', 1],
          ['arn:aws:iam::222233334444:role/ops-jump', 2],
          ['arn:aws:iam::222233334444:user/ivan-ops', 3],
        ],
      );
    });

    it('a malformed ARN, an unknown API and a bad action exit 2 with one clear message and no stack trace', () => {
      for (const args of [
        ['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555'],
        ['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555:nosuchapi/prod/GET/pets'],
        ['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/no/such/path'],
        ['who-can', 'not-an-action', 'arn:aws:iam::333344445555:role/platform-admin'],
        ['who-can', 'sts:AssumeRole', 'arn:aws:iam::333344445555:role/no-such-role'],
        [
          'can',
          'arn:aws:iam::333344445555:user/nobody',
          'execute-api:Invoke',
          'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets',
        ],
        ['who-can-invoke', 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets', '--context', 'not a pair'],
      ]) {
        const result = run(args);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, /^whocan: /m, args.join(' '));
        assert.doesNotMatch(result.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace`);
        assert.equal(result.stdout, '', `${args.join(' ')}: nothing on stdout`);
      }
    });

    it('who-can-invoke on an ARN that is not an execute-api ARN exits 2 naming what was expected, instead of answering', () => {
      for (const arn of [
        'arn:aws:s3:::prod-bucket/key',
        'arn:aws:iam::333344445555:role/platform-admin',
        'arn:aws:lambda:us-east-1:333344445555:function:orders',
        'not-an-arn',
      ]) {
        const result = run(['who-can-invoke', arn, '--json']);
        assert.equal(result.code, 2, `${arn}: ${result.stderr}`);
        assert.match(
          result.stderr,
          /^whocan: whoCanInvoke needs an execute-api ARN: expected arn:aws:execute-api:REGION:ACCOUNT:API_ID\/STAGE\/VERB\/PATH/m,
          arn,
        );
        assert.ok(result.stderr.includes(JSON.stringify(arn)), `${arn}: the message quotes it`);
        assert.equal(result.stdout, '', `${arn}: nothing on stdout`);
      }
    });

    it('every question has a command: can, invocable, role-paths, reach, findings', () => {
      const can = JSON.parse(
        run([
          'can',
          'arn:aws:iam::333344445555:user/bob-caller',
          'execute-api:Invoke',
          'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/DELETE/pets/1',
          '--json',
        ]).stdout,
      ) as {
        decision: string;
        requests: { decision: string; statements: { statement: string; effect: string }[] }[];
      };
      assert.equal(can.decision, 'denied');
      assert.equal(can.requests[0]?.decision, 'explicitDeny');
      assert.ok(can.requests[0]?.statements.some((s) => s.statement === 'NoDeletesOnProd' && s.effect === 'Deny'));

      const invocable = JSON.parse(run(['invocable', 'arn:aws:iam::222233334444:user/judy-analyst', '--json']).stdout) as {
        methods: { methodArn: string; hops: number }[];
      };
      assert.ok(
        invocable.methods.some(
          (m) => m.methodArn === 'arn:aws:execute-api:us-east-1:333344445555:h7t8p9a0b1/$default/GET/events' && m.hops === 1,
        ),
      );

      const paths = JSON.parse(
        run(['role-paths', 'arn:aws:iam::222233334444:user/ivan-ops', 'arn:aws:iam::333344445555:role/platform-admin', '--json']).stdout,
      ) as { hops: number; decision: string };
      assert.deepEqual([paths.hops, paths.decision], [3, 'conditional']);

      const roles = JSON.parse(run(['role-paths', 'arn:aws:iam::222233334444:user/ivan-ops', '--json']).stdout) as {
        roles: { role: string; hops: number }[];
      };
      assert.deepEqual(
        roles.roles.map((r) => [r.role, r.hops]),
        [
          ['arn:aws:iam::222233334444:role/ops-jump', 1],
          ['arn:aws:iam::333344445555:role/petstore-operator', 2],
          ['arn:aws:iam::333344445555:role/platform-admin', 3],
        ],
      );
      assert.match(
        run(['role-paths', 'arn:aws:iam::222233334444:user/ivan-ops']).stdout,
        /Which roles can user\/ivan-ops @222233334444 become\?[\s\S]*role\/platform-admin @333344445555: conditional, 3 hop/,
      );

      const reach = JSON.parse(run(['reach', '--principal', 'arn:aws:iam::333344445555:user/bob-caller', '--json']).stdout) as {
        backends: { functionName: string; directly: string }[];
      };
      assert.ok(
        reach.backends.some((b) => b.functionName === 'pets-list' && b.directly === 'denied'),
        'bob reaches pets-list only through the API',
      );

      const findings = JSON.parse(run(['findings', '--json', '--kind', 'escalation-via-apigateway']).stdout) as {
        findings: { principal: string; resource: string }[];
      };
      assert.ok(
        findings.findings.some(
          (f) =>
            f.principal === 'arn:aws:iam::333344445555:user/frank-escalator' &&
            f.resource === 'arn:aws:iam::333344445555:role/petstore-apigw-invoke',
        ),
      );
    });
  });
});
