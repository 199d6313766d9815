import assert from 'node:assert/strict';

/**
 * Checks that a document is well-formed XML 1.0 as far as reports need:
 * one declaration, balanced and properly nested elements, quoted attribute
 * values without `<`, only the predefined or numeric entities, and no
 * character XML forbids. (No XML parser ships with Node.)
 */
export function checkWellFormedXml(xml: string): void {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/, 'no character XML 1.0 forbids');
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  let roots = 0;
  while ((match = token.exec(body)) !== null) {
    at = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = match;
    const checkEntities = (s: string) => {
      for (const amp of s.matchAll(/&([^;\s]*);?/g))
        assert.match(amp[0], /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `entity ${amp[0]}`);
    };
    if (text !== undefined) {
      assert.ok(stack.length > 0 || text.trim() === '', `text outside the root element: ${text.slice(0, 40)}`);
      assert.doesNotMatch(text, />/, 'a raw > in text would be legal, but the renderers escape it');
      checkEntities(text);
      continue;
    }
    checkEntities(attrs ?? '');
    const names = [...(attrs ?? '').matchAll(/([A-Za-z_][\w.-]*)=/g)].map((m) => m[1]);
    assert.equal(new Set(names).size, names.length, `duplicate attribute in <${name}>`);
    if (close) {
      assert.equal(stack.pop(), name, `</${name}> closes the element that is open`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  assert.equal(at, body.length, `unparsable XML at: ${body.slice(at, at + 60)}`);
  assert.deepEqual(stack, [], 'every element is closed');
  assert.equal(roots, 1, 'one root element');
}
