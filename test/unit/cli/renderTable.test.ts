import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTable } from '../../../src/cli/output';

describe('renderTable', () => {
  it('aligns every column but the last, under a rule as wide as each column', () => {
    const text = renderTable(
      ['NAME', 'KIND', 'PATH'],
      [
        ['user/alice', 'user', 'a → b'],
        ['role/x', 'role', 'c'],
      ],
    );
    assert.equal(text, ['NAME        KIND  PATH', '----------  ----  -----', 'user/alice  user  a → b', 'role/x      role  c'].join('\n'));
  });

  it('stops the rule under the last column at 60 characters, however long its cells', () => {
    const long = 'x'.repeat(900);
    const [, rule, row] = renderTable(['A', 'SHORTEST PATH'], [['1', long]]).split('\n');
    assert.equal(rule, `-  ${'-'.repeat(60)}`);
    assert.equal(row, `1  ${long}`, 'the cell itself is printed whole');
  });
});
