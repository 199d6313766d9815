import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { ConfigError } from '../../../src/errors';
import { createApiToken } from '../../../src/security/apiTokens';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: '/repo', isTty: false });
  } catch (error) {
    assert.ok(error instanceof ConfigError, 'expected a ConfigError');
    return [...error.details];
  }
  return [];
}

describe('loadConfig', () => {
  it('has working defaults for a fresh machine: local Neo4j, loopback, port 4000', () => {
    const config = loadConfig({}, { cwd: '/repo', isTty: false });
    assert.equal(config.neo4j.uri, undefined);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.port, 4000);
    assert.equal(config.localNeo4j.boltPort, 7687);
    assert.equal(config.localNeo4j.home, '/repo/.whocan/neo4j');
    assert.equal(config.log.format, 'json');
    assert.equal(config.server.introspection, true);
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig(
      {
        NEO4J_URI: 'neo4j+s://db.example:7687',
        NEO4J_USER: 'u',
        NEO4J_PASSWORD: 'secret-pass',
        NEO4J_DATABASE: 'access',
        PORT: '8080',
        HOST: '0.0.0.0',
        WHOCAN_API_TOKENS: createApiToken('reader').entry,
        LOG_LEVEL: 'DEBUG',
        NODE_ENV: 'production',
      },
      { cwd: '/repo', isTty: true },
    );
    assert.equal(config.neo4j.uri, 'neo4j+s://db.example:7687');
    assert.equal(config.neo4j.user, 'u');
    assert.equal(config.neo4j.password, 'secret-pass');
    assert.equal(config.neo4j.database, 'access');
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.log.level, 'debug');
    assert.equal(config.log.format, 'pretty');
    assert.equal(config.server.introspection, false, 'production turns introspection off by default');
    assert.equal(config.server.apiTokens.length, 1);
  });

  it('never allows an unauthenticated non-loopback interface', () => {
    assert.match(problemsOf({ HOST: '0.0.0.0' }).join(), /HOST="0.0.0.0" is reachable from other machines, and no API token is configured/);
    assert.deepEqual(problemsOf({ HOST: '127.0.0.2' }), []);
    assert.deepEqual(problemsOf({ HOST: '::1' }), []);
  });

  it('names a malformed token entry by position without echoing it', () => {
    const problems = problemsOf({ WHOCAN_API_TOKENS: `${createApiToken('admin').entry},reader:oops-secret-ish` });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /WHOCAN_API_TOKENS entry 2: expected role:id:salt:hash/);
    assert.doesNotMatch(problems[0] ?? '', /oops-secret-ish/);
  });

  it('reports every problem at once, naming each variable and what was expected', () => {
    const problems = problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      NEO4J_URI: 'http://x',
      WHOCAN_NEO4J_HEAP: 'lots',
      WHOCAN_INTROSPECTION: 'maybe',
    });
    assert.equal(problems.length, 6, problems.join('\n'));
    assert.match(problems.join('\n'), /PORT="abc": expected a whole number from 0 to 65535/);
    assert.match(problems.join('\n'), /LOG_LEVEL="loud": expected one of fatal, error/);
    assert.match(problems.join('\n'), /NEO4J_URI="http:\/\/x": expected a URI such as bolt:\/\/host:7687/);
    assert.match(problems.join('\n'), /NEO4J_PASSWORD is not set/);
    assert.match(problems.join('\n'), /WHOCAN_NEO4J_HEAP="lots": expected a size/);
    assert.match(problems.join('\n'), /WHOCAN_INTROSPECTION="maybe": expected true or false/);
  });

  it('refuses out-of-range ports and short passwords', () => {
    assert.equal(problemsOf({ PORT: '70000' }).length, 1);
    assert.match(problemsOf({ NEO4J_PASSWORD: 'short' }).join(), /at least 8 characters/);
    assert.deepEqual(problemsOf({ PORT: '0' }), []);
  });

  it('reads the API limits, with defaults, and refuses values out of range', () => {
    const defaults = loadConfig({}, { cwd: '/repo', isTty: false }).server;
    assert.deepEqual(
      {
        requestTimeoutMs: defaults.requestTimeoutMs,
        maxQueryDepth: defaults.maxQueryDepth,
        maxQueryCost: defaults.maxQueryCost,
        maxPageSize: defaults.maxPageSize,
      },
      { requestTimeoutMs: 30_000, maxQueryDepth: 12, maxQueryCost: 50_000, maxPageSize: 100 },
    );
    const set = loadConfig(
      { WHOCAN_REQUEST_TIMEOUT_MS: '5000', WHOCAN_MAX_QUERY_DEPTH: '8', WHOCAN_MAX_QUERY_COST: '2000', WHOCAN_MAX_PAGE_SIZE: '50' },
      { cwd: '/repo', isTty: false },
    ).server;
    assert.deepEqual([set.requestTimeoutMs, set.maxQueryDepth, set.maxQueryCost, set.maxPageSize], [5_000, 8, 2_000, 50]);
    const problems = problemsOf({
      WHOCAN_REQUEST_TIMEOUT_MS: '5',
      WHOCAN_MAX_QUERY_DEPTH: 'deep',
      WHOCAN_MAX_QUERY_COST: '0',
      WHOCAN_MAX_PAGE_SIZE: '100000',
    });
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /WHOCAN_REQUEST_TIMEOUT_MS="5": expected a whole number from 100 to 3600000/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_QUERY_DEPTH="deep": expected a whole number from 2 to 100/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_QUERY_COST="0": expected a whole number from 10 to 10000000/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_PAGE_SIZE="100000": expected a whole number from 1 to 10000/);
  });

  it('keeps the API server defaults in step with the configuration defaults', async () => {
    const { DEFAULT_API_LIMITS } = await import('../../../src/api/limits');
    const server = loadConfig({}, { cwd: '/repo', isTty: false }).server;
    assert.deepEqual(DEFAULT_API_LIMITS, {
      requestTimeoutMs: server.requestTimeoutMs,
      maxQueryDepth: server.maxQueryDepth,
      maxQueryCost: server.maxQueryCost,
      maxPageSize: server.maxPageSize,
      maxQueryTokens: server.maxQueryTokens,
      maxAliases: server.maxAliases,
      maxRootFields: server.maxRootFields,
      maxRequestConnections: server.maxRequestConnections,
      maxRulesBytes: server.maxRulesBytes,
      maxRules: server.maxRules,
      maxReviewListed: server.maxReviewListed,
    });
  });

  it('reads the limits of the review query (rules text size, rules, accesses listed), with defaults, and refuses values out of range', () => {
    const defaults = loadConfig({}, { cwd: '/repo', isTty: false }).server;
    assert.deepEqual([defaults.maxRulesBytes, defaults.maxRules, defaults.maxReviewListed], [262_144, 200, 10_000]);
    const set = loadConfig(
      { WHOCAN_MAX_RULES_BYTES: '4096', WHOCAN_MAX_RULES: '5', WHOCAN_MAX_REVIEW_LISTED: '300' },
      { cwd: '/repo', isTty: false },
    ).server;
    assert.deepEqual([set.maxRulesBytes, set.maxRules, set.maxReviewListed], [4096, 5, 300]);
    const problems = problemsOf({ WHOCAN_MAX_RULES_BYTES: '100', WHOCAN_MAX_RULES: '0', WHOCAN_MAX_REVIEW_LISTED: 'many' });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /WHOCAN_MAX_RULES_BYTES="100": expected a whole number from 1024 to 16777216/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_RULES="0": expected a whole number from 1 to 10000/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_REVIEW_LISTED="many": expected a whole number from 1 to 1000000/);
  });

  it('reads the hostile-input limits (tokens, aliases, root fields, connections per request), with defaults, and refuses values out of range', () => {
    const defaults = loadConfig({}, { cwd: '/repo', isTty: false }).server;
    assert.deepEqual(
      [defaults.maxQueryTokens, defaults.maxAliases, defaults.maxRootFields, defaults.maxRequestConnections],
      [5_000, 30, 20, 4],
    );
    const set = loadConfig(
      { WHOCAN_MAX_QUERY_TOKENS: '800', WHOCAN_MAX_ALIASES: '0', WHOCAN_MAX_ROOT_FIELDS: '3', WHOCAN_MAX_REQUEST_CONNECTIONS: '2' },
      { cwd: '/repo', isTty: false },
    ).server;
    assert.deepEqual([set.maxQueryTokens, set.maxAliases, set.maxRootFields, set.maxRequestConnections], [800, 0, 3, 2]);
    const problems = problemsOf({
      WHOCAN_MAX_QUERY_TOKENS: '10',
      WHOCAN_MAX_ALIASES: '-1',
      WHOCAN_MAX_ROOT_FIELDS: '0',
      WHOCAN_MAX_REQUEST_CONNECTIONS: '101',
    });
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /WHOCAN_MAX_QUERY_TOKENS="10": expected a whole number from 100 to 1000000/);
    assert.match(problems.join('\n'), /WHOCAN_MAX_REQUEST_CONNECTIONS="101": expected a whole number from 1 to 100/);
  });
});
