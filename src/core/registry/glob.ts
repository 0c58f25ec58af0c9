// Minimal glob matching for context file lists: `**` (any folders), `*` and `?` (within one
// path segment), `{a,b}` alternatives. Paths are workspace-relative and '/'-separated.
export function isGlob(pattern: string): boolean {
  return /[*?{]/.test(pattern);
}

/** The folders before the first segment with a wildcard: all a glob can match lies below it ('' for the root). */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const i = segments.findIndex((s) => isGlob(s));
  return segments.slice(0, i < 0 ? segments.length - 1 : i).join('/');
}

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern.slice(i + 1, end).split(',').map(escape).join('|')})`;
        i = end;
      }
    } else re += escape(ch);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}
