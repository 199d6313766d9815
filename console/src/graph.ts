import cytoscape from 'cytoscape';
import cytoscapeDagre from 'cytoscape-dagre';
import cytoscapeSvg from 'cytoscape-svg';
import { h, replace } from './dom';
import type { GraphModel, NodeKind } from './graphModel';

cytoscape.use(cytoscapeDagre);
cytoscape.use(cytoscapeSvg);

/**
 * Access paths drawn as a graph with Cytoscape.js: user → group → policy →
 * statement → method; role → role chains (each assumption with its trust
 * statement); the API's resource policy statement; method → the role its
 * integration runs as → the Lambda function. Every edge carries its
 * statement and, when it has them, its conditions. A list beside the
 * drawing holds the same nodes and edges as text: it is what keyboards and
 * screen readers use, and selecting an entry there selects it in the graph.
 */
const COLORS: Record<NodeKind, string> = {
  user: '#1d4ed8',
  group: '#0f766e',
  role: '#7c3aed',
  policy: '#b45309',
  statement: '#92400e',
  method: '#047857',
  function: '#be123c',
  account: '#374151',
  service: '#374151',
  anonymous: '#b91c1c',
  api: '#047857',
  other: '#374151',
};

const SHAPES: Record<NodeKind, cytoscape.Css.NodeShape> = {
  user: 'ellipse',
  group: 'round-rectangle',
  role: 'diamond',
  policy: 'rectangle',
  statement: 'tag',
  method: 'hexagon',
  function: 'octagon',
  account: 'barrel',
  service: 'barrel',
  anonymous: 'star',
  api: 'hexagon',
  other: 'ellipse',
};

export interface DrawnGraph {
  cy: cytoscape.Core;
  destroy(): void;
}

/** Draws the model into `container` and fills `list` with the same nodes and edges as text. */
export function drawGraph(container: HTMLElement, list: HTMLElement, model: GraphModel): DrawnGraph {
  const large = model.nodes.size + model.edges.size > 400;
  const cy = cytoscape({
    container,
    elements: [
      ...[...model.nodes.values()].map((n) => ({
        group: 'nodes' as const,
        data: { id: n.id, label: n.label, kind: n.kind, color: COLORS[n.kind], shape: SHAPES[n.kind] },
      })),
      ...[...model.edges.values()].map((e) => ({
        group: 'edges' as const,
        data: { id: e.id, source: e.source, target: e.target, label: e.label },
        classes: e.conditional ? 'conditional' : '',
      })),
    ],
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(color)',
          shape: 'data(shape)' as unknown as cytoscape.Css.NodeShape,
          label: 'data(label)',
          color: '#111827',
          'font-size': 11,
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'text-wrap': 'wrap',
          'text-overflow-wrap': 'anywhere',
          'text-max-width': '130px',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': '2px',
          width: 22,
          height: 22,
        },
      },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': '#6b7280',
          'target-arrow-color': '#6b7280',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: large ? '' : 'data(label)',
          'font-size': 9,
          color: '#1f2937',
          'text-rotation': 'autorotate',
          'text-wrap': 'wrap',
          'text-max-width': '110px',
          'text-margin-y': -8,
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.9,
          'text-background-padding': '1px',
        },
      },
      { selector: 'edge.conditional', style: { 'line-style': 'dashed', 'line-color': '#b45309', 'target-arrow-color': '#b45309' } },
      {
        selector: ':selected',
        style: {
          'border-width': 3,
          'border-color': '#f59e0b',
          'line-color': '#f59e0b',
          'target-arrow-color': '#f59e0b',
          label: 'data(label)',
        },
      },
    ],
    // Dagre ranks a directed graph in layers, left to right: callers on the left, the method and
    // its function on the right, each node after everything that leads to it.
    layout: { name: 'dagre', rankDir: 'LR', nodeSep: 45, rankSep: 150, edgeSep: 12, padding: 20 } as cytoscape.LayoutOptions,
    minZoom: 0.05,
    maxZoom: 2.5,
    // Large graphs stay interactive: no labels or edges redrawn while panning and zooming.
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : 'auto',
  });

  // The drawing as tall as the graph needs at the width it has (a few paths need little room).
  const bb = cy.elements().boundingBox();
  const width = Math.max(200, container.clientWidth - 40);
  const scale = Math.min(1.4, width / Math.max(1, bb.w));
  container.style.height = `${Math.round(Math.min(640, Math.max(220, bb.h * scale + 60)))}px`;
  cy.resize();
  cy.fit(undefined, 20);

  const items = new Map<string, HTMLButtonElement>();
  const select = (id: string) => {
    cy.elements().unselect();
    cy.getElementById(id).select();
    for (const [key, button] of items) button.setAttribute('aria-pressed', String(key === id));
  };
  cy.on('select', 'node, edge', (event) => {
    const id = (event.target as cytoscape.SingularElementArgument).id();
    for (const [key, button] of items) button.setAttribute('aria-pressed', String(key === id));
  });
  const nodeItems = [...model.nodes.values()].map((n) => {
    const button = h(
      'button',
      { type: 'button', class: `graph-item kind-${n.kind}`, 'aria-pressed': 'false', title: n.id, on: { click: () => select(n.id) } },
      n.label,
    );
    items.set(n.id, button);
    return h('li', { 'data-node': n.id, 'data-label': n.label, 'data-kind': n.kind }, button);
  });
  const edgeItems = [...model.edges.values()].map((e) => {
    const from = model.nodes.get(e.source)?.label ?? e.source;
    const to = model.nodes.get(e.target)?.label ?? e.target;
    const button = h(
      'button',
      { type: 'button', class: 'graph-item', 'aria-pressed': 'false', on: { click: () => select(e.id) } },
      `${from} — ${e.label} → ${to}`,
    );
    items.set(e.id, button);
    return h(
      'li',
      { 'data-edge': e.id, 'data-from': from, 'data-to': to, 'data-label': e.label },
      button,
      e.details.length > 0 ? h('ul', { class: 'details' }, ...e.details.map((d) => h('li', {}, d))) : null,
    );
  });
  replace(
    list,
    h('h4', {}, `Nodes (${model.nodes.size})`),
    h('ul', { class: 'graph-nodes' }, ...nodeItems),
    h('h4', {}, `Edges (${model.edges.size}): each hop with its statement and conditions`),
    h('ul', { class: 'graph-edges' }, ...edgeItems),
  );
  return { cy, destroy: () => cy.destroy() };
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url });
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportSvg(cy: cytoscape.Core, name: string): void {
  // The SVG writer (canvas2svg) cannot draw label backgrounds: they are left out of the SVG.
  cy.elements().style({ 'text-background-opacity': 0 });
  let svg: string;
  try {
    svg = (cy as unknown as { svg(options: Record<string, unknown>): string }).svg({ full: true, scale: 1, bg: '#ffffff' });
  } finally {
    cy.elements().removeStyle('text-background-opacity');
  }
  download(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
}

export function exportPng(cy: cytoscape.Core, name: string): void {
  const blob = cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
  download(blob, `${name}.png`);
}

/**
 * A panel with the drawing, the export buttons and the text list. `cap`
 * bounds what is drawn (the caller draws only selected principals).
 */
export function graphPanel(
  title: string,
  fileName: string,
): { element: HTMLElement; show(model: GraphModel, note?: string): void; clear(message: string): void } {
  const canvas = h('div', {
    class: 'graph-canvas',
    role: 'img',
    'aria-label': `${title}: the same nodes and edges are listed below the drawing`,
  });
  const list = h('div', { class: 'graph-list' });
  const note = h('p', { class: 'muted graph-note' });
  let drawn: DrawnGraph | undefined;
  const svgButton = h(
    'button',
    { type: 'button', disabled: true, on: { click: () => void (drawn && exportSvg(drawn.cy, fileName)) } },
    'Export SVG',
  );
  const pngButton = h(
    'button',
    { type: 'button', disabled: true, on: { click: () => void (drawn && exportPng(drawn.cy, fileName)) } },
    'Export PNG',
  );
  const fit = h('button', { type: 'button', disabled: true, on: { click: () => void drawn?.cy.fit(undefined, 20) } }, 'Fit');
  const element = h(
    'section',
    { class: 'graph-panel', 'aria-label': title },
    h('div', { class: 'graph-toolbar' }, h('h3', {}, title), h('div', { class: 'actions' }, fit, svgButton, pngButton)),
    note,
    canvas,
    list,
  );
  return {
    element,
    show(model, text) {
      drawn?.destroy();
      drawn = drawGraph(canvas, list, model);
      note.textContent = text ?? '';
      for (const b of [svgButton, pngButton, fit]) b.disabled = false;
      element.dataset['nodes'] = String(model.nodes.size);
      element.dataset['edges'] = String(model.edges.size);
    },
    clear(message) {
      drawn?.destroy();
      drawn = undefined;
      canvas.replaceChildren();
      replace(list);
      note.textContent = message;
      for (const b of [svgButton, pngButton, fit]) b.disabled = true;
      element.dataset['nodes'] = '0';
      element.dataset['edges'] = '0';
    },
  };
}
