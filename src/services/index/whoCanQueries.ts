import { cypher } from '../../db';
import { Label, Rel, SharedLabel } from '../../model';

/**
 * The Cypher that answers a who-can question from the stored access index
 * (docs/graph-model.md, "The access index"), read by whoCanFromIndex.ts:
 * the target by its key (action and resource) or by its method reference,
 * its answer's entries page by page, the stored CAN_ASSUME relationships
 * among the principals of the answer, and, for the principals whose paths
 * are shown, their identity policies' Allow statements and the target's
 * resource-based policy. Every value is a parameter; every read is bounded
 * (LIMIT, or pages of ARNs chosen by the caller).
 */

/** The target, when the snapshot's index is complete and was built with at least `$maxHops`. */
export const TARGET_BY_KEY = cypher(
  'whoCanFromIndex.targetByKey',
  `MATCH (s:${Label.Snapshot} {id: $s}) WHERE s.index = 'complete' AND s.indexMaxHops >= $maxHops
   MATCH (t:${Label.AccessTarget} {snapshot: $s, build: s.indexBuild, key: $key})
   RETURN t {.*} AS target, s.indexMaxHops AS indexMaxHops, s.indexBuild AS build
   LIMIT 2`,
);

/** The method × stage target named by API id, stage, verb and path (`$default`: any path). */
export const TARGET_BY_METHOD = cypher(
  'whoCanFromIndex.targetByMethod',
  `MATCH (s:${Label.Snapshot} {id: $s}) WHERE s.index = 'complete' AND s.indexMaxHops >= $maxHops
   MATCH (t:${Label.AccessTarget} {snapshot: $s, build: s.indexBuild, apiId: $apiId})
   WHERE t.action = $action AND t.stage = $stage AND t.verb = $verb AND ($verb = '$default' OR t.path = $path)
   RETURN t {.*} AS target, s.indexMaxHops AS indexMaxHops, s.indexBuild AS build
   LIMIT 2`,
);

/** One page of the target's answer: every caller with access within `$maxHops`, in the answers' order. */
export const ENTRIES = cypher(
  'whoCanFromIndex.entries',
  `MATCH (:${Label.AccessTarget} {snapshot: $s, build: $b, key: $key})-[:${Rel.ANSWERED_BY}]->(:${Label.AccessSet})
         <-[a:${Rel.HAS_ACCESS}]-(:${Label.AccessClass})<-[:${Rel.IN_ACCESS_CLASS}]-(p:${Label.Accessor})
   WHERE a.hops <= $maxHops
   WITH p, a ORDER BY a.hops, CASE a.decision WHEN 'allowed' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END, p.arn
   SKIP toInteger($skip) LIMIT toInteger($limit)
   RETURN p.arn AS arn, p.type AS type, a.decision AS decision, a.hops AS hops, a.bestHops AS bestHops, a.conditions AS conditions, a.formula AS formula,
          a.patterns AS patterns, a.direct AS direct`,
);

/** The stored assumptions into some roles (a page of role ARNs). */
export const EDGES_INTO = cypher(
  'whoCanFromIndex.edgesInto',
  `UNWIND $roles AS role
   MATCH (r:${Label.Role} {snapshot: $s, key: role})<-[e:${Rel.CAN_ASSUME}]-()
   RETURN e.from AS from, r.key AS to, e.decision AS decision, e.trustPolicy AS trustPolicy, e.trustStatement AS trustStatement,
          e.identityPolicy AS identityPolicy, e.identityStatement AS identityStatement, e.conditions AS conditions, e.keys AS keys`,
);

/** Which of some callers (a page of ARNs) are ingested users or roles, with their accounts. */
export const PRINCIPALS = cypher(
  'whoCanFromIndex.principals',
  `UNWIND $arns AS arn
   MATCH (p:${SharedLabel.Principal} {snapshot: $s, arn: arn})
   RETURN p.arn AS arn, p.account AS account`,
);

/** The Allow statements of the identity policies of some principals (a page of ARNs): their own and their groups'. */
export const IDENTITY_STATEMENTS = cypher(
  'whoCanFromIndex.identityStatements',
  `UNWIND $arns AS arn
   MATCH (p:${SharedLabel.Principal} {snapshot: $s, arn: arn})
   CALL (p) {
     MATCH (p)-[:${Rel.HAS_POLICY}]->(pol:${Label.Policy}) RETURN null AS via, pol
     UNION ALL
     MATCH (p)-[:${Rel.MEMBER_OF}]->(g:${Label.Group})-[:${Rel.HAS_POLICY}]->(pol:${Label.Policy}) RETURN g.key AS via, pol
   }
   OPTIONAL MATCH (pol)-[:${Rel.HAS_STATEMENT}]->(st:${Label.Statement} {effect: 'Allow'})
   WITH arn, via, pol, st ORDER BY st.index
   RETURN arn, via, pol.key AS policy, coalesce(pol.missing, false) AS missing,
          collect(st {.index, .sid, .actions, .notActions, .resources, .notResources, .condition}) AS statements`,
);

/** The resource-based policy a target is decided with: an API's resource policy, a role's trust policy (sts:AssumeRole), a function's policy. */
function resourcePolicyQuery(name: string, owner: string, rel: string) {
  return cypher(
    `whoCanFromIndex.resourcePolicy.${name}`,
    `MATCH (:${owner} {snapshot: $s, key: $owner})-[:${rel}]->(pol:${Label.Policy})-[:${Rel.HAS_STATEMENT}]->(st:${Label.Statement} {effect: 'Allow'})
     WITH pol, st ORDER BY st.index LIMIT 1000
     RETURN pol.key AS policy, st.index AS index, st.sid AS sid, st.actions AS actions, st.notActions AS notActions, st.resources AS resources,
            st.notResources AS notResources, st.principal AS principal, st.notPrincipal AS notPrincipal, st.condition AS condition`,
  );
}

export const RESOURCE_POLICY = {
  api: resourcePolicyQuery('api', SharedLabel.Api, Rel.HAS_RESOURCE_POLICY),
  function: resourcePolicyQuery('function', Label.LambdaFunction, Rel.HAS_RESOURCE_POLICY),
  trust: resourcePolicyQuery('trust', Label.Role, Rel.HAS_TRUST_POLICY),
} as const;
