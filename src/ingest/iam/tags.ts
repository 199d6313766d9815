import { describe, type JsonReader } from '../reader';

/** Tags [{Key, Value}] → a JSON object (keys sorted, so pages that list them in another order agree); undefined after a problem. */
export function readTags(entry: JsonReader): string | undefined {
  const tags: Record<string, string> = {};
  let ok = true;
  for (const tag of entry.optList('Tags')) {
    if (!tag.expectObject()) {
      ok = false;
      continue;
    }
    const key = tag.str('Key');
    const value = tag.at('Value');
    if (typeof value.value !== 'string') {
      value.problem(value.value === undefined ? 'required field is missing' : `expected a string, got ${describe(value.value)}`);
      ok = false;
      continue;
    }
    if (key === undefined) {
      ok = false;
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(tags, key)) {
      tag.at('Key').problem(`tag ${key} appears twice`);
      ok = false;
      continue;
    }
    tags[key] = value.value;
  }
  if (!ok) return undefined;
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(tags).sort()) sorted[name] = tags[name] as string;
  return JSON.stringify(sorted);
}
