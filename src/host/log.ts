// The extension's log channel. Every line passes through the redactor so a secret handed to it
// by mistake (an error message echoing a header, say) never reaches the output.
import type * as vscode from 'vscode';
import { createRedactor } from '../backends/redact';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
  /** The last lines logged (already redacted), newest last. */
  recent(): readonly string[];
}

const RECENT_LINES = 200;


export function createLogger(channel: vscode.LogOutputChannel, secrets: () => readonly string[]): Logger {
  const recent: string[] = [];
  const write = (level: 'info' | 'warn' | 'error', message: string) => {
    const line = createRedactor([...secrets()])(message);
    recent.push(`${level}: ${line}`);
    if (recent.length > RECENT_LINES) recent.shift();
    channel[level](line);
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    show: () => channel.show(true),
    recent: () => recent,
  };
}
