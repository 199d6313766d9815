/** Lambda output in AWS CLI shapes: `lambda list-functions` and `lambda get-policy` (Policy is a JSON string). */
import { accountOfArn } from '../policy';
import { HEX } from './prng';
import { lambdaDate, uuid } from './names';
import type { FunctionPlan, Plan } from './planTypes';
import type { Rng } from './prng';

export function functionItem(fn: FunctionPlan, rng: Rng): Record<string, unknown> {
  const runtime = rng.pick(['nodejs20.x', 'nodejs22.x', 'python3.12', 'python3.13', 'java21']);
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: runtime,
    Role: fn.execRole,
    Handler: runtime.startsWith('python') ? 'app.handler' : runtime.startsWith('java') ? 'example.Handler::handleRequest' : 'index.handler',
    CodeSize: rng.range(800, 9_000_000),
    Description: '',
    Timeout: rng.pick([3, 10, 15, 30, 60]),
    MemorySize: rng.pick([128, 256, 512, 1024]),
    LastModified: lambdaDate(rng),
    CodeSha256: Buffer.from(rng.chars(HEX, 64), 'hex').toString('base64'),
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: uuid(rng),
    PackageType: 'Zip',
    Architectures: [rng.pick(['x86_64', 'arm64'])],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

/**
 * The function's resource policy as `get-policy` prints it, or undefined when it has none
 * (get-policy then fails with ResourceNotFoundException and no file is written).
 * About 4% of API Gateway permissions are stale (they name an API id that does not exist).
 */
export function functionPolicy(plan: Plan, fn: FunctionPlan, rng: Rng): { Policy: string; RevisionId: string } | undefined {
  const statements: Record<string, unknown>[] = [];
  const account = accountOfArn(fn.arn) ?? '';
  for (const source of [...new Set(fn.sources)]) {
    const stale = rng.chance(0.04);
    const sourceArn = stale ? source.replace(/:([a-z0-9]{10})\//, `:${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}/`) : source;
    statements.push({
      Sid: `apigateway-${rng.chars('abcdef0123456789', 8)}`,
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fn.arn,
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    });
  }
  if (rng.chance(0.05)) {
    const other = rng.pick(plan.accounts).id;
    if (other !== account)
      statements.push({
        Sid: `cross-account-${other}`,
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${other}:root` },
        Action: 'lambda:InvokeFunction',
        Resource: fn.arn,
      });
  }
  if (statements.length === 0) return undefined;
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }), RevisionId: uuid(rng) };
}
