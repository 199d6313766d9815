/**
 * AWS Organizations: `organization.json` at the top of the snapshot (the
 * organization, its roots, OUs, accounts and SCPs/RCPs, as
 * docs/generator.md lays out); transformed by ./transform.ts.
 */
import type { SnapshotSource } from '../source';
import { transformOrganization } from './transform';

export const organizationSource: SnapshotSource = {
  file: 'organization.json',
  transform(ctx, file) {
    transformOrganization(ctx, file);
  },
};
