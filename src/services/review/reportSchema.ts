import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../config/paths';
import { checkSupportedKeywords, validateJson, type JsonSchema, type SchemaProblem } from './jsonSchema';

/**
 * The JSON Schema of `whocan review --json` reports, shipped in
 * schema/review-report.schema.json for whoever reads the reports (a CI step,
 * a dashboard); checked by the same validator as rules files.
 */
export function reviewReportSchemaPath(): string {
  return path.join(packageRoot(), 'schema', 'review-report.schema.json');
}

let schemaCache: JsonSchema | undefined;

export function reviewReportSchema(): JsonSchema {
  if (!schemaCache) {
    const schema = JSON.parse(readFileSync(reviewReportSchemaPath(), 'utf8')) as JsonSchema;
    checkSupportedKeywords(schema);
    schemaCache = schema;
  }
  return schemaCache;
}

/** What makes a (parsed) report not fit the schema; empty when it fits. */
export function reviewReportProblems(report: unknown): SchemaProblem[] {
  return validateJson(report, reviewReportSchema());
}
