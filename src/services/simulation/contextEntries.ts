import { parseDate, parseIpRange, type ContextValue } from '../../policy';
import { childPath, type Problems } from './readRequest';
import type { ContextEntry } from './types';

/**
 * Converts AWS `ContextEntries` into request-context values, checking each
 * value against its `ContextKeyType` (AWS: string, stringList, numeric,
 * numericList, boolean, booleanList, ip, ipList, binary, binaryList, date,
 * dateList). Non-list types take exactly one value.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html
 */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkValue(type: string, value: string): string | undefined {
  switch (type.replace(/List$/, '')) {
    case 'numeric':
      return NUMBER.test(value.trim()) ? undefined : `expected a number, got ${JSON.stringify(value)}`;
    case 'boolean':
      return /^(true|false)$/i.test(value) ? undefined : `expected "true" or "false", got ${JSON.stringify(value)}`;
    case 'ip':
      return parseIpRange(value) ? undefined : `expected an IPv4 or IPv6 address, got ${JSON.stringify(value)}`;
    case 'binary':
      return BASE64.test(value) ? undefined : `expected a base-64 value, got ${JSON.stringify(value)}`;
    case 'date':
      return parseDate(value) !== undefined ? undefined : `expected an ISO 8601 date or epoch seconds, got ${JSON.stringify(value)}`;
    default:
      return undefined;
  }
}

export function contextValuesFromEntries(entries: readonly ContextEntry[], path: string, p: Problems): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  entries.forEach((e, i) => {
    const ePath = childPath(path, i);
    const key = e.ContextKeyName.toLowerCase();
    if (map.has(key))
      p.add(
        childPath(ePath, 'ContextKeyName'),
        `${JSON.stringify(e.ContextKeyName)} is given more than once (key names are case-insensitive)`,
      );
    const isList = e.ContextKeyType.endsWith('List');
    if (!isList && e.ContextKeyValues.length !== 1) {
      p.add(
        childPath(ePath, 'ContextKeyValues'),
        `a ${e.ContextKeyType} key takes exactly one value (use ${e.ContextKeyType}List for several), got ${e.ContextKeyValues.length}`,
      );
    }
    e.ContextKeyValues.forEach((v, j) => {
      const message = checkValue(e.ContextKeyType, v);
      if (message !== undefined) p.add(childPath(childPath(ePath, 'ContextKeyValues'), j), message);
    });
    map.set(key, { values: e.ContextKeyValues, isList });
  });
  return map;
}
