import { strict as assert } from 'node:assert';
import { classifyBytes, classifyText, looksBinary, MAX_COUNT_BYTES, OFF_THREAD_BYTES } from '../../../src/core/tokens/textInput';

const enc = (s: string) => new TextEncoder().encode(s);

describe('tokens/textInput', () => {
  it('empty input is its own kind', () => {
    assert.equal(classifyBytes(new Uint8Array(0)).kind, 'empty');
    assert.equal(classifyText('').kind, 'empty');
  });

  it('NUL bytes or many control chars mean binary, with a message', () => {
    const nul = classifyBytes(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x14]));
    assert.equal(nul.kind, 'binary');
    assert.match((nul as { message: string }).message, /binary/);
    assert.equal(looksBinary(Uint8Array.from(Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 65)))), true);
    assert.equal(looksBinary(enc('tabs\tand\r\nnewlines\f')), false);
    assert.equal(classifyText('abc\u0000def').kind, 'binary');
  });

  it('decodes invalid UTF-8 with replacement characters and says so', () => {
    const r = classifyBytes(Uint8Array.from([0x61, 0xff, 0xfe, 0x62, 0xc3]));
    assert.equal(r.kind, 'text');
    if (r.kind !== 'text') return;
    assert.equal(r.replaced, true);
    assert.equal(r.text, 'a\ufffd\ufffdb\ufffd');
    assert.match(r.warning ?? '', /replacement/);
    const ok = classifyBytes(enc('héllo 😀'));
    assert.ok(ok.kind === 'text' && !ok.replaced && ok.text === 'héllo 😀' && ok.warning === undefined);
  });

  it('reads UTF-16 with a BOM as text', () => {
    const body = Buffer.from('hi there', 'utf16le');
    const r = classifyBytes(Uint8Array.from([0xff, 0xfe, ...body]));
    assert.ok(r.kind === 'text' && r.text === 'hi there');
  });

  it('strips a UTF-8 BOM', () => {
    const r = classifyBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('x')]));
    assert.ok(r.kind === 'text' && r.text === 'x');
  });

  it('flags large input for off-thread counting and refuses huge input', () => {
    const big = new Uint8Array(OFF_THREAD_BYTES + 1).fill(0x61);
    const r = classifyBytes(big);
    assert.ok(r.kind === 'text' && r.offThread);
    const huge = classifyBytes(new Uint8Array(MAX_COUNT_BYTES + 1).fill(0x61));
    assert.equal(huge.kind, 'too-large');
    assert.match((huge as { message: string }).message, /64\.0 MB/);
  });
});
