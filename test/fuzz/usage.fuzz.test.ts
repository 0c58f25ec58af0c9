// parseUsage and costOf on arbitrary input: usage JSON comes from the API, from stored records
// and from the CLI's --usage, so whatever arrives must either be a valid usage or a UsageError
// (which callers turn into one clear message) — never a TypeError — and a valid one always has a
// finite, non-negative price on every priced model.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { costOf } from '../../src/core/cost/cost';
import { UsageError, parseUsage } from '../../src/core/cost/usage';
import { createModelTable } from '../../src/core/models/table';
import type { Usage } from '../../src/shared/anthropic';

const priced = createModelTable()
  .all()
  .filter((m) => !m.pricesUnknown);

/** JSON numbers a token counter might wrongly hold, besides ordinary counts. */
const number = fc.oneof(
  fc.nat({ max: 2_000_000 }),
  fc.maxSafeNat(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e300, Number.MAX_SAFE_INTEGER + 2, 0.5),
);
const field = fc.oneof({ weight: 4, arbitrary: number }, fc.constant(null), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }));
const split = fc.record({ ephemeral_5m_input_tokens: field, ephemeral_1h_input_tokens: field }, { requiredKeys: [] });

/** Objects shaped like usage, so most runs get past the first check and reach every field's rule. */
const usageLike = fc.record(
  {
    input_tokens: field,
    output_tokens: field,
    cache_creation_input_tokens: field,
    cache_read_input_tokens: field,
    cache_creation: fc.oneof(split, field),
    service_tier: fc.oneof(fc.constantFrom('standard', 'priority', 'batch', 'flex'), field),
    speed: fc.oneof(fc.constantFrom('standard', 'fast'), field),
    inference_geo: fc.oneof(fc.constantFrom('us', 'global'), field),
    server_tool_use: fc.oneof(fc.record({ web_search_requests: field, web_fetch_requests: field }, { requiredKeys: [] }), field),
    output_tokens_details: fc.oneof(fc.record({ thinking_tokens: field }, { requiredKeys: [] }), field),
  },
  { requiredKeys: [] },
);

/** Valid usage (every count a safe non-negative integer), as the API and the emulator send it. */
const count = fc.oneof(fc.nat({ max: 2_000_000 }), fc.maxSafeNat());
const validUsage = fc.record(
  {
    input_tokens: count,
    output_tokens: count,
    cache_creation_input_tokens: fc.option(count),
    cache_read_input_tokens: fc.option(count),
    cache_creation: fc.option(fc.record({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count }, { requiredKeys: [] })),
    service_tier: fc.option(fc.constantFrom('standard', 'priority', 'batch')),
    speed: fc.option(fc.constantFrom('standard', 'fast')),
    inference_geo: fc.option(fc.constantFrom('us', 'global', 'eu')),
    server_tool_use: fc.option(fc.record({ web_search_requests: count, web_fetch_requests: count }, { requiredKeys: [] })),
  },
  { requiredKeys: ['input_tokens', 'output_tokens'] },
);

/** Any JSON value, usage-like objects and either of them wrapped in a Message. */
const anyInput = fc.oneof(fc.jsonValue(), usageLike, validUsage).chain((u) => fc.oneof(fc.constant<unknown>(u), fc.constant<unknown>({ type: 'message', usage: u })));

function parseOrUsageError(value: unknown): Usage | undefined {
  try {
    return parseUsage(value);
  } catch (err) {
    if (err instanceof UsageError) return undefined;
    throw new Error(`parseUsage threw ${err instanceof Error ? err.name : typeof err} instead of a UsageError: ${String(err)}`);
  }
}

function assertPriced(usage: Usage): void {
  for (const model of priced) {
    for (const requestedTtl of [undefined, '5m', '1h'] as const) {
      const r = costOf(usage, model, { requestedTtl });
      const amounts = { total: r.total, noCache: r.noCache, ...r.breakdown };
      for (const [name, usd] of Object.entries(amounts)) {
        assert.ok(Number.isFinite(usd) && usd >= 0, `${name} on ${model.id} (ttl ${requestedTtl ?? 'none'}) is ${usd} for ${JSON.stringify(usage)}`);
      }
    }
  }
}

describe('usage JSON under fuzzing', () => {
  it('the model table has priced models to check against', () => {
    assert.ok(priced.length > 5, `${priced.length} priced models`);
  });

  it('any JSON value either parses as usage or throws UsageError', () => {
    fc.assert(fc.property(anyInput, (value) => void parseOrUsageError(value)));
  });

  it('valid usage parses, keeps its counts and prices to a finite non-negative cost on every priced model', () => {
    fc.assert(
      fc.property(validUsage, (raw) => {
        const usage = parseOrUsageError(raw);
        assert.ok(usage, `valid usage was rejected: ${JSON.stringify(raw)}`);
        assert.equal(usage.input_tokens, raw.input_tokens);
        assert.equal(usage.output_tokens, raw.output_tokens);
        assertPriced(usage);
      }),
    );
  });

  it('whatever parses, from any input, prices to a finite non-negative cost', () => {
    fc.assert(
      fc.property(anyInput, (value) => {
        const usage = parseOrUsageError(value);
        if (usage) assertPriced(usage);
      }),
    );
  });
});
