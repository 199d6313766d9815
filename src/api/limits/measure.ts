import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
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
 *
 * Introspection (`__schema`, `__type`) is not counted: it is turned on or off
 * as a whole (WHOCAN_INTROSPECTION). Fragments are followed (each at most once
 * per path, so cycles, which validation refuses anyway, cannot loop).
 */
export interface OperationMeasure {
  depth: number;
  cost: number;
  /** One line per `first` outside 0..maxPageSize, naming the field by its path. */
  pageSizeProblems: string[];
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
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const pageSizeProblems: string[] = [];

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables as Record<string, unknown>);
    } catch {
      return {}; // execution reports bad arguments with their own message
    }
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, level: number, path: string, seen: ReadonlySet<string>): { cost: number; depth: number } => {
    let cost = 0;
    let depth = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const fieldPath = path === '' ? (selection.alias?.value ?? name) : `${path}.${selection.alias?.value ?? name}`;
        depth = Math.max(depth, level);
        const named = getNamedType(field.type);
        let multiplier = 1;
        if (field.args.some((a) => a.name === 'first')) {
          const given = argumentsOf(field, selection)['first'];
          const first = typeof given === 'number' ? given : options.defaultPageSize;
          if (!Number.isInteger(first) || first < 0 || first > options.maxPageSize) {
            pageSizeProblems.push(`${fieldPath}(first: ${first}): expected a whole number from 0 to ${options.maxPageSize} (the maximum page size)`);
          }
          multiplier = Math.min(Math.max(first, 1), options.maxPageSize);
        } else if (isListType(getNullableType(field.type)) && isCompositeType(named)) {
          const declared = field.extensions?.[COST_LIST_SIZE];
          multiplier = typeof declared === 'number' ? declared : options.defaultListSize;
        }
        let inner = { cost: 0, depth: 0 };
        if (selection.selectionSet && isCompositeType(named)) inner = walk(selection.selectionSet, named, level + 1, fieldPath, seen);
        const own = field.extensions?.[COST_FIELD];
        cost += (typeof own === 'number' ? own : 1) + multiplier * inner.cost;
        depth = Math.max(depth, inner.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type || !isCompositeType(type)) continue;
        const inner = walk(selection.selectionSet, type, level, path, seen);
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (!type || !isCompositeType(type)) continue;
        const inner = walk(fragment.selectionSet, type, level, path, new Set([...seen, name]));
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      }
    }
    return { cost, depth };
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0, pageSizeProblems };
  const { cost, depth } = walk(operation.selectionSet, root, 1, '', new Set());
  return { cost, depth, pageSizeProblems };
}
