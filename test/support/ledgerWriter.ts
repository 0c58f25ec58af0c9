// A second process for the concurrent-append tests: `node --import tsx ledgerWriter.ts <path> <count> <tag> <startAtMs> [maxBytes]`
// waits until <startAtMs> (so both writers really overlap, whatever their start-up time), appends
// <count> records through LedgerFile as fast as it can, then closes.
import { createLedgerFile } from '../../src/node/ledgerFile';
import { makeRecord } from './records';

async function main(): Promise<void> {
  const [path, count, tag, startAt, maxBytes] = process.argv.slice(2);
  if (!path || !count || !tag) throw new Error('usage: ledgerWriter <path> <count> <tag> <startAtMs>');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const ledger = createLedgerFile({ path, onWarning: (m) => process.stderr.write(`${m}\n`), ...(maxBytes ? { maxBytes: Number(maxBytes) } : {}) });
  // Padding makes lines several KB, well past one pipe/page buffer, so interleaving would show.
  const note = tag.repeat(3000);
  for (let i = 0; i < Number(count); i++) {
    const r = makeRecord({ id: `${tag}-${i}`, sessionId: tag });
    r.error = { kind: 'unknown', message: note };
    ledger.append(r);
    if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await ledger.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
