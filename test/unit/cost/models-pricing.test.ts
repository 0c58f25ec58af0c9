import { strict as assert } from 'node:assert';
import { costOf } from '../../../src/core/cost/cost';
import { createModelTable } from '../../../src/core/models/table';
import type { Usage } from '../../../src/shared/anthropic';

// Hand-computed (Decimal) from spec §3.1 with input 1001, 5m write 2003, 1h write 3007, read 40009,
// output 511: [id, [input, 5m, 1h, read, output] USD, total, no-cache total].
const EXPECTED: Array<[string, number[], number, number]> = [
  ['claude-fable-5-2', [0.008008, 0.02003, 0.048112, 0.0080018, 0.02044], 0.1045918, 0.3886],
  ['claude-fable-5-1', [0.01001, 0.0250375, 0.06014, 0.01000225, 0.02555], 0.13073975, 0.48575],
  ['claude-mythos-5-1', [0.01001, 0.0250375, 0.06014, 0.01000225, 0.02555], 0.13073975, 0.48575],
  ['claude-fable-5', [0.01001, 0.0250375, 0.06014, 0.040009, 0.02555], 0.1607465, 0.48575],
  ['claude-mythos-5', [0.01001, 0.0250375, 0.06014, 0.040009, 0.02555], 0.1607465, 0.48575],
  ['claude-opus-5-5', [0.004004, 0.010015, 0.024056, 0.0080018, 0.01022], 0.0562968, 0.1943],
  ['claude-opus-5', [0.005005, 0.01251875, 0.03007, 0.0200045, 0.012775], 0.08037325, 0.242875],
  ['claude-opus-4-8', [0.005005, 0.01251875, 0.03007, 0.0200045, 0.012775], 0.08037325, 0.242875],
  ['claude-opus-4-7', [0.005005, 0.01251875, 0.03007, 0.0200045, 0.012775], 0.08037325, 0.242875],
  ['claude-opus-4-6', [0.005005, 0.01251875, 0.03007, 0.0200045, 0.012775], 0.08037325, 0.242875],
  ['claude-opus-4-5-20251101', [0.005005, 0.01251875, 0.03007, 0.0200045, 0.012775], 0.08037325, 0.242875],
  ['claude-opus-4-1-20250805', [0.015015, 0.03755625, 0.09021, 0.0600135, 0.038325], 0.24111975, 0.728625],
  ['claude-opus-4-20250514', [0.015015, 0.03755625, 0.09021, 0.0600135, 0.038325], 0.24111975, 0.728625],
  ['claude-sonnet-5-5', [0.002002, 0.0050075, 0.012028, 0.0040009, 0.00511], 0.0281484, 0.09715],
  ['claude-sonnet-5', [0.002002, 0.0050075, 0.012028, 0.0080018, 0.00511], 0.0321493, 0.09715],
  ['claude-sonnet-4-6', [0.003003, 0.00751125, 0.018042, 0.0120027, 0.007665], 0.04822395, 0.145725],
  ['claude-sonnet-4-5-20250929', [0.003003, 0.00751125, 0.018042, 0.0120027, 0.007665], 0.04822395, 0.145725],
  ['claude-sonnet-4-20250514', [0.003003, 0.00751125, 0.018042, 0.0120027, 0.007665], 0.04822395, 0.145725],
  ['claude-haiku-5-5', [0.0001001, 0.000250375, 0.0006014, 0.00040009, 0.0002555], 0.001607465, 0.0048575],
  ['claude-haiku-4-5-20251001', [0.001001, 0.00250375, 0.006014, 0.0040009, 0.002555], 0.01607465, 0.048575],
  ['claude-3-5-haiku-20241022', [0.0008008, 0.002003, 0.0048112, 0.00320072, 0.002044], 0.01285972, 0.03886],
  ['claude-3-7-sonnet-20250219', [0.003003, 0.00751125, 0.018042, 0.0120027, 0.007665], 0.04822395, 0.145725],
  ['claude-3-opus-20240229', [0.015015, 0.03755625, 0.09021, 0.0600135, 0.038325], 0.24111975, 0.728625],
  ['claude-3-haiku-20240307', [0.00025025, 0.0006009, 0.0015035, 0.00120027, 0.00063875], 0.00419367, 0.01214375],
];

const USAGE: Usage = {
  input_tokens: 1001,
  cache_creation_input_tokens: 5010,
  cache_read_input_tokens: 40009,
  cache_creation: { ephemeral_5m_input_tokens: 2003, ephemeral_1h_input_tokens: 3007 },
  output_tokens: 511,
};

describe('costOf: every priced model row', () => {
  const table = createModelTable();

  it('covers every priced model in the table', () => {
    const priced = table.all().filter((m) => !m.pricesUnknown).map((m) => m.id).sort();
    assert.deepEqual(EXPECTED.map((e) => e[0]).sort(), priced);
  });

  for (const [id, buckets, total, noCache] of EXPECTED) {
    it(`prices ${id} exactly`, () => {
      const r = costOf(USAGE, table.resolve(id));
      const b = r.breakdown;
      assert.deepEqual([b.input, b.cache_write_5m, b.cache_write_1h, b.cache_read, b.output], buckets);
      assert.equal(r.total, total);
      assert.equal(r.noCache, noCache);
      assert.equal(r.saved, Number((noCache - total).toFixed(12)));
      assert.equal(r.exact, true);
      assert.equal(r.band, 'standard');
    });
  }
});
