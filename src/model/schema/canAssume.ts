import { Label, Rel } from '../graph';
import { defineLinkRows, type RelationshipSchema } from './node';
import { oneOf, optionalJson, optionalText, text, textList } from './property';

/** The labels a `CAN_ASSUME` relationship may start from. */
export const ASSUMER_LABELS = [Label.User, Label.Role, Label.Account, Label.ServicePrincipal, Label.ExternalPrincipal] as const;
export type AssumerLabel = (typeof ASSUMER_LABELS)[number];

/** What `CAN_ASSUME` stores: the deciding statements and, when request context decides, the conditions. */
const canAssumeProperties = {
  from: text('The caller as answers name it: a principal ARN, `arn:aws:iam::ACCOUNT:root` for an account, or a service name.'),
  decision: oneOf(['allowed', 'conditional'], '`conditional` when request context decides.'),
  trustPolicy: optionalText('The key of the trust policy that allows.'),
  trustStatement: optionalText('The key of the trust statement that allows.'),
  identityPolicy: optionalText("The key of the caller's own policy, when one was needed."),
  identityStatement: optionalText("The key of the caller's own statement, when one was needed."),
  conditions: optionalJson('JSON list of the conditions (key, operator, values); null when allowed.'),
  keys: textList('The request context keys (lower case) the decision depends on.'),
};

/**
 * `(caller)-[:CAN_ASSUME]->(role)`: the policy engine decided at ingest that
 * the caller may assume the role (src/analysis/assumeGraph.ts).
 */
export const canAssumeRows = defineLinkRows({
  description: 'Derived at ingest by the analysis: who may assume which role (empty in what the transforms produce).',
  fields: {
    from: canAssumeProperties.from,
    fromKey: text('The key of the start node.'),
    fromLabel: oneOf(ASSUMER_LABELS, 'The label of the start node.'),
    to: text('The role ARN.'),
    decision: canAssumeProperties.decision,
    trustPolicy: canAssumeProperties.trustPolicy,
    trustStatement: canAssumeProperties.trustStatement,
    identityPolicy: canAssumeProperties.identityPolicy,
    identityStatement: canAssumeProperties.identityStatement,
    conditions: canAssumeProperties.conditions,
    keys: canAssumeProperties.keys,
  },
});

/** `(<label>)-[:CAN_ASSUME]->(Role)`, one load step per start label so each MATCH uses that label's constraint index. */
export function canAssumeFrom(label: AssumerLabel, who: string): RelationshipSchema {
  return {
    type: Rel.CAN_ASSUME,
    direction: 'out',
    other: [Label.Role],
    description: `Derived at ingest by the policy engine: ${who} may assume the role (trust policy, own permission, boundaries, SCPs, RCPs).`,
    properties: canAssumeProperties,
    load: [
      {
        name: `${label} → role (CAN_ASSUME)`,
        query: `canAssumeFrom${label}`,
        from: [label],
        to: [Label.Role],
        rows: { kind: 'canAssume', fromField: 'fromKey', toField: 'to', where: [{ field: 'fromLabel', equals: label }] },
      },
    ],
  };
}
