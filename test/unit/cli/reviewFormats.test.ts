import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDiff } from '../../../src/cli/render/diff';
import { diagramOf, dotString, mermaidText, renderPaths } from '../../../src/cli/render/diagram';
import { csvRecord, mdCell, xmlEscape } from '../../../src/cli/render/formats';
import { renderReview } from '../../../src/cli/render/review';
import { parseRules, principalPaths, runDiff, runReview, type ReviewReport } from '../../../src/services/review';
import { analysisOf, modifiedSeedCopy, seedAnalysis, seedSource, sourceOf } from '../review/support';
import { checkWellFormedXml } from './support/xml';

/**
 * The report formats of review, diff and paths: each lists the violations
 * (or changes) with principals and paths, and escapes what its syntax needs.
 */
const NASTY = 'Pets <team> & "ops" | `x` *y* #1 \u0001end';

async function seedReport(): Promise<ReviewReport> {
  const yaml = [
    'version: 1',
    'rules:',
    '  - id: prod-readers',
    `    description: '${NASTY.replace(/'/g, "''").replace('\u0001', '\\x01')}'`,
    '    owner: "=cmd|calc"',
    '    select: { invoke: { api: petstore-api, stage: prod, methods: [GET /pets] } }',
    '    expect: { only: [{ group: "arn:aws:iam::333344445555:group/api-callers" }] }',
    '  - id: web-public',
    '    severity: low',
    '    select: { invoke: { api: petstore-web } }',
    '    expect: { not-public: true }',
    '  - id: holds',
    '    select: { invoke: { api: petstore-api } }',
    '    expect: { not-public: true }',
  ].join('\n');
  return runReview(await seedSource(), parseRules(yaml.replace('\\x01', '\u0001'), 'rules.yaml'));
}

describe('review report formats', () => {
  it('table: a summary line per rule, then each violation with its access and shortest path', async () => {
    const text = renderReview(await seedReport(), 'table');
    assert.match(text, /^Review of rules\.yaml · snapshot seed · local database$/m);
    assert.match(
      text,
      /^FAIL\s+prod-readers\s+medium\s+=cmd\|calc\s+7 principals have access without being allowed \(1 method checked\)$/m,
    );
    assert.match(text, /^pass\s+holds\s+medium\s+none of the 10 methods is open to anonymous callers$/m);
    assert.match(text, /^ {2}user\/carol-caller @333344445555: has access but is not allowed by the rule$/m);
    assert.match(
      text,
      /^ {4}petstore-api\/prod GET \/pets\s+conditional\s+0 hops\s+InvokeFromOffice \[PetsReadFromOffice\] \(if IpAddress aws:SourceIp \["198\.51\.100\.0\/24"\]\)$/m,
    );
    assert.match(text, /^ {2}user\/org-admin @111122223333: has access/m);
    assert.match(text, /assumes role\/OrganizationAccountAccessRole @333344445555 → AdministratorAccess \[#0\]/);
    assert.match(text, /^3 rules: 1 passed, 2 failed \(8 violations\)\.$/m);
  });

  it('json: the report itself', async () => {
    const report = await seedReport();
    assert.deepEqual(JSON.parse(renderReview(report, 'json')), JSON.parse(JSON.stringify(report)));
  });

  it('csv: one record per violating access with its paths, a record per passing rule, fields quoted and formulas defused', async () => {
    const csv = renderReview(await seedReport(), 'csv');
    const lines = csv.split('\r\n');
    assert.equal(
      lines[0],
      'rule,status,severity,owner,file,line,summary,principal,principal_type,reason,action,resource,decision,hops,conditions,paths',
    );
    assert.equal(lines.at(-1), '', 'ends with a line break');
    const carol = lines.find((l) => l.includes('user/carol-caller'))!;
    assert.ok(carol.startsWith(`prod-readers,fail,medium,'=cmd|calc,rules.yaml,3,`), carol);
    assert.match(
      carol,
      /,execute-api:Invoke,arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5\/prod\/GET\/pets,conditional,0,"when IpAddress aws:SourceIp \[""198\.51\.100\.0\/24""\]",/,
    );
    assert.equal(lines.filter((l) => l.startsWith('prod-readers,')).length, 7);
    assert.equal(lines.filter((l) => l.startsWith('web-public,')).length, 2, 'GET /health on two stages');
    assert.match(
      lines.find((l) => l.startsWith('holds,'))!,
      /^holds,pass,medium,,rules\.yaml,12,none of the 10 methods is open to anonymous callers,+$/,
    );
    assert.equal(
      csvRecord(['a,b', 'say "hi"', 'line\nbreak', '+1', '-1', '@x', 'plain', null, 3]),
      '"a,b","say ""hi""","line\nbreak",\'+1,\'-1,\'@x,plain,,3',
    );
  });

  it('markdown: a summary table and a section per failed rule; cells cannot break the table or inject markup', async () => {
    const md = renderReview(await seedReport(), 'markdown');
    assert.match(md, /^# whocan review: rules\.yaml$/m);
    assert.match(md, /\*\*2 of 3 rules failed\*\* \(8 violations\)/);
    assert.match(md, /^\| \*\*FAIL\*\* \| prod-readers \| medium \| =cmd\\\|calc \| 7 principals/m);
    assert.match(md, /^## FAIL: prod-readers$/m);
    assert.match(md, /^Pets &lt;team&gt; &amp; "ops" \\\| \\`x\\` \\\*y\\\* \\#1/m);
    assert.match(
      md,
      /^\| user\/carol-caller @333344445555 \| has access but is not allowed by the rule \| petstore-api\/prod GET \/pets \| conditional: when IpAddress aws:SourceIp \\\["198\.51\.100\.0\/24"\\\] \| 0 \| InvokeFromOffice \\\[PetsReadFromOffice\\\]/m,
    );
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      assert.ok(cells === 7 || cells === 8, `a row keeps its columns: ${line}`);
    }
    assert.equal(mdCell('a|b\nc <d>'), 'a\\|b<br>c &lt;d&gt;');
  });

  it('junit: well-formed XML, a test case per rule, failures carrying every violation and path', async () => {
    const xml = renderReview(await seedReport(), 'junit');
    checkWellFormedXml(xml);
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="whocan review" tests="3" failures="2" errors="0" time="[\d.]+">/,
    );
    assert.match(
      xml,
      /<testsuite name="rules\.yaml" tests="3" failures="2" errors="0" skipped="0" time="[\d.]+" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" hostname="[^"]+">/,
    );
    assert.match(xml, /<testcase name="prod-readers" classname="whocan\.review\.rules" file="rules\.yaml" line="3" time="[\d.]+">/);
    assert.match(xml, /<property name="description" value="Pets &lt;team&gt; &amp; &quot;ops&quot; \| `x` \*y\* #1 \uFFFDend"\/>/);
    assert.match(xml, /<failure message="7 principals have access without being allowed \(1 method checked\)" type="violation:medium">/);
    assert.match(
      xml,
      /arn:aws:iam::333344445555:user\/carol-caller \(user\): has access but is not allowed by the rule\n {2}petstore-api\/prod GET \/pets: conditional \(when IpAddress aws:SourceIp \[&quot;198\.51\.100\.0\/24&quot;\]\), 0 hops\n {4}path: InvokeFromOffice \[PetsReadFromOffice\]/,
    );
    assert.match(
      xml,
      /<testcase name="holds"[^>]*>\n {6}<properties>[\s\S]*?<\/properties>\n {6}<system-out>none of the 10 methods is open to anonymous callers<\/system-out>\n {4}<\/testcase>/,
    );
    assert.equal(xmlEscape(`<a b="c" d='e'>&\u0000\uD800x`), '&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;\uFFFD\uFFFDx');
  });
});

describe('diff report formats', () => {
  it('every format lists each change with its principal and paths; junit fails the resources where someone gained access', async () => {
    const copy = modifiedSeedCopy();
    try {
      const report = await runDiff(
        sourceOf([
          ['before', await seedAnalysis()],
          ['after', await analysisOf(copy.dir)],
        ]),
        {},
      );
      const table = renderDiff(report, 'table');
      assert.match(
        table,
        /^Access changes from snapshot before to after \(local database\): 16 gained, 3 lost, 0 changed; 48 questions compared$/m,
      );
      assert.match(
        table,
        /^lost\s+invoke\s+petstore-api\/prod GET \/pets\s+user\/bob-caller @333344445555\s+allowed \(0 hops\)\s+no access\s+was: group\/api-callers → InvokePetsProd \[InvokePetsProd\]$/m,
      );
      assert.match(
        table,
        /^gained\s+manage\s+apigateway:PATCH petstore-api\s+user\/dave-newdev @333344445555\s+no access\s+allowed \(0 hops\)\s+group\/api-developers → ApiDeveloperAccess \[ManageTeamApis\]$/m,
      );

      const csv = renderDiff(report, 'csv').split('\r\n');
      assert.equal(
        csv[0],
        'change,kind,action,resource,label,principal,principal_type,before_decision,before_hops,after_decision,after_hops,paths',
      );
      assert.equal(csv.length, 1 + 19 + 1);
      assert.ok(
        csv.includes(
          'lost,invoke,execute-api:Invoke,arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/POST/pets,petstore-api/prod POST /pets,arn:aws:iam::333344445555:user/bob-caller,user,allowed,0,,,group/api-callers → InvokePetsProd [InvokePetsProd]',
        ),
      );

      const md = renderDiff(report, 'markdown');
      assert.match(md, /^## Gained \(16\)$/m);
      assert.match(md, /^## Lost \(3\)$/m);
      assert.doesNotMatch(md, /^## Changed/m);

      const xml = renderDiff(report, 'junit');
      checkWellFormedXml(xml);
      // 13 resources changed: 9 (API, action) pairs and 7 methods gained by dave, 3 methods lost by bob.
      assert.match(xml, /<testsuites name="whocan diff" tests="19" failures="16" errors="0"/);
      assert.match(
        xml,
        /<testcase name="execute-api:Invoke petstore-api\/prod GET \/pets" classname="whocan\.diff\.invoke" time="0\.000">\n {6}<system-out>lost: arn:aws:iam::333344445555:user\/bob-caller \(user\): allowed \(0 hops\) → no access\n {2}was: group\/api-callers/,
      );
      assert.match(
        xml,
        /<failure message="1 principal gained access \(apigateway:PATCH on arn:aws:apigateway:us-east-1::\/restapis\/a1b2c3d4e5\)" type="access-gained">gained: arn:aws:iam::333344445555:user\/dave-newdev/,
      );
    } finally {
      copy.cleanup();
    }
  });

  it('no change: one passing test case, and the table says so', async () => {
    const seed = await seedAnalysis();
    const report = await runDiff(
      sourceOf([
        ['a', seed],
        ['b', seed],
      ]),
      {},
    );
    assert.match(renderDiff(report, 'table'), /No access changed\.$/);
    const xml = renderDiff(report, 'junit');
    checkWellFormedXml(xml);
    assert.match(xml, /tests="1" failures="0"[\s\S]*<testcase name="no access changed" classname="whocan\.diff"/);
  });
});

describe('path diagrams', () => {
  const admin = 'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/ANY/admin/{proxy+}';
  const ivan = 'arn:aws:iam::222233334444:user/ivan-ops';

  it('mermaid: a flowchart with one node per entity, statements and conditions on the edges, labels escaped', async () => {
    const answer = await principalPaths(await seedSource(), admin, ivan, {});
    const text = renderPaths(answer, 'mermaid');
    const lines = text.split('\n');
    assert.match(
      lines[0]!,
      /^%% user\/ivan-ops @222233334444 can execute-api:Invoke on .*: conditional, 2 role assumptions \(snapshot seed\)$/,
    );
    assert.equal(lines[1], 'flowchart LR');
    // The grammar this renderer writes: nodes with quoted labels, edges with quoted labels, nothing else.
    for (const line of lines.slice(2)) {
      assert.match(line, /^ {2}(n\d+(\(\[|\(|\[|\{\{)"[^"|<>]*"(\]\)|\)|\]|\}\})|n\d+ -->\|"[^"|<>]*"\| n\d+)$/, line);
    }
    assert.deepEqual(lines.slice(2), [
      '  n1(["user/ivan-ops @222233334444"])',
      '  n2{{"execute-api a1b2c3d4e5/prod/ANY/admin/{proxy+}"}}',
      '  n3("role/ops-jump @222233334444")',
      '  n4("role/petstore-operator @333344445555")',
      '  n5["OperateAdminEndpoints (inline)"]',
      '  n1 -->|"sts:AssumeRole (trust [IvanWithMfa]; AssumeOpsJump [#35;0]) if Bool aws:MultiFactorAuthPresent [#quot;true#quot;]"| n3',
      '  n3 -->|"sts:AssumeRole (trust [#35;0]; HopToProdOperator (inline) [#35;0])"| n4',
      '  n4 -->|"has policy"| n5',
      '  n5 -->|"allows [InvokeAdmin] if NOT (NotIpAddress aws:SourceIp [#quot;203.0.113.0/24#quot;])"| n2',
    ]);
    assert.equal(mermaidText('a "b" | <c> & #d `e`\nf'), 'a #quot;b#quot; #124; #lt;c#gt; #38; #35;d #96;e#96; f');
  });

  it('dot: a digraph with the same nodes and edges, strings escaped', async () => {
    const answer = await principalPaths(await seedSource(), admin, ivan, {});
    const text = renderPaths(answer, 'dot');
    assert.match(text, /^digraph whocan \{\n {2}rankdir=LR;\n/);
    assert.match(text, /\n {2}n1 \[label="user\/ivan-ops @222233334444", shape=ellipse\];\n/);
    assert.match(
      text,
      /\n {2}n5 -> n2 \[label="allows \[InvokeAdmin\] if NOT \(NotIpAddress aws:SourceIp \[\\"203\.0\.113\.0\/24\\"\]\)"\];\n\}$/,
    );
    assert.equal(diagramOf(answer).edges.length, 4);
    assert.equal(dotString('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c\\nd"');
  });

  it('an account outside the snapshot: its own policies are named as unknown, the external id shows as a condition', async () => {
    const answer = await principalPaths(
      await seedSource(),
      'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/POST/pets',
      'arn:aws:iam::999988887777:root',
      {},
    );
    const first = diagramOf(answer).edges[0]!;
    assert.match(
      first.label,
      /^sts:AssumeRole \(trust \[PartnerWithExternalId\]; its own policies, not in the snapshot\) if .*StringEquals sts:ExternalId \["petstore-7f3a9c"\]/,
    );
    assert.match(
      renderPaths(answer, 'text'),
      /^account 999988887777 can execute-api:Invoke on .*POST\/pets: conditional, 1 role assumption \(snapshot seed\)$/m,
    );
  });

  it("a principal with several paths: shared nodes drawn once (judy: her policy and the API's resource policy)", async () => {
    const answer = await principalPaths(
      await seedSource(),
      'arn:aws:execute-api:us-east-1:333344445555:a1b2c3d4e5/prod/GET/pets',
      'arn:aws:iam::222233334444:user/judy-analyst',
      {},
    );
    const d = diagramOf(answer);
    assert.deepEqual(
      d.nodes.map((n) => n.label),
      ['user/judy-analyst @222233334444', 'execute-api a1b2c3d4e5/prod/GET/pets', 'InvokePetsReadAcrossAccount (inline)'],
    );
    assert.deepEqual(
      d.edges.map((e) => `${e.from} ${e.to} ${e.label}`),
      ['n1 n3 has policy', 'n3 n2 allows [ReadPets]', 'n1 n2 resource policy of API a1b2c3d4e5 [AllowIdentityAccount] allows'],
    );
  });
});
