import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import { WORKSPACE } from './scenarios';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(['plan', ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '' });
  return { code, out, err };
}

describe('cli plan', () => {
  it('--json prints model, breakpoints, the exact request and cold/warm predictions', async () => {
    const r = await run(join(WORKSPACE, '.prompts/support-agent.md'), '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.model, 'claude-sonnet-5');
    assert.deepEqual(j.breakpoints.map((b: { tier: string; placed: boolean; ttl: string }) => `${b.tier}:${b.ttl}:${b.placed}`), ['tools:1h:true', 'system:1h:true', 'context:5m:true', 'anchor:5m:false', 'conversation:5m:true']);
    assert.equal(j.request.system.length, 5);
    assert.equal(j.request.messages[0].content[0].text, '(placeholder user message)');
    assert.ok(j.predicted.warm_usd < j.predicted.cold_usd / 10, JSON.stringify(j.predicted));
  });

  it('human output marks estimates with ≈', async () => {
    const r = await run(join(WORKSPACE, 'prompts/code-reviewer.prompt.md'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /system\s+5m\s+≈ [\d,]+\s+yes/);
  });

  it('front-matter errors print diagnostics with line numbers and exit 2', async () => {
    const r = await run(join(WORKSPACE, 'prompts/broken.prompt.md'));
    assert.equal(r.code, 2);
    assert.match(r.err, /broken\.prompt\.md:4:6: error: 'ttl' must be 5m or 1h/);
    assert.match(r.err, /broken\.prompt\.md:5:1: warning: Unknown key 'max_token'/);
  });

  it('missing file, unknown model and bad flags exit 2', async () => {
    assert.equal((await run(join(WORKSPACE, 'nope.md'))).code, 2);
    const m = await run(join(WORKSPACE, 'prompts/greeting.prompt.md'), '--model', 'claude-nope');
    assert.equal(m.code, 2);
    assert.match(m.err, /Unknown model "claude-nope"/);
    assert.equal((await run('--bogus')).code, 2);
  });
});
