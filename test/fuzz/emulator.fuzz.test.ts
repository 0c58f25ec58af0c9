// Fuzzing the emulator over HTTP: random, mutated and hand-written hostile bodies. Every answer
// must be a 200 or a 4xx in Anthropic's error shape: never a 5xx, a hang, or a stack trace.
// Bounded in time (each property stops after its share of the budget, not after a run count), so
// the tier stays under 30 s on a busy machine; fast-check prints the seed of any failure.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { startEmulator, type EmulatorHandle } from '../../src/backends/emulator/server';
import { NASTY_BODIES, validBody } from './nasties';

const KEY = 'sk-ant-api03-FUZZ-0000000000000000000000000000000000';
const HEADERS = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2026-10-21' };
const PER_REQUEST_MS = 5000;
const STACK_TRACE = /\n\s+at [^\n]*:\d+:\d+|node:internal|\/src\/backends\//;

interface Answer {
  status: number;
  text: string;
}

/** Statuses seen, so a generator that only ever produces one kind of answer is noticed. */
const seen = new Map<number, number>();

async function send(emu: EmulatorHandle, path: string, body: string, headers: Record<string, string> = HEADERS): Promise<Answer> {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', body, headers, signal: AbortSignal.timeout(PER_REQUEST_MS) });
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  return { status: res.status, text: await res.text() };
}

/** The contract every answer keeps, whatever was sent. */
function assertWellFormed(a: Answer, what: string): void {
  const where = `${what.slice(0, 200)} -> ${a.status} ${a.text.slice(0, 300)}`;
  assert.ok(a.status === 200 || (a.status >= 400 && a.status < 500), `status: ${where}`);
  assert.ok(!STACK_TRACE.test(a.text), `stack trace in the body: ${where}`);
  if (a.status === 200) {
    if (a.text.startsWith('event:')) assert.match(a.text, /event: message_stop\n/, `unfinished stream: ${where}`);
    else assert.equal(typeof JSON.parse(a.text), 'object', where);
    return;
  }
  const body = JSON.parse(a.text) as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  assert.equal(body.type, 'error', where);
  assert.equal(typeof body.error?.type, 'string', where);
  assert.equal(typeof body.error?.message, 'string', where);
}

/** A JSON value to put anywhere: fast-check's JSON plus the values that break naive code. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, '', 0, -1, 1e308, -0, 1.5, true, [], {}, [null], { type: 'pin' }, '__proto__', 'constructor', '\u0000', '\ud800', 'toString', { __proto__: null }),
);

/** Every path (as keys) into a JSON value. */
function pathsOf(v: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/** A valid request with one value somewhere replaced (or a key added) by a hostile one. */
const mutated = fc.tuple(fc.boolean(), fc.nat(), hostile, fc.constantFrom('cache_control', 'type', 'ttl', 'source', 'content', 'role', 'text', 'input')).map(([stream, at, value, key]) => {
  const base = validBody(stream);
  const paths = pathsOf(base);
  const path = paths[at % paths.length] as Array<string | number>;
  const node = path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], base);
  const addKey = at % 3 === 0 && !!node && typeof node === 'object' && !Array.isArray(node);
  return addKey ? setAt(base, [...path, key], value) : setAt(base, path, value);
});

const block = fc.record(
  {
    type: fc.constantFrom('text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'search_result', 'web_search_tool_result', 'hologram', ''),
    text: hostile,
    source: hostile,
    cache_control: fc.oneof(fc.record({ type: fc.constantFrom('ephemeral', 'pin', 5), ttl: fc.constantFrom('5m', '1h', '10m', 300, null) }, { requiredKeys: ['type'] }), hostile),
    id: hostile,
    name: hostile,
    input: hostile,
    content: hostile,
  },
  { requiredKeys: ['type'] },
);

/** Structurally plausible requests built from parts, each part sometimes wrong. */
const built = fc.record(
  {
    model: fc.constantFrom('claude-sonnet-5', 'claude-opus-5', 'claude-3-haiku-20240307', 'claude-nope', ''),
    max_tokens: fc.oneof(fc.integer({ min: -2, max: 2_000_000 }), hostile),
    messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'robot'), content: fc.oneof(fc.string(), fc.array(block, { maxLength: 4 }), hostile) }), { maxLength: 4 }),
    system: fc.oneof(fc.string(), fc.array(block, { maxLength: 3 }), hostile),
    tools: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.string(), hostile), input_schema: hostile, cache_control: hostile, type: hostile }, { requiredKeys: [] }), { maxLength: 3 }), hostile),
    cache_control: hostile,
    stream: fc.oneof(fc.boolean(), hostile),
    thinking: hostile,
    tool_choice: hostile,
  },
  { requiredKeys: ['model', 'messages'] },
);

describe('fuzz: the emulator over HTTP', function () {
  this.timeout(40_000);
  let emu: EmulatorHandle;
  let started = 0;
  before(async () => {
    started = Date.now();
    emu = await startEmulator({ now: () => Date.UTC(2026, 10, 27, 12) });
  });
  after(() => emu.close());
  afterEach(async () => {
    // Still serving, and not leaking cache entries without an expiry.
    const state = (await (await fetch(`${emu.url}/_emulator/state`, { signal: AbortSignal.timeout(PER_REQUEST_MS) })).json()) as { entries: Array<{ expires_in_s: number }> };
    for (const e of state.entries) assert.ok(Number.isFinite(e.expires_in_s) && e.expires_in_s <= 3600, JSON.stringify(e));
  });

  const property = (gen: fc.Arbitrary<unknown>, timeMs: number, encode = (v: unknown) => JSON.stringify(v) ?? 'null') =>
    fc.assert(
      fc.asyncProperty(gen, fc.constantFrom('/v1/messages', '/v1/messages/count_tokens'), async (value, path) => {
        const body = encode(value);
        assertWellFormed(await send(emu, path, body), `${path} ${body}`);
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: timeMs, markInterruptAsFailure: false },
    );

  it('hand-written hostile bodies', async () => {
    for (const [name, body] of NASTY_BODIES) {
      for (const path of ['/v1/messages', '/v1/messages/count_tokens']) assertWellFormed(await send(emu, path, body), `${name} ${path}`);
    }
  });

  it('random JSON values', () => property(fc.jsonValue(), 3000));
  it('random text, not JSON', () => property(fc.string({ unit: 'binary', maxLength: 200 }), 2000, (v) => v as string));
  it('valid requests with one value replaced', () => property(mutated, 6000));
  it('requests built from sometimes-wrong parts', () => property(built, 6000));

  it('random control settings', () =>
    fc.assert(
      fc.asyncProperty(fc.constantFrom('clock', 'faults', 'reset'), fc.oneof(fc.jsonValue(), fc.record({ advance_s: hostile }), fc.record({ status: fc.oneof(fc.integer(), hostile), latencyMs: hostile, count: hostile }, { requiredKeys: [] })), async (what, value) => {
        assertWellFormed(await send(emu, `/_emulator/${what}`, JSON.stringify(value) ?? 'null'), `${what} ${JSON.stringify(value)}`);
        emu.reset(); // a fault that was accepted must not delay the next case
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: 2000, markInterruptAsFailure: false },
    ));

  it('stayed within its time budget and reached both accepted and refused requests', () => {
    assert.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
    assert.ok((seen.get(200) ?? 0) > 10 && (seen.get(400) ?? 0) > 10, JSON.stringify([...seen]));
  });
});
