import { strict as assert } from 'node:assert';
import type { MessagesRequest } from '../../../src/shared/anthropic';

describe('smoke', () => {
  it('loads TypeScript through tsx', () => {
    const r: MessagesRequest = { model: 'x', messages: [] };
    assert.equal(r.model, 'x');
  });
});
