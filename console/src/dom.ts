/**
 * The console builds every element with DOM APIs: text goes in as text nodes
 * (textContent), never as HTML, so nothing from a policy document, an ARN or
 * an error message can become markup. test/unit/console/safeDom.test.ts
 * checks that no source file, and no part of the bundle, uses a DOM API that
 * parses HTML.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  id?: string;
  href?: string;
  type?: string;
  name?: string;
  value?: string;
  title?: string;
  role?: string;
  for?: string;
  placeholder?: string;
  scope?: string;
  colspan?: number;
  tabindex?: number;
  disabled?: boolean;
  checked?: boolean;
  hidden?: boolean;
  selected?: boolean;
  autocomplete?: string;
  /** aria-* and data-* attributes, by their full names. */
  [attribute: `aria-${string}` | `data-${string}`]: string | undefined;
  /** Event handlers; one that returns a promise (loads more, for instance) is awaited, and a failure it did not handle goes to the browser's console. */
  on?: { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void | Promise<void> };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value as Record<string, (event: Event) => void | Promise<void>>)) {
        el.addEventListener(event, (e) => {
          const done = handler(e);
          if (done instanceof Promise) done.catch((error: unknown) => console.error(error));
        });
      }
    } else if (key === 'class') {
      el.className = String(value);
    } else if (key === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden') {
      (el as unknown as Record<string, boolean>)[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A link inside the console (a hash route). */
export function link(href: string, text: Child, attrs: Attrs = {}): HTMLAnchorElement {
  return h('a', { ...attrs, href }, text);
}

/** A labelled form field: label and control, tied by id. */
let fieldCounter = 0;
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null,
  );
}

export function select(name: string, options: readonly (readonly [value: string, label: string])[], value: string): HTMLSelectElement {
  return h('select', { name }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

/**
 * Renders a long list into `tbody` in chunks: the first `firstChunk` rows at
 * once (what the user sees), the rest on later animation frames, so a page
 * of thousands of rows never blocks the browser. Returns when every row is in.
 */
export async function renderRows<T>(
  tbody: HTMLTableSectionElement,
  items: readonly T[],
  row: (item: T, index: number) => HTMLTableRowElement,
  firstChunk = 100,
  chunk = 500,
): Promise<void> {
  tbody.replaceChildren();
  let index = 0;
  const step = (count: number) => {
    const fragment = document.createDocumentFragment();
    const end = Math.min(items.length, index + count);
    for (; index < end; index++) fragment.appendChild(row(items[index]!, index));
    tbody.appendChild(fragment);
  };
  step(firstChunk);
  while (index < items.length) {
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    if (!tbody.isConnected) return;
    step(chunk);
  }
}
