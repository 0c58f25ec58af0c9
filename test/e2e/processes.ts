// What a command left running, found through /proc (Linux): every process whose TMPDIR lies in a
// folder the test chose. The variable is inherited by everything started below it and survives
// re-parenting to init, where a parent-child walk would lose a process.
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  /** Start time in clock ticks since boot: tells a process from a later one given the same pid. */
  started: string;
  cmd: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Live processes whose TMPDIR is `dir` or lies below it (zombies have no environment and are skipped). */
export function processesUnder(dir: string): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const env = read(`/proc/${name}/environ`)?.split('\0') ?? [];
    const tmp = env.find((e) => e.startsWith('TMPDIR='))?.slice('TMPDIR='.length);
    if (tmp !== dir && !tmp?.startsWith(`${dir}/`)) continue;
    // Field 22 of stat; the command name (field 2) may contain spaces, so count from its ')'.
    const stat = read(`/proc/${name}/stat`) ?? '';
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
    const cmd = (read(`/proc/${name}/cmdline`) ?? '').split('\0').join(' ').trim();
    out.push({ pid: Number(name), started, cmd });
  }
  return out;
}

/** SIGKILLs what is still running of `procs` (the same pid and start time only). */
export function killLeftovers(procs: Proc[]): void {
  for (const p of procs) {
    if (alive(p)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
  }
}

function alive(p: Proc): boolean {
  const stat = read(`/proc/${p.pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] === p.started;
}
