import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../connection';

export enum SnapshotStateValue {
  LOADING = 'loading',
  COMPLETE = 'complete',
  DELETING = 'deleting',
}
registerEnumType(SnapshotStateValue, {
  name: 'SnapshotState',
  description: 'Where a snapshot is in its life.',
  valuesConfig: {
    LOADING: { description: 'An ingest is writing it (or died while writing it; the next ingest removes it). Not queryable.' },
    COMPLETE: { description: 'Every row is written: queryable, and possibly the current snapshot.' },
    DELETING: { description: 'Being deleted (or a deletion was interrupted: deleteSnapshot again finishes it). Not queryable.' },
  },
});

@ObjectType({ description: 'One ingest of AWS CLI output: every fact whocan answers from belongs to exactly one snapshot.' })
export class Snapshot {
  @Field(() => String, { description: 'The snapshot id (20261125T051500Z-3fa1): the time the ingest started, and a random suffix.' })
  id!: string;

  @Field(() => SnapshotStateValue, { description: 'Loading, complete or being deleted.' })
  state!: SnapshotStateValue;

  @Field(() => Boolean, { description: 'True on the one complete snapshot that queries read by default.' })
  current!: boolean;

  @Field(() => String, { nullable: true, description: 'The directory the snapshot was loaded from, on the machine that ran the ingest.' })
  source!: string | null;

  @Field(() => String, { description: 'When the ingest started (ISO 8601).' })
  startedAt!: string;

  @Field(() => String, { nullable: true, description: 'When the ingest completed (ISO 8601); null while loading.' })
  completedAt!: string | null;

  @Field(() => Int, { nullable: true, name: 'nodeCount', description: 'How many nodes the ingest wrote.' })
  nodes!: number | null;

  @Field(() => Int, { nullable: true, name: 'relationshipCount', description: 'How many relationships the ingest wrote.' })
  links!: number | null;

  @Field(() => Int, {
    nullable: true,
    name: 'warningCount',
    description: 'How many warnings the ingest reported (e.g. policies missing from the input).',
  })
  warnings!: number | null;
}

export const SnapshotConnection = connectionType(() => Snapshot, 'Snapshot', 'snapshot');
