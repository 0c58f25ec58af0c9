import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseCache, responseCacheKey } from '../../../src/backends/responseCache';
import type { SendResult } from '../../../src/backends/types';
import type { MessagesRequest } from '../../../src/shared/anthropic';

const req = (q = 'What is caching?'): MessagesRequest => ({
  model: 'claude-sonnet-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: q }],
});

const result = (text = 'An answer.'): SendResult => ({
  content: [{ type: 'text', text }], text, stopReason: 'end_turn', usage: { input_tokens: 10, output_tokens: 3 },
  ttftMs: 5, totalMs: 9, requestId: 'req_1', messageId: 'msg_1', model: 'claude-sonnet-5', partial: false,
});

describe('backends/ResponseCache', () => {
  let dir: string;
  let now: number;
  let lines: string[];
  const cache = (opts: { ttlMs?: number; maxBytes?: number } = {}) => new ResponseCache({ dir, now: () => now, log: (l) => lines.push(l), ...opts });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcl-rc-'));
    now = 1_000_000;
    lines = [];
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('answers an identical request from disk, ignoring cache_control, stream and string/block form', async () => {
    const c = cache();
    assert.equal(await c.get(req()), undefined);
    assert.equal(await c.put(req(), result()), true);
    const moved = { ...req(), stream: true, system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }], messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is caching?' }] }] };
    const hit = await c.get(moved);
    assert.equal(hit?.result.text, 'An answer.');
    assert.equal(hit?.storedAtMs, 1_000_000);
    assert.equal(await c.get(req('Another question')), undefined);
    assert.equal(await c.get({ ...req(), max_tokens: 101 }), undefined, 'parameters are part of the key');
    assert.deepEqual(await c.stats(), { entries: 1, bytes: (await c.stats()).bytes, hits: 1, misses: 3, evictions: 0 });
    // A new instance over the same folder sees the entry.
    assert.equal((await cache().get(req()))?.result.text, 'An answer.');
  });

  it('keeps a tool schema property named cache_control in the key', () => {
    const a = { ...req(), tools: [{ name: 't', input_schema: { type: 'object' as const, properties: { cache_control: { type: 'string' } } } }] };
    const b = { ...req(), tools: [{ name: 't', input_schema: { type: 'object' as const, properties: {} } }] };
    assert.notEqual(responseCacheKey(a), responseCacheKey(b));
  });

  it('expires entries after the TTL (24 h by default)', async () => {
    const c = cache();
    await c.put(req(), result());
    now += 24 * 3600_000 - 1;
    assert.ok(await c.get(req()));
    now += 1;
    assert.equal(await c.get(req()), undefined);
    assert.equal((await c.stats()).entries, 0);
  });

  it('evicts the least recently used entries beyond the byte cap', async () => {
    const probe = cache();
    await probe.put(req('size probe'), result('x'.repeat(200)));
    const one = (await probe.stats()).bytes;
    await probe.clear();
    const c = cache({ maxBytes: one * 2 + 10 });
    await c.put(req('a'), result('x'.repeat(200)));
    now += 1000;
    await c.put(req('b'), result('y'.repeat(200)));
    now += 1000;
    assert.ok(await c.get(req('a')), 'touch a: b is now the least recently used');
    now += 1000;
    await c.put(req('c'), result('z'.repeat(200)));
    assert.ok(await c.get(req('a')));
    assert.equal(await c.get(req('b')), undefined);
    assert.ok(await c.get(req('c')));
    assert.equal((await c.stats()).evictions, 1);
    assert.equal(await cache({ maxBytes: 50 }).put(req('big'), result('q'.repeat(500))), false, 'one answer above the cap is not stored');
  });

  it('drops corrupt entries with a log line, and never stores partial results', async () => {
    const c = cache();
    await c.put(req(), result());
    const [file] = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
    await fs.writeFile(join(dir, file as string), '{ not json');
    assert.equal(await c.get(req()), undefined);
    assert.match(lines.join('\n'), /dropped .*corrupt/);
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.endsWith('.json')), []);
    assert.equal(await c.put(req(), { ...result(), partial: true }), false);
    await fs.writeFile(join(dir, 'a'.repeat(64) + '.json'), JSON.stringify({ v: 1, key: 'other', storedAtMs: now, result: {} }));
    assert.equal(await cache().get(req()), undefined);
  });

  it('writes atomically: no temp files remain, and stale temp files are cleaned on load', async () => {
    await fs.writeFile(join(dir, `${'b'.repeat(64)}.1234.tmp`), 'half');
    const c = cache();
    await c.put(req(), result());
    const files = await fs.readdir(dir);
    assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0);
    assert.equal(files.length, 1);
    await c.clear();
    assert.deepEqual(await fs.readdir(dir), []);
  });

});
