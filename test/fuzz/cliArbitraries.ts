// fast-check generators of adversarial CLI input: numbers at the edges of float and integer
// range, JSON that is truncated, too deep or not JSON at all, request blocks of every shape
// (and of none), and YAML front matter with the constructs that trip parsers.
import fc from 'fast-check';

export const MODEL_IDS = ['claude-sonnet-5', 'claude-opus-4-1', 'claude-sonnet-4-6', 'claude-3-haiku-20240307'];

const edgeNumber = fc.constantFrom(0, -0, -1, 1e308, -1e308, 1e-300, 2 ** 53, 2 ** 53 + 2, 9007199254740991, 0.1234567, 1.5, 1e21, 4096, 1_000_000, 1_000_001);

export const weirdNumber = fc.oneof(fc.integer(), fc.nat(), fc.double({ noNaN: true }), edgeNumber);

export const scalar = fc.oneof(weirdNumber, fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant('5'));

const small = fc.jsonValue({ maxDepth: 2 });

/** Text that claims to be JSON: valid, truncated, too deep, binary, or empty. */
export const adversarialJsonText = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.json({ maxDepth: 3 }).chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))),
  fc.integer({ min: 100, max: 4000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 4000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => '['.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'null', '\u0000', '\ufeff{}', '{"__proto__": {"input_tokens": 1}}', '[null]', '1e999', '-'),
);

const USAGE_FIELDS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation', 'server_tool_use', 'service_tier', 'inference_geo', 'speed'];

export const usageText = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...USAGE_FIELDS), fc.string({ maxLength: 6 })), fc.oneof(scalar, small, fc.dictionary(fc.constantFrom('ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens', 'web_search_requests'), scalar)), { maxKeys: 8 }).map((o) => JSON.stringify(o)),
  fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat() }).map((o) => JSON.stringify(o)),
  adversarialJsonText,
);

const PRICE_FIELDS = ['input', 'write5m', 'write1h', 'read', 'output', 'minCacheableTokens', 'contextWindow', 'tokenizer', 'aliases', 'displayName'];

export const pricesText = fc.oneof(
  fc
    .dictionary(
      fc.oneof(fc.constantFrom(...MODEL_IDS), fc.string({ maxLength: 8 })),
      fc.oneof(fc.dictionary(fc.constantFrom(...PRICE_FIELDS), fc.oneof(scalar, fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.constantFrom('claude-legacy', 'claude-2026'))), scalar),
      { maxKeys: 3 },
    )
    .map((o) => JSON.stringify(o)),
  adversarialJsonText,
);

const block = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.oneof(fc.string({ maxLength: 30 }), scalar) }),
  fc.record({ type: fc.constant('tool_use'), id: fc.oneof(fc.string({ maxLength: 6 }), scalar), name: fc.oneof(fc.string({ maxLength: 6 }), scalar), input: small }),
  fc.record({ type: fc.constant('tool_result'), tool_use_id: fc.oneof(fc.string({ maxLength: 6 }), scalar), content: fc.oneof(fc.string({ maxLength: 20 }), small, fc.array(small, { maxLength: 2 })) }),
  fc.record({ type: fc.constantFrom('image', 'document', 'thinking', 'redacted_thinking', 'server_tool_use', 'bogus'), source: small, thinking: scalar, data: scalar }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('text'), text: fc.string({ maxLength: 5 }), cache_control: fc.oneof(small, fc.constant({ type: 'ephemeral', ttl: '1h' })) }),
  small,
);

const content = fc.oneof(fc.string({ maxLength: 40 }), fc.array(block, { maxLength: 4 }), scalar);

const tool = fc.oneof(
  fc.record({ name: fc.oneof(fc.stringMatching(/^[a-z_]{1,10}$/), scalar), description: fc.oneof(fc.string({ maxLength: 20 }), scalar), input_schema: fc.oneof(fc.constant({ type: 'object' }), small) }, { requiredKeys: ['name'] }),
  small,
);

const request = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODEL_IDS), scalar),
    max_tokens: weirdNumber,
    system: fc.oneof(fc.string({ maxLength: 40 }), fc.array(block, { maxLength: 3 }), scalar),
    tools: fc.oneof(fc.array(tool, { maxLength: 3 }), scalar),
    messages: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'tool', ''), content }, { requiredKeys: [] }), { minLength: 0, maxLength: 5 }), scalar),
    tool_choice: small,
    thinking: small,
  },
  { requiredKeys: ['model', 'messages'] },
);

const wildLine = fc
  .record({ at_s: fc.oneof(fc.nat({ max: 100_000 }), weirdNumber), request, output_tokens: fc.oneof(fc.nat({ max: 5000 }), weirdNumber) }, { requiredKeys: ['at_s', 'request'] })
  .map((o) => JSON.stringify(o));

const goodBlock = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.string({ minLength: 1, maxLength: 200 }) }),
  fc.record({ type: fc.constant('tool_use'), id: fc.stringMatching(/^toolu_[a-z0-9]{1,6}$/), name: fc.stringMatching(/^[a-z_]{1,10}$/), input: small }),
  fc.record({ type: fc.constant('tool_result'), tool_use_id: fc.stringMatching(/^toolu_[a-z0-9]{1,6}$/), content: fc.string({ maxLength: 200 }) }),
);

/** Requests the simulator accepts (mostly), so the replay itself is exercised, not only the validation. */
const goodRequest = fc.record({
  model: fc.constantFrom(...MODEL_IDS),
  max_tokens: fc.integer({ min: 1, max: 8192 }),
  system: fc.oneof(fc.string({ maxLength: 3000 }), fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ minLength: 1, maxLength: 3000 }) }), { minLength: 1, maxLength: 3 })),
  tools: fc.array(fc.record({ name: fc.stringMatching(/^[a-z_]{1,10}$/), description: fc.string({ maxLength: 100 }), input_schema: fc.constant({ type: 'object' }) }), { maxLength: 3 }),
  messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.oneof(fc.string({ minLength: 1, maxLength: 500 }), fc.array(goodBlock, { minLength: 1, maxLength: 4 })) }), { minLength: 1, maxLength: 8 }),
});

const goodLines = fc.array(fc.tuple(fc.nat({ max: 4000 }), goodRequest, fc.nat({ max: 2000 })), { minLength: 1, maxLength: 6 }).map((rows) => {
  let at = 0;
  return rows.map(([gap, request, out]) => JSON.stringify({ at_s: (at += gap), request, output_tokens: out }));
});

export const traceText = fc.oneof(
  { weight: 3, arbitrary: goodLines.map((lines) => lines.join('\n')) },
  { weight: 2, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: wildLine }, { weight: 1, arbitrary: adversarialJsonText }), { maxLength: 6 }).map((lines) => lines.join('\n')) },
);

const KEYS = ['id', 'model', 'ttl', 'tools', 'context', 'max_tokens', 'temperature', 'stop_sequences', 'description', 'mode', 'files', 'sample', 'template', 'name'];

const yamlValue = fc.oneof(
  fc.constantFrom('claude-sonnet-5', '5m', '1h', '10m', 'tools/t.json', 'docs/x.md', '../../etc/passwd', '/dev/zero', 'fifo', '"docs/*.md"', '[docs/a.md, "docs/*.md"]'),
  fc.constantFrom('&a x', '*a', '*nope', '!!binary aGVsbG8=', '!!js/function "f"', '{a: 1, a: 2}', '[1, [2, [3]]]', '|\n  block', '>-\n  folded', "'it''s'", '"\\u0000"', '~', '.inf', '0x1F', '2024-01-01', '1e308', '-1'),
  fc.integer({ min: 60, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 20 }),
  weirdNumber.map((n) => String(n)),
);

const yamlLine = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), yamlValue).map(([k, v]) => `${k}: ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('context:\n  ttl: 1h\n  files:\n    - docs/x.md\n    - docs/ok.md', 'context:\n  files: [docs/link-out.md]', '  - dangling item', '\t id: tab', '<<: *a', '? complex key\n: value', '---', '...', '# comment', '') },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')) },
);

/** A whole prompt file: usually fenced front matter, sometimes broken fences or none. */
export const promptText = fc
  .tuple(fc.array(yamlLine, { maxLength: 6 }), fc.string({ maxLength: 60 }), fc.constantFrom('fenced', 'fenced', 'fenced', 'unclosed', 'none', 'crlf'))
  .map(([lines, body, shape]) => {
    const fm = lines.join('\n');
    if (shape === 'none') return `${fm}\n${body}`;
    if (shape === 'unclosed') return `---\n${fm}\n${body}`;
    const text = `---\n${fm}\n---\n${body || 'Body'}\n`;
    return shape === 'crlf' ? text.replace(/\n/g, '\r\n') : text;
  });
