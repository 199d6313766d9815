/**
 * The tables of docs/graph-model.md, rendered from the declarations:
 * `npm run docs:model` writes them between the page's `<!-- model:… -->`
 * markers, and a unit test fails when the page is out of date.
 */
import { NODE_SCHEMAS, RELATIONSHIPS_IN_LOAD_ORDER } from './index';
import type { NodeSchema, RelationshipSchema } from './node';
import type { Properties, Property } from './property';

const code = (text: string) => `\`${text}\``;
/** A table cell: pipes would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|');
const labelsOf = (node: NodeSchema) => node.labels.map(code).join(' / ') + (node.sharedLabel ? ` (+${code(node.sharedLabel)})` : '');

function typeOf(property: Property): string {
  const base = property.values ? `one of ${property.values.map(code).join(', ')}` : property.type;
  return property.nullable ? `${base}, or null` : base;
}

function propertyTable(properties: Properties): string[] {
  return [
    '| property | type | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(properties).map(
      ([name, property]) => `| ${code(name)} | ${cell(typeOf(property))} | ${cell(property.description)} |`,
    ),
  ];
}

function nodesTable(): string[] {
  return [
    '| label | key | what it is | properties |',
    '| --- | --- | --- | --- |',
    ...NODE_SCHEMAS.map((node) => {
      const properties = Object.keys(node.properties).filter((name) => name !== 'key');
      return `| ${labelsOf(node)} | ${cell(node.properties.key?.description ?? '')} | ${cell(node.description)} | ${properties.map(code).join(', ')} |`;
    }),
  ];
}

const endsOf = (node: NodeSchema, relationship: RelationshipSchema) => {
  const here = labelsOf(node);
  const there = relationship.other.map(code).join(' / ');
  return relationship.direction === 'out' ? [here, there] : [there, here];
};

/** Every relationship with the node kind that declares it, in the order the loader writes them. */
const declaredRelationships = () =>
  RELATIONSHIPS_IN_LOAD_ORDER.map((relationship) => {
    const node = NODE_SCHEMAS.find((n) => Object.values(n.relationships).includes(relationship));
    if (!node) throw new Error(`relationship ${relationship.type} is declared by no node kind`);
    return { node, relationship };
  });

function relationshipsTable(): string[] {
  return [
    '| relationship | from | to | properties | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...declaredRelationships().map(({ node, relationship }) => {
      const [from, to] = endsOf(node, relationship);
      const properties = Object.keys(relationship.properties).map(code).join(', ');
      return `| ${code(relationship.type)} | ${from} | ${to} | ${properties} | ${cell(relationship.description)} |`;
    }),
  ];
}

function propertiesSection(): string[] {
  const lines: string[] = [];
  for (const node of NODE_SCHEMAS) lines.push(`### ${labelsOf(node)}`, '', node.description, '', ...propertyTable(node.properties), '');
  const seen = new Set<string>();
  for (const { relationship } of declaredRelationships()) {
    if (Object.keys(relationship.properties).length === 0 || seen.has(relationship.type)) continue;
    seen.add(relationship.type);
    lines.push(`### ${code(relationship.type)}`, '', ...propertyTable(relationship.properties), '');
  }
  return lines.slice(0, -1);
}

/** The generated blocks of docs/graph-model.md, by marker name. */
export const GRAPH_MODEL_DOCS: Readonly<Record<string, () => string[]>> = {
  nodes: nodesTable,
  relationships: relationshipsTable,
  properties: propertiesSection,
};

/** `<!-- model:NAME -->` … `<!-- /model:NAME -->`: the page with every generated block rendered afresh. */
export function renderGraphModelDocs(page: string): string {
  let out = page;
  for (const [name, render] of Object.entries(GRAPH_MODEL_DOCS)) {
    const open = `<!-- model:${name} (generated from src/model/schema by npm run docs:model) -->`;
    const close = `<!-- /model:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`docs/graph-model.md has no ${open} … ${close} block`);
    out = `${out.slice(0, start + open.length)}\n\n${render().join('\n')}\n\n${out.slice(end)}`;
  }
  return out;
}
