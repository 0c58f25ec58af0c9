// The panel's conversation overrides as the engine applies them: a model id replacing the file's,
// TTLs picked per tier (the planner's rules still apply and say what they changed).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planPrompt } from '../../../src/core/session/engine';
import type { PlanRequest } from '../../../src/core/session/engineProtocol';

describe('planPrompt with conversation overrides', () => {
  let root: string;
  let base: PlanRequest;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pcl-overrides-'));
    const path = join(root, 'a.prompt.md');
    writeFileSync(join(root, 'faq.md'), 'Refunds take five days. '.repeat(400));
    const text = `---\nid: a\nmodel: claude-sonnet-5\nttl: 5m\ncontext:\n  ttl: 5m\n  files: [faq.md]\n---\n${'You answer questions about orders and refunds. '.repeat(300)}\n`;
    writeFileSync(path, text);
    base = { path, text, root, modelOverrides: {}, defaultModel: 'claude-sonnet-5' };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const ttlOf = (r: Awaited<ReturnType<typeof planPrompt>>, tier: string) => r.breakpoints.find((b) => b.tier === tier && b.placed)?.ttl;
  const markers = (r: Awaited<ReturnType<typeof planPrompt>>) => JSON.stringify(r.request).match(/"ttl":"(5m|1h)"/g) ?? [];

  it('a picked model replaces the file\'s in the plan and the request body', async () => {
    const r = await planPrompt({ ...base, model: 'claude-haiku-4-5' });
    assert.equal(r.error, undefined);
    assert.match(r.model, /^claude-haiku-4-5/);
    assert.match(r.request?.model ?? '', /^claude-haiku-4-5/);
  });

  it('picked TTLs reach the breakpoints of the request; tiers not picked keep the file\'s', async () => {
    const plain = await planPrompt(base);
    assert.equal(ttlOf(plain, 'system'), '5m');
    const r = await planPrompt({ ...base, ttl: { system: '1h', context: '1h' } });
    assert.equal(ttlOf(r, 'system'), '1h');
    assert.equal(ttlOf(r, 'context'), '1h');
    assert.match(r.breakpoints.find((b) => b.tier === 'system')?.reason ?? '', /picked for this conversation in the panel/);
    assert.ok(markers(r).filter((m) => m.includes('1h')).length >= 2, 'the body carries the 1h markers');
    assert.ok((r.coldUsd ?? 0) > (plain.coldUsd ?? 0), 'a 1h write costs more than a 5m one on the first send');
  });

  it('1h after 5m is resolved by the planner, and its reason is a note', async () => {
    const r = await planPrompt({ ...base, ttl: { system: '5m', context: '1h' } });
    const sys = ttlOf(r, 'system');
    const ctx = ttlOf(r, 'context');
    assert.ok(!(sys === '5m' && ctx === '1h'), 'never a 1h entry after a 5m one');
    assert.ok((r.notes ?? []).some((n) => /The planner changed a TTL you picked: .*(promoted|demoted)/.test(n)), JSON.stringify(r.notes));
  });

  it('an unknown model is a plan error, and bad TTL values are ignored', async () => {
    const r = await planPrompt({ ...base, model: 'claude-sonet-5' });
    assert.match(r.error ?? '', /claude-sonet-5/);
    const odd = await planPrompt({ ...base, ttl: { system: '10m', conversation: 7 } as unknown as PlanRequest['ttl'] });
    assert.equal(ttlOf(odd, 'system'), '5m');
  });
});
