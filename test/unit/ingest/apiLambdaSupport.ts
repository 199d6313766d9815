/**
 * Shared by the API Gateway, HTTP API and Lambda transform tests: a fresh
 * transform context, the seed's files as JsonFile, and a walk of a snapshot
 * directory that runs the three transforms (a stand-in for discovery, so the
 * tests depend only on the transforms).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seedDir } from '../../../src/config/paths';
import { transformRestApis, type RestApiFiles } from '../../../src/ingest/apigateway/transform';
import { transformHttpApis, type HttpApiFiles } from '../../../src/ingest/apigatewayv2/transform';
import { transformLambda } from '../../../src/ingest/lambda/transform';
import { IngestReport, type IngestIssue } from '../../../src/ingest/report';
import { RowCollector } from '../../../src/ingest/rowCollector';
import type { JsonFile, TransformContext } from '../../../src/ingest/transformContext';
import type { SnapshotRows } from '../../../src/model';

export const PROD = '333344445555';
export const REGION = 'us-east-1';
export const BASE = `${PROD}/${REGION}`;

export function newContext(): TransformContext {
  const report = new IngestReport();
  return { report, rows: new RowCollector(report) };
}

export function rowsOf(ctx: TransformContext): SnapshotRows {
  return ctx.rows.rows();
}

/** Reads a file of a snapshot directory (default: seed/) as the transforms get it: `file` relative to the directory. */
export function readJson(file: string, dir: string = seedDir()): JsonFile {
  return { file, data: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown };
}

/** A JsonFile from an inline value (hand-made bad inputs). */
export function json(file: string, data: unknown): JsonFile {
  return { file, data: structuredClone(data) };
}

/** The per-API files of `<dir>/<account>/<region>/<service>/`, by API id. */
function perApiFiles(dir: string, base: string, service: string, names: readonly string[]): Map<string, Record<string, JsonFile>> {
  const out = new Map<string, Record<string, JsonFile>>();
  const folder = path.join(dir, base, service);
  if (!existsSync(folder)) return out;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const files: Record<string, JsonFile> = {};
    for (const name of names) {
      const rel = `${base}/${service}/${entry.name}/${name}.json`;
      if (existsSync(path.join(dir, rel))) files[name] = readJson(rel, dir);
    }
    out.set(entry.name, files);
  }
  return out;
}

export function restPerApi(dir: string, base: string): Map<string, RestApiFiles> {
  return perApiFiles(dir, base, 'apigateway', ['resources', 'stages']);
}

export function httpPerApi(dir: string, base: string): Map<string, HttpApiFiles> {
  return perApiFiles(dir, base, 'apigatewayv2', ['routes', 'stages', 'integrations']);
}

export function lambdaPolicies(dir: string, base: string): JsonFile[] {
  const folder = path.join(dir, base, 'lambda', 'policies');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJson(`${base}/lambda/policies/${f}`, dir));
}

/** Runs the REST, HTTP API and Lambda transforms over every account/region of a snapshot directory. */
export function transformApisAndLambda(dir: string): TransformContext {
  const ctx = newContext();
  for (const account of readdirSync(dir)
    .filter((d) => /^\d{12}$/.test(d))
    .sort()) {
    for (const region of readdirSync(path.join(dir, account))
      .filter((d) => d !== 'iam')
      .sort()) {
      const base = `${account}/${region}`;
      if (existsSync(path.join(dir, base, 'apigateway', 'rest-apis.json'))) {
        transformRestApis(ctx, account, region, readJson(`${base}/apigateway/rest-apis.json`, dir), restPerApi(dir, base));
      }
      if (existsSync(path.join(dir, base, 'apigatewayv2', 'apis.json'))) {
        transformHttpApis(ctx, account, region, readJson(`${base}/apigatewayv2/apis.json`, dir), httpPerApi(dir, base));
      }
      const functions = existsSync(path.join(dir, base, 'lambda', 'functions.json'))
        ? readJson(`${base}/lambda/functions.json`, dir)
        : undefined;
      const policies = lambdaPolicies(dir, base);
      if (functions || policies.length > 0) transformLambda(ctx, account, region, functions, policies);
    }
  }
  return ctx;
}

/** Issues as `file | path | message` lines, for messages that read well when an assertion fails. */
export function issueLines(issues: readonly IngestIssue[]): string[] {
  return issues.map((i) => `${i.file} | ${i.path} | ${i.message}`);
}

/** The only issue, asserting there is exactly one. */
export function only(issues: readonly IngestIssue[]): IngestIssue {
  if (issues.length !== 1) throw new Error(`expected exactly one issue, got ${issues.length}:\n${issueLines(issues).join('\n')}`);
  return issues[0] as IngestIssue;
}
