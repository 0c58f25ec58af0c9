// prompt-cache-lab: the CLI over the same engine the extension uses.
import { CliError, type CliCommand, type CliIO } from './cli/io';
import { exitFor } from './cli/errors';
import { readStreamBounded } from './node/boundedRead';
import { countCommand } from './cli/count';
import { costCommand } from './cli/cost';
import { planCommand } from './cli/plan';
import { checkCommand } from './cli/check';
import { simulateCommand } from './cli/simulate';
import { emulatorCommand } from './cli/emulator';
import { reportCommand } from './cli/report';
import { runCommand } from './cli/run';

const commands: Record<string, { run: CliCommand; summary: string }> = {
  count: { run: countCommand, summary: 'count <file|-> [--model id] [--json]' },
  cost: { run: costCommand, summary: "cost --model <id> --usage '<usage JSON>'|- [--ttl 5m|1h] [--prices f] [--json]" },
  plan: { run: planCommand, summary: 'plan <prompt-file> [--model id] [--prices f] [--json]' },
  check: { run: checkCommand, summary: 'check <file|dir…> [--json] [--prices f] [--max-file-bytes n]' },
  simulate: {
    run: simulateCommand,
    summary: 'simulate --trace <file|-> --strategy <name> [--prices f] [--json] [--emit-requests]',
  },
  emulator: { run: emulatorCommand, summary: 'emulator [--port n] [--script file]' },
  run: {
    run: runCommand,
    summary: 'run <prompt-file> --message <text> [--message <text>…] [--agent] [--workspace dir] [--tool-results f] [--backend offline|anthropic] [--script f] [--ledger f] [--json]',
  },
  report: { run: reportCommand, summary: 'report <ledger.jsonl> [--by session|prompt|version|model|day] [--json] [--csv]' },
};

function usage(): string {
  const lines = Object.values(commands).map((c) => `  prompt-cache-lab ${c.summary}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`prompt-cache-lab: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: prompt-cache-lab ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const { code, message } = exitFor(err);
    io.stderr(`prompt-cache-lab ${name}: ${message}\n`);
    return code;
  }
}

const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async (maxBytes) => {
    const read = await readStreamBounded(process.stdin, maxBytes);
    if (!read.ok) throw new CliError(read.message);
    return read.bytes.toString('utf8');
  },
};

if (require.main === module) {
  // `prompt-cache-lab … | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2), processIO).then((code) => {
    process.exitCode = code;
  });
}
