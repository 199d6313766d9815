import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Depth and cost of one GraphQL operation, computed from the document and its
 * variables before anything runs.
 *
 * - **Depth**: how deeply fields nest (a root field is at depth 1).
 * - **Cost**: every field costs 1, or what its `complexityCost` extension
 *   says (the analysis questions, which run the policy engine over many
 *   callers, cost far more than reading a property). A field with a `first` argument (a
 *   connection) multiplies the cost of what it contains by `first` (its
 *   default when omitted); any other list of objects multiplies by its
 *   expected size (the field's `complexityListSize` extension, else
 *   DEFAULT_LIST_SIZE). So the cost bounds how many values a response can hold.
 * - **Page sizes**: a `first` outside 0..maxPageSize is reported.
 * - **Aliases**: fields given an alias, each time they run.
 * - **Root fields**: the distinct response keys of the root selection
 *   (fragments and inline fragments included), one resolver each.
 *
 * Introspection (`__schema`, `__type`) is not counted: it is turned on or off
 * as a whole (WHOCAN_INTROSPECTION). Each fragment is measured once and its
 * figures reused wherever it is spread, so the measure is linear in the
 * document however the fragments nest (a fragment spreading the previous
 * one twice, 22 levels deep, would otherwise be walked 2^22 times). A
 * fragment's figures do not depend on where it is spread: cost and aliases
 * add up, depth is relative. A page size problem inside a fragment is
 * reported once, at the path of its first spread. A fragment spread inside
 * itself (a cycle, which validation refuses anyway) counts as empty.
 */
export interface OperationMeasure {
  depth: number;
  cost: number;
  /** One line per `first` outside 0..maxPageSize, naming the field by its path. */
  pageSizeProblems: string[];
  /** Fields given an alias, counted each time they run (a fragment spread twice counts twice). */
  aliases: number;
  /** Distinct root fields (response keys) the operation runs. */
  rootFields: number;
}

export interface MeasureOptions {
  defaultPageSize: number;
  maxPageSize: number;
  defaultListSize: number;
}

/** Page size when a connection's `first` is omitted. */
export const DEFAULT_PAGE_SIZE = 20;
/** Expected length of a list that is not a connection (groups of a user, statements of a policy…) when its field does not say. */
export const DEFAULT_LIST_SIZE = 10;
/** Field extension giving the expected length of a list field (connections' `edges` and `nodes` say 1: their `first` already counts). */
export const COST_LIST_SIZE = 'complexityListSize';
/** Field extension giving the field's own cost, instead of 1 (what it contains is added, multiplied by its page size or list length). */
export const COST_FIELD = 'complexityCost';

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  options: MeasureOptions,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const pageSizeProblems: string[] = [];

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {}; // execution reports bad arguments with their own message
    }
  };

  /**
   * A field's own cost. Field resolvers declared on an interface put their
   * extensions on the implementing types' fields only, so for an interface
   * the highest of its implementations' costs counts.
   */
  const costCache = new Map<string, number | undefined>();
  const costExtension = (parent: GraphQLObjectType | GraphQLInterfaceType, name: string): number | undefined => {
    const key = `${parent.name}.${name}`;
    if (costCache.has(key)) return costCache.get(key);
    const declared = parent.getFields()[name]?.extensions?.[COST_FIELD];
    let cost = typeof declared === 'number' ? declared : undefined;
    if (cost === undefined && isInterfaceType(parent)) {
      for (const type of schema.getPossibleTypes(parent)) {
        const implemented = type.getFields()[name]?.extensions?.[COST_FIELD];
        if (typeof implemented === 'number') cost = Math.max(cost ?? 0, implemented);
      }
    }
    costCache.set(key, cost);
    return cost;
  };

  interface Figures {
    cost: number;
    /** Levels of fields below (and including) this selection set. */
    depth: number;
    aliases: number;
  }
  const measured = new Map<string, Figures | 'measuring'>();
  const rootFragments = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: string, rootKeys?: Set<string>): Figures => {
    const out: Figures = { cost: 0, depth: 0, aliases: 0 };
    const add = (inner: Figures): void => {
      out.cost += inner.cost;
      out.depth = Math.max(out.depth, inner.depth);
      out.aliases += inner.aliases;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const key = selection.alias?.value ?? name;
        rootKeys?.add(key);
        const fieldPath = path === '' ? key : `${path}.${key}`;
        const named = getNamedType(field.type);
        let multiplier = 1;
        if (field.args.some((a) => a.name === 'first')) {
          const given = argumentsOf(field, selection)['first'];
          const first = typeof given === 'number' ? given : options.defaultPageSize;
          if (!Number.isInteger(first) || first < 0 || first > options.maxPageSize) {
            pageSizeProblems.push(
              `${fieldPath}(first: ${first}): expected a whole number from 0 to ${options.maxPageSize} (the maximum page size)`,
            );
          }
          multiplier = Math.min(Math.max(first, 1), options.maxPageSize);
        } else if (isListType(getNullableType(field.type)) && isCompositeType(named)) {
          const declared = field.extensions?.[COST_LIST_SIZE];
          multiplier = typeof declared === 'number' ? declared : options.defaultListSize;
        }
        let inner: Figures = { cost: 0, depth: 0, aliases: 0 };
        if (selection.selectionSet && isCompositeType(named)) inner = walk(selection.selectionSet, named, fieldPath);
        const own = costExtension(parent, name);
        out.cost += (typeof own === 'number' ? own : 1) + multiplier * inner.cost;
        out.depth = Math.max(out.depth, 1 + inner.depth);
        // Aliases inside a list run once per element, like the cost.
        out.aliases += (selection.alias ? 1 : 0) + multiplier * inner.aliases;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type || !isCompositeType(type)) continue;
        add(walk(selection.selectionSet, type, path, rootKeys));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (!type || !isCompositeType(type)) continue;
        if (rootKeys && !rootFragments.has(name)) {
          // At the root the response keys matter too: the first spread of a fragment there is walked for them.
          rootFragments.add(name);
          const figures = walk(fragment.selectionSet, type, path, rootKeys);
          measured.set(name, figures);
          add(figures);
          continue;
        }
        const known = measured.get(name);
        if (known === 'measuring') continue;
        if (known) {
          add(known);
          continue;
        }
        measured.set(name, 'measuring');
        const figures = walk(fragment.selectionSet, type, path);
        measured.set(name, figures);
        add(figures);
      }
    }
    return out;
  };

  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0, pageSizeProblems, aliases: 0, rootFields: 0 };
  const rootKeys = new Set<string>();
  const { cost, depth, aliases } = walk(operation.selectionSet, root, '', rootKeys);
  return { cost, depth, pageSizeProblems, aliases, rootFields: rootKeys.size };
}
