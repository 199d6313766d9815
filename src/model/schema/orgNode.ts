import { Label, Rel } from '../graph';
import { defineLinkRows, defineNode, relationship } from './node';
import { oneOf, optionalText, text } from './property';

/** (Account|OrgUnit) CHILD_OF (OrgUnit|OrgRoot). */
export const orgParentRows = defineLinkRows({
  description: 'The organization tree: each account and OU with its parent.',
  fields: {
    from: text('The account id or OU id.'),
    to: text('The parent OU or root id.'),
  },
});

export const orgNode = defineNode({
  labels: [Label.OrgRoot, Label.OrgUnit],
  description: "The organization's root (`OrgRoot`) and its organizational units (`OrgUnit`).",
  rows: 'orgNodes',
  properties: {
    key: text('The root or OU id: `r-…`, `ou-…`.'),
    id: text('The root or OU id.'),
    kind: oneOf(['root', 'ou'], 'Root or organizational unit (the label says the same).'),
    name: optionalText('The name the organization gives it.'),
    parentId: optionalText('The parent root or OU id; null for a root.'),
  },
  load: [
    { name: 'organization roots', query: 'orgRoots', labels: [Label.OrgRoot], where: { field: 'kind', equals: 'root' } },
    { name: 'organizational units', query: 'orgUnits', labels: [Label.OrgUnit], where: { field: 'kind', equals: 'ou' } },
  ],
  relationships: {
    CHILD_OF: relationship(Rel.CHILD_OF, 'in', 'The organization tree: an account or OU is a child of an OU or the root.', {
      name: 'organization tree',
      query: 'orgParents',
      from: [Label.Account, Label.OrgUnit],
      to: [Label.OrgUnit, Label.OrgRoot],
      rows: { kind: 'orgParents', fromField: 'from', toField: 'to' },
    }),
  },
});
