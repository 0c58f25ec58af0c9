// Request validation like the API's: every bad input is a 4xx in Anthropic's error shape, never a
// 500, and nothing invalid reaches the cache.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { cachedRequest, rawPost, TEST_KEY, withEmulator } from './helpers';

const V1 = { 'x-api-key': TEST_KEY, 'anthropic-version': '2026-10-21' };
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString('base64');

const withSystemCc = (cc: unknown) => ({ ...cachedRequest(), system: [{ type: 'text', text: cachedRequest().system?.[0] && (cachedRequest().system as Array<{ text: string }>)[0]?.text, cache_control: cc }] });
const userBlocks = (...content: unknown[]) => ({ ...cachedRequest(), messages: [{ role: 'user', content }] });
const image = (media_type: string, data: string) => ({ type: 'image', source: { type: 'base64', media_type, data } });

/** `"[[[[...]]]]"` nested `depth` levels, as raw JSON text. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('backends/emulator request validation', () => {
  let emu: EmulatorHandle;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());

  const post = (body: unknown, path = '/v1/messages') => rawPost(`${emu.url}${path}`, typeof body === 'string' ? body : JSON.stringify(body), V1);

  async function expect400(body: unknown, pattern: RegExp, path?: string): Promise<void> {
    const r = await post(body, path);
    const err = r.json.error as { type: string; message: string } | undefined;
    assert.equal(r.status, 400, `${String(JSON.stringify(body)).slice(0, 80)} -> ${r.status} ${err?.message}`);
    assert.equal(r.json.type, 'error');
    assert.equal(err?.type, 'invalid_request_error');
    assert.match(err.message, pattern);
    assert.match(String(r.headers.get('request-id')), /^req_emu_/);
  }

  it('refuses cache_control other than {type: ephemeral, ttl?: 5m|1h}, and caches nothing for it', async () => {
    await expect400(withSystemCc({ type: 'pin' }), /^system\.0\.cache_control\.type: Input should be 'ephemeral'$/);
    await expect400(withSystemCc({ type: 'ephemeral', ttl: '10m' }), /^system\.0\.cache_control\.ttl: Input should be '5m' or '1h'$/);
    await expect400(withSystemCc({ type: 'ephemeral', ttl: 300 }), /cache_control\.ttl/);
    await expect400(withSystemCc('ephemeral'), /^system\.0\.cache_control: Input should be a valid dictionary$/);
    await expect400(withSystemCc({}), /^system\.0\.cache_control\.type: Field required$/);
    await expect400(withSystemCc({ type: 'ephemeral', scope: 'global' }), /cache_control\.scope: Extra inputs are not permitted/);
    await expect400({ ...cachedRequest(), cache_control: { type: 'ephemeral', ttl: '2h' } }, /^cache_control\.ttl/);
    assert.deepEqual(emu.state().entries, []);
    assert.equal((await post(withSystemCc(null))).status, 200, 'null is the SDK\'s "no cache_control"');
  });

  it('answers wrong shapes with a 400, not a 500: system 5, tools {}, content [null], non-object blocks', async () => {
    await expect400({ ...cachedRequest(), system: 5 }, /^system: Input should be a valid string or a valid list$/);
    await expect400({ ...cachedRequest(), tools: {} }, /^tools: Input should be a valid list$/);
    await expect400(userBlocks(null), /^messages\.0\.content\.0: Input should be a valid dictionary$/);
    await expect400(userBlocks('text'), /^messages\.0\.content\.0: Input should be a valid dictionary$/);
    await expect400({ ...cachedRequest(), messages: [null] }, /^messages\.0: Input should be a valid dictionary$/);
    await expect400({ ...cachedRequest(), tools: [{ name: 'x' }] }, /^tools\.0\.input_schema: Field required$/);
    await expect400({ ...cachedRequest(), tools: [{ name: 'a b', input_schema: { type: 'object' } }] }, /tools\.0\.name: String should match pattern/);
    await expect400({ ...cachedRequest(), max_tokens: 1.5 }, /^max_tokens: Input should be a valid integer$/);
    await expect400({ ...cachedRequest(), stream: 'yes' }, /^stream: Input should be a valid boolean$/);
    await expect400({ ...cachedRequest(), tool_choice: { type: 'tool' } }, /^tool_choice\.tool\.name: Field required$/);
    await expect400({ ...cachedRequest(), thinking: { type: 'enabled', budget_tokens: 10 } }, /budget_tokens: Input should be greater than or equal to 1024/);
  });

  it('refuses unknown block types and blocks in the wrong role', async () => {
    await expect400(userBlocks({ type: 'hologram', text: 'x' }), /^messages\.0\.content\.0: Input tag "hologram" found using 'type' does not match/);
    await expect400(userBlocks({ text: 'x' }), /^messages\.0\.content\.0\.type: Field required$/);
    await expect400(userBlocks({ type: 'tool_use', id: 't1', name: 'x', input: {} }), /Input tag "tool_use"/);
    await expect400(userBlocks({ type: 'text' }), /^messages\.0\.content\.0\.text\.text: Field required$/);
  });

  it('bounds nesting: 100,000 levels deep is a 400, not a stack overflow', async () => {
    const tooDeep = `{"model":"claude-sonnet-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]}],"metadata":{"deep":${nested(100_000)}}}`;
    await expect400(tooDeep, /nests deeper than 128 levels/);
    const toolInput = `{"model":"claude-sonnet-5","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"a":${nested(100_000)}}}]}]}`;
    await expect400(toolInput, /nests deeper/);
    await expect400(toolInput, /nests deeper/, '/v1/messages/count_tokens');
    const fine = `{"model":"claude-sonnet-5","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"a":${nested(100)}}}]},{"role":"user","content":"ok"}]}`;
    assert.equal((await post(fine)).status, 200);
  });

  it('checks images: base64, a real image, and the media type it names', async () => {
    assert.equal((await post(userBlocks(image('image/png', PNG_1PX), { type: 'text', text: 'what is it?' }))).status, 200);
    await expect400(userBlocks(image('image/png', 'not base64!')), /image\.source\.base64\.data: The image data is not valid base64/);
    await expect400(userBlocks(image('image/png', Buffer.from('hello world!').toString('base64'))), /Could not process image/);
    await expect400(userBlocks(image('image/png', JPEG_HEAD)), /image\/png media type, but the image appears to be a image\/jpeg image/);
    await expect400(userBlocks(image('image/bmp', PNG_1PX)), /media_type: Input should be 'image\/jpeg', 'image\/png', 'image\/gif' or 'image\/webp'/);
    await expect400(userBlocks({ type: 'image', source: { type: 'url', url: 'javascript:alert(1)' } }), /source\.url\.url/);
    await expect400(userBlocks({ type: 'image' }), /^messages\.0\.content\.0\.image\.source: Field required$/);
  });

  it('bounds max_tokens by the model and allows role system only where the spec documents it', async () => {
    await expect400({ ...cachedRequest(), max_tokens: 2_000_000 }, /^max_tokens: 2000000 > 1000000, which is the maximum allowed number of output tokens for claude-sonnet-5/);
    const mid = { role: 'system', content: 'Answer in French from now on.' };
    const convo = (model: string) => ({ ...cachedRequest(), model, messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, mid, { role: 'user', content: 'Ok?' }] });
    await expect400(convo('claude-sonnet-5'), /^messages\.2\.role: 'system' messages are not supported by claude-sonnet-5/);
    assert.equal((await post(convo('claude-opus-5'))).status, 200);
    await expect400({ ...convo('claude-opus-5'), messages: [{ role: 'system', content: [{ type: 'image', source: {} }] }] }, /messages\.0\.content\.0: Input tag "image"/);
  });

  it('refuses an anthropic-version that is not a date', async () => {
    const r = await rawPost(`${emu.url}/v1/messages`, JSON.stringify(cachedRequest()), { 'x-api-key': TEST_KEY, 'anthropic-version': 'latest' });
    assert.equal(r.status, 400);
    assert.match((r.json.error as { message: string }).message, /^anthropic-version: "latest" is not a valid version/);
  });

  it('count_tokens gets the same checks', async () => {
    const { max_tokens: _m, ...body } = withSystemCc({ type: 'pin' });
    await expect400(body, /cache_control\.type/, '/v1/messages/count_tokens');
    await expect400({ model: 'claude-sonnet-5', messages: [{ role: 'user', content: [null] }] }, /messages\.0\.content\.0/, '/v1/messages/count_tokens');
  });
});
