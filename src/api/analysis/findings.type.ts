import { Extensions, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FINDING_KIND_DESCRIPTIONS, SEVERITY_DESCRIPTIONS } from '../../services';
import { connectionType } from '../connection';
import {
  describedValues,
  AccessCondition,
  AccessDecisionValue,
  CONDITIONS_COST,
  PathHop,
  PATHS_COST,
  PATHS_DESCRIPTION,
} from './answer.type';

/**
 * The answer of findings: what a security review should look at first, as a
 * connection with the counts of the whole answer.
 */

export enum FindingKindValue {
  PUBLIC_METHOD = 'public-method',
  OPEN_RESOURCE_POLICY = 'open-resource-policy',
  CROSS_ACCOUNT_GRANT = 'cross-account-grant',
  WILDCARD_INVOKE = 'wildcard-invoke',
  WILDCARD_MANAGE = 'wildcard-manage',
  ESCALATION_VIA_APIGATEWAY = 'escalation-via-apigateway',
  BROAD_INTEGRATION_ROLE = 'broad-integration-role',
  BROKEN_INTEGRATION = 'broken-integration',
}
registerEnumType(FindingKindValue, {
  name: 'FindingKind',
  description: 'What a finding is about (docs/analysis.md, "Findings").',
  valuesConfig: describedValues(FindingKindValue, FINDING_KIND_DESCRIPTIONS),
});

export enum SeverityValue {
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
}
registerEnumType(SeverityValue, {
  name: 'Severity',
  description: 'How urgent a finding is.',
  valuesConfig: describedValues(SeverityValue, SEVERITY_DESCRIPTIONS),
});

@ObjectType({ description: 'Something a security review should look at, found on the whole snapshot and decided by the engine.' })
export class Finding {
  @Field(() => String, { description: 'Stable across runs on the same data: kind, resource and principal.' })
  id!: string;

  @Field(() => FindingKindValue, { description: 'What the finding is about.' })
  kind!: FindingKindValue;

  @Field(() => SeverityValue, { description: 'How urgent it is.' })
  severity!: SeverityValue;

  @Field(() => String, { description: 'One line.' })
  title!: string;

  @Field(() => String, { description: 'What it means and what to check.' })
  detail!: string;

  @Field(() => String, { description: 'The method, API, role or principal the finding is about.' })
  resource!: string;

  @Field(() => String, { nullable: true, description: 'The principal concerned, when there is one.' })
  principal!: string | null;

  @Field(() => AccessDecisionValue, { description: 'How far the access behind the finding holds.' })
  decision!: AccessDecisionValue;

  @Extensions(CONDITIONS_COST)
  @Field(() => [AccessCondition], { description: 'What a CONDITIONAL decision depends on.' })
  conditions!: AccessCondition[];

  @Field(() => [String], { description: 'Other ARNs involved (functions reached, APIs, accounts).' })
  related!: string[];

  @Extensions(PATHS_COST)
  @Field(() => [[PathHop]], { description: PATHS_DESCRIPTION })
  paths!: PathHop[][];
}

@ObjectType({ description: 'How many findings there are of each severity.' })
export class SeverityCounts {
  @Field(() => Int, { description: 'Findings of severity HIGH.' })
  high!: number;

  @Field(() => Int, { description: 'Findings of severity MEDIUM.' })
  medium!: number;

  @Field(() => Int, { description: 'Findings of severity LOW.' })
  low!: number;
}

/** What a page of findings carries beside the page: the snapshot and the counts of the whole answer. */
@ObjectType('FindingConnectionHead')
export class FindingConnectionHead {
  @Field(() => String, { description: 'Id of the snapshot the findings were computed on.' })
  snapshot!: string;

  @Field(() => SeverityCounts, {
    description: 'How many findings of the kinds asked for there are of each severity (whatever minimumSeverity).',
  })
  counts!: SeverityCounts;
}

export const FindingConnection = connectionType(() => Finding, 'Finding', 'finding', {
  head: FindingConnectionHead,
  descriptions: {
    connection: 'A page of findings, most severe first (then by kind and id), with the counts of the whole answer.',
    nodes: 'The findings of this page, in order (the same as edges’ nodes, without cursors).',
    totalCount: 'How many findings match (every page, not only this one).',
  },
});
