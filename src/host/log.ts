// The extension's log channel. Every line passes through the redactor so a secret handed to it
// by mistake (an error message echoing a header, say) never reaches the output.
import * as vscode from 'vscode';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]+/g;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(KEY_PATTERN, 'sk-ant-…redacted');
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('…redacted');
  return out;
}

export function createLogger(channel: vscode.LogOutputChannel, secrets: () => readonly string[]): Logger {
  return {
    info: (m) => channel.info(redact(m, secrets())),
    warn: (m) => channel.warn(redact(m, secrets())),
    error: (m) => channel.error(redact(m, secrets())),
    show: () => channel.show(true),
  };
}
