import type { CacheTtl } from '../../shared/anthropic';

export interface TtlAdvice {
  ttl: CacheTtl;
  reason: string;
}

export function adviseTtl(gapsSeconds: number[], declared?: CacheTtl): TtlAdvice {
  void gapsSeconds;
  return { ttl: declared ?? '5m', reason: 'not implemented yet' };
}
