import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { schema } from '../../../src/model';
import { GRAPH_MODEL_DOCS, renderGraphModelDocs } from '../../../src/model/schema/markdown';

const PAGE = path.join(__dirname, '../../../../docs/graph-model.md');

describe('docs/graph-model.md', () => {
  const page = readFileSync(PAGE, 'utf8');

  it('has the tables the node declarations give (run `npm run docs:model` after changing src/model/schema)', () => {
    assert.equal(page, renderGraphModelDocs(page));
  });

  it('documents every label, key, property and relationship with its declared description', () => {
    for (const node of schema.NODE_SCHEMAS) {
      for (const label of node.labels) assert.ok(page.includes(`\`${label}\``), label);
      for (const [name, property] of Object.entries(node.properties)) {
        assert.ok(page.includes(`| \`${name}\` |`), `${node.labels[0]}.${name}`);
        assert.ok(page.includes(property.description.replace(/\|/g, '\\|')), `${node.labels[0]}.${name}: ${property.description}`);
      }
      for (const relationship of Object.values(node.relationships)) {
        assert.ok(page.includes(`| \`${relationship.type}\` |`), relationship.type);
        assert.ok(page.includes(relationship.description.replace(/\|/g, '\\|')), relationship.description);
      }
    }
    assert.deepEqual(Object.keys(GRAPH_MODEL_DOCS), ['nodes', 'relationships', 'properties']);
  });
});
