import { InvalidArgumentError } from 'commander';

/** Commander option parser for whole numbers ≥ 1, with a clear message. */
export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(value);
}
