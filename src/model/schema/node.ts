/**
 * The shape of a node kind's declaration (Cartography's node schemas): its
 * labels, its key, its properties with types and descriptions, how the
 * ingest writes it, and the relationships its rows make. The row types
 * (src/model/rows.ts), the loader's Cypher (src/ingest/load.ts), the read-back
 * (src/ingest/graphRows.ts), the browse projections and the tables of
 * docs/graph-model.md all derive from these declarations.
 */
import type { LabelName, RelName, SharedLabelName } from '../graph';
import type { Properties } from './property';

/** One `UNWIND $rows … MERGE` step of the loader. */
export interface NodeLoadStep {
  /** Shown in progress output. */
  readonly name: string;
  /** Names the Cypher statement: `ingest.upsert.<query>`. */
  readonly query: string;
  /** Every label the node gets: its own first, then the shared ones. */
  readonly labels: readonly [LabelName, ...SharedLabelName[]];
  /** Only the rows whose field has this value. */
  readonly where?: { readonly field: string; readonly equals: string };
}

/** Which rows of a kind a relationship step writes. */
export type RowFilter =
  | { readonly field: string; readonly equals: string }
  | { readonly field: string; readonly contains: string }
  | { readonly field: string; readonly isNull: true }
  | { readonly field: string; readonly notNull: true };

/** One `UNWIND $rows … MATCH … MATCH … MERGE` step of the loader (missing ends are skipped). */
export interface RelationshipLoadStep {
  /** Shown in progress output. */
  readonly name: string;
  /** Names the Cypher statement: `ingest.link.<query>`. */
  readonly query: string;
  /** The start node's label; several: any of them. */
  readonly from: readonly LabelName[];
  readonly to: readonly LabelName[];
  /** The rows it is written from: the row kind, the fields holding the start and end keys, which rows. */
  readonly rows: {
    readonly kind: string;
    readonly fromField: string;
    readonly toField: string;
    readonly where?: readonly RowFilter[];
    /** Each row stands for one relationship per value of this list field (`from` = the row's key, `to` = the value). */
    readonly expand?: string;
  };
}

export interface RelationshipSchema {
  readonly type: RelName;
  /** `out`: (this)-[:type]->(other); `in`: (other)-[:type]->(this). */
  readonly direction: 'out' | 'in';
  /** The labels at the other end. */
  readonly other: readonly (LabelName | SharedLabelName)[];
  /** One line: what the relationship says. */
  readonly description: string;
  /** Stored on the relationship, from the row field of the same name. */
  readonly properties: Properties;
  readonly load: readonly RelationshipLoadStep[];
}

export interface NodeSchema {
  /** The labels of this kind (one, or one per sub-kind such as RestApi / HttpApi). */
  readonly labels: readonly LabelName[];
  /** The label shared by its sub-kinds or with other kinds (Principal, Api), if any. */
  readonly sharedLabel?: SharedLabelName;
  /** One line: what a node of this kind stands for. */
  readonly description: string;
  /** The `SnapshotRows` kind holding its rows; null when the loader derives them (service principals). */
  readonly rows: string | null;
  /** Every property, `key` first. */
  readonly properties: Properties;
  readonly load: readonly NodeLoadStep[];
  /** The relationships its rows make, by name. */
  readonly relationships: Readonly<Record<string, RelationshipSchema>>;
}

/** Checks a declaration against NodeSchema while keeping its literal types (for `RowOf`). */
export const defineNode = <const S extends NodeSchema>(schema: S): S => schema;

/** A relationship row kind: rows that are not nodes but the ends (and properties) of relationships. */
export interface LinkRowsSchema {
  readonly description: string;
  readonly fields: Properties;
}

export const defineLinkRows = <const S extends LinkRowsSchema>(schema: S): S => schema;

/** A relationship written by one load step; the other end is the step's start (`in`) or end (`out`). */
export function relationship(type: RelName, direction: 'in' | 'out', description: string, step: RelationshipLoadStep): RelationshipSchema {
  return { type, direction, other: direction === 'in' ? step.from : step.to, description, properties: {}, load: [step] };
}
