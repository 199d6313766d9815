/**
 * Dates for the `Date…` operators: "You must specify date/time values with one
 * of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX)
 * time." Epoch values are seconds. A time without a zone designator is read
 * as UTC (W3C requires the designator; we do not reject its absence).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 * https://www.w3.org/TR/NOTE-datetime
 */
const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;

/** Milliseconds since the epoch, or `undefined` when the text is not a date. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t) && !/^\d{4}$/.test(t)) return Number(t) * 1000;
  const m = ISO.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (frac !== undefined) ms += Math.floor(Number(`0.${frac}`) * 1000);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    ms -= sign * offset * 60_000;
  }
  const check = new Date(Date.UTC(Number(y), month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return ms;
}
