// Long pre-tokens (a run of letters with no space, CJK with no punctuation, a line of '='):
// counted window by window in linear time, with the same count as one whole merge.
import { strict as assert } from 'node:assert';
import { bpeCount, bpeCountWhole, WINDOW } from '../../../src/core/tokens/bpe';
import { countO200k, countO200kReference, o200kRanks } from '../../../src/core/tokens/count';
import { IncrementalCounter } from '../../../src/core/tokens/incremental';
import { seeded } from './corpora';

const ALPHABETS: Record<string, string> = {
  latin: 'abcdefghijklmnopqrstuvwxyz',
  vowels: 'aeiou',
  ab: 'ab',
  mixedCase: 'aBcDeFgHiJ',
  cjk: '日本語のテキストです中文文本还有한국어텍스트입니다漢字カタカナ',
  cyrillic: 'абвгдежзийклмнопрстуфхцчшщыэюя',
  thai: 'กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ',
  hebrew: 'אבגדהוזחטיכלמנסעפצקרשת',
  punct: '=-*#~',
  marks: 'e\u0301a\u0308',
};

function pick(next: () => number, alphabet: string, chars: number): string {
  const a = [...alphabet];
  const out: string[] = [];
  for (let i = 0; i < chars; i++) out.push(a[Math.floor(next() * a.length)] as string);
  return out.join('');
}

const utf8 = new TextEncoder();

describe('tokens/long runs', () => {
  const ranks = o200kRanks();
  if (!ranks) throw new Error('js-tiktoken internals not found');

  it('merges pieces up to a few kB exactly as js-tiktoken does', () => {
    const next = seeded(7);
    for (const [name, alphabet] of Object.entries(ALPHABETS)) {
      for (const chars of [70, 400]) {
        const text = pick(next, alphabet, chars);
        assert.equal(countO200k(text), countO200kReference(text), `${name} x ${chars}`);
      }
    }
  });

  it('counts a piece longer than the window like one whole merge', () => {
    const next = seeded(11);
    const pieces = [
      'a'.repeat(3 * WINDOW + 5),
      'z'.repeat(50_001),
      'ab'.repeat(2 * WINDOW),
      ' '.repeat(3 * WINDOW),
      '='.repeat(2 * WINDOW + 1),
      'thequickbrownfoxjumpsoverthelazydog'.repeat(1000),
      ...Object.values(ALPHABETS).flatMap((a) => [pick(next, a, 3 * WINDOW), pick(next, a, 7 * WINDOW + 3)]),
    ];
    for (const p of pieces) {
      const bytes = utf8.encode(p);
      assert.ok(bytes.length > WINDOW);
      assert.equal(bpeCount(bytes, ranks), bpeCountWhole(bytes, ranks), `${p.slice(0, 12)}… (${bytes.length} bytes)`);
    }
  });

  it('keeps the whole-token shortcut for long tokens and known totals', () => {
    // 64..128-byte pieces that are single tokens (runs of spaces and of '=' are in o200k).
    for (const p of [' '.repeat(80), '='.repeat(64), '-'.repeat(96)]) assert.equal(countO200k(p), countO200kReference(p), JSON.stringify(p.slice(0, 3)));
    assert.equal(countO200k('z'.repeat(50_000)), 25_000);
    assert.equal(countO200k('a'.repeat(1_000_000)), 125_000);
  });

  it('incremental counts of a document holding a long run stay equal to a full count', () => {
    const doc = `intro line\n${'x'.repeat(40_000)}\n${pick(seeded(3), ALPHABETS.cjk as string, 20_000)}\nend\n`;
    const c = new IncrementalCounter();
    assert.equal(c.count(doc), countO200k(doc));
    const edited = doc.slice(0, 20_000) + 'y' + doc.slice(20_000);
    assert.equal(c.count(edited), countO200k(edited));
  });

  it('counts multi-megabyte runs in linear time (regression: 2.2 s and 220 MB per MB before)', function () {
    // A generous bound, not a measurement (test/bench/tokens-runs.bench.ts has the figures):
    // before the fix these 7 MB took about 20 s on an idle machine; now about 2 s.
    this.timeout(15_000);
    const next = seeded(5);
    const runs = ['a'.repeat(2_000_000), pick(next, ALPHABETS.latin as string, 2_000_000), ' '.repeat(2_000_000) + 'x', pick(next, ALPHABETS.cjk as string, 330_000)];
    for (const r of runs) assert.ok(countO200k(r) > 0);
  });
});
