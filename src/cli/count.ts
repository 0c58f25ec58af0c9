// `prompt-cache-lab count <file|-> [--model id] [--json]`: a labelled local token estimate.
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';
import { createModelTable, DEFAULT_MODEL_ID } from '../core/models/table';
import { countO200k } from '../core/tokens/count';
import { calibrationFactor, scaleTokens } from '../core/tokens/estimate';
import { classifyBytes, classifyText, MAX_COUNT_BYTES, type TextInput } from '../core/tokens/textInput';
import { readInputBytes, readStdinText } from './inputs';

/** Bounded read (a folder, FIFO or device is refused before opening, a huge file from its size). */
async function readFileInput(path: string): Promise<TextInput> {
  return classifyBytes(await readInputBytes(path, '', MAX_COUNT_BYTES));
}

function usableText(input: TextInput, source: string): { text: string; warning?: string } {
  switch (input.kind) {
    case 'empty':
      return { text: '' };
    case 'binary':
    case 'too-large':
      throw new CliError(`${source}: ${input.message}`);
    case 'text':
      return { text: input.text, warning: input.warning };
  }
}

async function readInput(target: string, io: CliIO): Promise<{ text: string; warning?: string }> {
  if (target === '-') return usableText(classifyText(await readStdinText(io, MAX_COUNT_BYTES)), 'stdin');
  return usableText(await readFileInput(target), target);
}

export const countCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, {
    model: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) {
    throw new CliError(`expected one file (or - for stdin), got ${positionals.length}; usage: count <file|-> [--model id] [--json]`);
  }
  const model = createModelTable().resolve(values.model ?? DEFAULT_MODEL_ID);
  const { text, warning } = await readInput(positionals[0] as string, io);
  const factor = calibrationFactor(model.tokenizer);
  const tokens = scaleTokens(countO200k(text), factor);
  if (warning) io.stderr(`prompt-cache-lab count: warning: ${warning}\n`);
  if (values.json) {
    printJson(io, { tokens, method: 'estimate', model: model.id });
  } else {
    io.stdout(`≈${tokens} tokens (estimate, ${model.id} calibration ×${factor})\n`);
  }
  return 0;
};
