/**
 * The building blocks of the node and relationship declarations: a property
 * has a type and a one-line description, and carries (for the compiler only)
 * the TypeScript type of the row field, so row types are inferred from the
 * declarations (`RowOf`).
 */

/** How a property is stored in Neo4j. `JSON` is a string holding JSON. */
export type PropertyType = 'string' | 'integer' | 'boolean' | 'string list' | 'JSON';

export interface Property<T = unknown> {
  readonly type: PropertyType;
  /** Absent (null in rows) when the input does not say. */
  readonly nullable: boolean;
  /** The only values a string may take, when there is a closed set. */
  readonly values?: readonly string[];
  /** One line, shown in docs/graph-model.md. */
  readonly description: string;
  /** Never set: the row field's TypeScript type, for `RowOf`. */
  readonly rowType?: T;
}

export type Properties = Readonly<Record<string, Property>>;

/** The row a set of declared properties describes: each field with its declared type. */
export type RowOf<P extends Properties> = { -readonly [K in keyof P]: P[K] extends Property<infer T> ? T : never };

const property = <T>(type: PropertyType, nullable: boolean, description: string, values?: readonly string[]): Property<T> =>
  values ? { type, nullable, description, values } : { type, nullable, description };

export const text = (description: string) => property<string>('string', false, description);
export const optionalText = (description: string) => property<string | null>('string', true, description);
export const integer = (description: string) => property<number>('integer', false, description);
export const optionalInteger = (description: string) => property<number | null>('integer', true, description);
export const flag = (description: string) => property<boolean>('boolean', false, description);
export const optionalFlag = (description: string) => property<boolean | null>('boolean', true, description);
export const textList = (description: string) => property<string[]>('string list', false, description);
export const optionalTextList = (description: string) => property<string[] | null>('string list', true, description);
export const json = (description: string) => property<string>('JSON', false, description);
export const optionalJson = (description: string) => property<string | null>('JSON', true, description);
/** A string from a closed set of values. */
export const oneOf = <const V extends string>(values: readonly V[], description: string) =>
  property<V>('string', false, description, values);
