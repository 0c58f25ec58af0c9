// The byte-keyed rank table must answer exactly what js-tiktoken's string-keyed Map answers.
import { strict as assert } from 'node:assert';
import { ByteRanks } from '../../../src/core/tokens/byteRanks';
import { o200kRanks } from '../../../src/core/tokens/count';
import { seeded } from './corpora';

function bytesOf(key: string): Uint8Array {
  return Uint8Array.from(key.split(',').map(Number));
}

describe('tokens/byte ranks', () => {
  const ranks = o200kRanks();
  if (!ranks) throw new Error('js-tiktoken internals not found');
  const table = new ByteRanks(ranks);

  it('finds every token of o200k by its bytes, also inside a larger buffer', () => {
    let checked = 0;
    for (const [key, rank] of ranks) {
      const b = bytesOf(key);
      assert.equal(table.rank(b, 0, b.length), rank, key);
      const padded = new Uint8Array(b.length + 2);
      padded.set(b, 1);
      padded[0] = 0x20;
      padded[b.length + 1] = 0x20;
      assert.equal(table.rank(padded, 1, b.length + 1), rank, key);
      checked++;
    }
    assert.equal(checked, ranks.size);
    assert.equal(table.maxTokenBytes, 128);
  });

  it('answers -1 for byte strings that are not tokens, empty ranges and over-long ones', () => {
    const next = seeded(5);
    let absent = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = Uint8Array.from({ length: 2 + Math.floor(next() * 6) }, () => Math.floor(next() * 256));
      const expected: number = ranks.get(Array.from(b).join(',')) ?? -1;
      assert.equal(table.rank(b, 0, b.length), expected);
      if (expected < 0) absent++;
    }
    assert.ok(absent > 10_000);
    const spaces = new Uint8Array(200).fill(0x20);
    assert.equal(table.rank(spaces, 3, 3), -1);
    assert.equal(table.rank(spaces, 0, 129), -1);
  });
});
