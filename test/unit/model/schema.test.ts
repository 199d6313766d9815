import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LINK_STEPS, NODE_STEPS } from '../../../src/ingest/load';
import { emptySnapshotRows, Label, Rel, ROW_FIELDS, schema, SharedLabel } from '../../../src/model';

const relationshipsOf = (node: schema.NodeSchema) => Object.values(node.relationships);

describe('node declarations (src/model/schema)', () => {
  it('declare every row kind once: a node kind or a relationship row kind', () => {
    for (const kind of Object.keys(emptySnapshotRows())) {
      const nodes = schema.NODE_SCHEMAS.filter((node) => node.rows === kind).length;
      const links = kind in schema.LINK_ROWS ? 1 : 0;
      assert.equal(nodes + links, 1, `row kind ${kind}`);
    }
    assert.deepEqual(Object.keys(ROW_FIELDS), Object.keys(emptySnapshotRows()));
  });

  it('declare every snapshot label and relationship type (the access index has its own)', () => {
    const index = ['Accessor', 'AccessClass', 'AccessSet', 'AccessTarget', 'Snapshot'];
    const declared = new Set(schema.NODE_SCHEMAS.flatMap((node) => node.labels));
    assert.deepEqual(
      Object.values(Label)
        .filter((label) => !index.includes(label))
        .filter((label) => !declared.has(label)),
      [],
    );
    const types = new Set(schema.NODE_SCHEMAS.flatMap((node) => relationshipsOf(node).map((r) => r.type)));
    const indexRels = ['IN_ACCESS_CLASS', 'HAS_ACCESS', 'ANSWERED_BY'];
    assert.deepEqual(
      Object.values(Rel).filter((type) => !indexRels.includes(type) && !types.has(type)),
      [],
    );
  });

  it('give every property, relationship and kind a one-line description, and every node a key', () => {
    for (const node of schema.NODE_SCHEMAS) {
      assert.ok(node.properties.key, `${node.labels.join('/')} has a key`);
      assert.equal(Object.keys(node.properties)[0], 'key', `${node.labels.join('/')}: key first`);
      for (const [name, property] of [
        ...Object.entries(node.properties),
        ...relationshipsOf(node).flatMap((r) => Object.entries(r.properties)),
      ]) {
        assert.match(property.description, /^\S[^\n]*$/, `${node.labels.join('/')}.${name}`);
      }
      assert.match(node.description, /^\S[^\n]*$/);
      for (const relationship of relationshipsOf(node)) assert.match(relationship.description, /^\S[^\n]*$/);
    }
  });

  it('list every declared relationship once in the load order', () => {
    const declared = schema.NODE_SCHEMAS.flatMap(relationshipsOf);
    assert.equal(new Set(schema.RELATIONSHIPS_IN_LOAD_ORDER).size, schema.RELATIONSHIPS_IN_LOAD_ORDER.length);
    assert.deepEqual(new Set(schema.RELATIONSHIPS_IN_LOAD_ORDER), new Set(declared));
  });

  it('load each relationship between the labels it declares', () => {
    for (const node of schema.NODE_SCHEMAS) {
      const own = [...node.labels, ...(node.sharedLabel ? [node.sharedLabel] : [])] as string[];
      for (const relationship of relationshipsOf(node)) {
        for (const step of relationship.load) {
          const [here, there] = relationship.direction === 'out' ? [step.from, step.to] : [step.to, step.from];
          for (const label of here) assert.ok(own.includes(label), `${relationship.type} ${step.name}: ${label} is ${own.join('/')}`);
          for (const label of there) {
            const other = relationship.other as readonly string[];
            assert.ok(other.includes(label), `${relationship.type} ${step.name}: ${label} in ${other.join('/')}`);
          }
          const fields = Object.keys(ROW_FIELDS[step.rows.kind as keyof typeof ROW_FIELDS]);
          if (step.rows.expand === undefined) {
            assert.ok(
              fields.includes(step.rows.fromField) && fields.includes(step.rows.toField),
              `${step.name}: fields of ${step.rows.kind}`,
            );
          }
          for (const property of Object.keys(relationship.properties)) assert.ok(fields.includes(property), `${step.name}: ${property}`);
        }
      }
    }
  });

  it('give every load step its own statement', () => {
    const steps = [...NODE_STEPS, ...LINK_STEPS];
    assert.equal(new Set(steps.map((s) => s.query.name)).size, steps.length);
    assert.ok(NODE_STEPS.some((s) => s.query.text.includes(`:${Label.User}:${SharedLabel.Principal} `)));
  });
});
