import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderWhoCan } from '../../../src/cli/render/whoCan';
import type { WhoCanAnswer } from '../../../src/services';

const answer = (extra: Partial<WhoCanAnswer>): WhoCanAnswer => ({
  resource: 'arn:aws:iam::333344445555:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
  action: 'iam:UpdateAssumeRolePolicy',
  public: false,
  principals: [],
  stats: { candidates: 0, decisions: 0, ms: 0 },
  ...extra,
});

describe('renderWhoCan', () => {
  it('says why AWS refuses the request to everybody, when a rule outside the policies does', () => {
    const text = renderWhoCan(
      answer({ refused: 'a service-linked role is protected: only the service that depends on it can change or delete it' }),
    );
    assert.match(text, /AWS refuses this whatever the policies say: a service-linked role is protected/);
    assert.match(text, /^Nobody\.$/m);
  });

  it('without such a rule, nobody means no principal of the snapshot', () => {
    const text = renderWhoCan(answer({}));
    assert.doesNotMatch(text, /AWS refuses/);
    assert.match(text, /Nobody: no principal in the snapshot can do this/);
  });
});
