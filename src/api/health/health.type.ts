import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Whether whocan can answer questions right now.' })
export class Health {
  @Field(() => Boolean, { description: 'True when Neo4j answers and every schema migration is applied.' })
  ok!: boolean;

  @Field(() => String, { description: 'Version of the Neo4j server whocan talks to, as it reports it (e.g. 5.26.0).' })
  neo4jVersion!: string;

  @Field(() => String, { description: 'Edition of that Neo4j server: community or enterprise.' })
  neo4jEdition!: string;

  @Field(() => Int, { description: 'Number of schema migrations recorded as applied in the graph.' })
  migrationsApplied!: number;

  @Field(() => Int, { description: 'Number of schema migrations not yet applied (0 when ready).' })
  migrationsPending!: number;
}
