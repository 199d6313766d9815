import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { packageRoot } from '../../../src/config/paths';

const root = packageRoot();
const composeFile = path.join(root, 'docker-compose.yml');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(composeFile, 'utf8')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };

  it('runs the official Neo4j 5.26 Community image with a health check and a volume', () => {
    const neo4j = compose.services['neo4j'];
    assert.equal(neo4j?.image, 'neo4j:5.26-community');
    assert.ok(neo4j?.healthcheck?.test.join(' ').includes('cypher-shell'));
    assert.ok(neo4j?.volumes?.some((v) => v.startsWith('neo4j-data:/data')));
    assert.ok('neo4j-data' in compose.volumes);
  });

  it('builds the whocan API from the multi-stage Dockerfile, wired by environment variables', () => {
    const api = compose.services['whocan'];
    assert.equal(api?.build?.dockerfile, 'Dockerfile');
    assert.equal(api?.environment?.['NEO4J_URI'], 'bolt://neo4j:7687');
    for (const name of ['NEO4J_USER', 'NEO4J_PASSWORD', 'HOST', 'PORT', 'WHOCAN_API_TOKENS'])
      assert.ok(api?.environment && name in api.environment, name);
    assert.equal(api?.depends_on?.['neo4j']?.condition, 'service_healthy');
    assert.ok(
      api?.ports?.every((p) => p.startsWith('127.0.0.1:')),
      'published on the host loopback only',
    );
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    assert.equal(dockerfile.match(/^FROM /gm)?.length, 2, 'two stages');
  });

  it('passes `docker compose config` where a compose client is installed', (t) => {
    const candidates: [string, string[]][] = [
      ['docker', ['compose']],
      ['docker-compose', []],
    ];
    for (const [command, prefix] of candidates) {
      const probe = spawnSync(command, [...prefix, 'version'], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) continue;
      const result = spawnSync(command, [...prefix, '-f', composeFile, 'config', '-q'], {
        encoding: 'utf8',
        env: { ...process.env, NEO4J_PASSWORD: 'compose-check-pw' },
      });
      assert.equal(result.status, 0, result.stderr);
      return;
    }
    t.skip('no docker compose client on this machine');
  });
});
