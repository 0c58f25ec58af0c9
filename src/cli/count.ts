// `prompt-cache-lab count <file|-> [--model id] [--json]`: a labelled local token estimate.
import { readFileSync, statSync } from 'node:fs';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';
import { createModelTable, DEFAULT_MODEL_ID, UnknownModelError } from '../core/models/table';
import type { ModelInfo } from '../core/models/types';
import { countO200k } from '../core/tokens/count';
import { calibrationFactor, scaleTokens } from '../core/tokens/estimate';
import { classifyBytes, classifyText, MAX_COUNT_BYTES, tooLarge, type TextInput } from '../core/tokens/textInput';

function resolveModel(id: string): ModelInfo {
  try {
    return createModelTable().resolve(id);
  } catch (err) {
    if (err instanceof UnknownModelError) throw new CliError(err.message);
    throw err;
  }
}

function readFileInput(path: string): TextInput {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError(`'${path}' is a directory; give a file, or - for stdin`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  // Refuse before reading: never pull a huge file into memory just to say no.
  if (size > MAX_COUNT_BYTES) return tooLarge(size);
  try {
    return classifyBytes(readFileSync(path));
  } catch (err) {
    throw new CliError(`cannot read '${path}': ${(err as Error).message}`);
  }
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
  if (target === '-') return usableText(classifyText(await io.readStdin()), 'stdin');
  return usableText(readFileInput(target), target);
}

export const countCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, {
    model: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) {
    throw new CliError(`expected one file (or - for stdin), got ${positionals.length}; usage: count <file|-> [--model id] [--json]`);
  }
  const model = resolveModel(values.model ?? DEFAULT_MODEL_ID);
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
