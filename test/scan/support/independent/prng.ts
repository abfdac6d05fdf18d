/**
 * The independent corpus's own seeded generator (xoshiro128**), deliberately not the scanner's: nothing in this
 * corpus may be produced by code the rules share.
 */
export class Prng {
  private s: Uint32Array;

  constructor(seed: number) {
    // splitmix32 spreads one seed over the four state words.
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  u32(): number {
    let [a, b, c, d] = [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    this.s[0] = a;
    this.s[1] = b;
    this.s[2] = c;
    this.s[3] = d;
    return result;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.u32() % (max - min + 1));
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.u32() % items.length]!;
  }

  str(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.u32() % alphabet.length];
    return out;
  }

  digits(length: number): string {
    return String(this.int(1, 9)) + this.str(DIGITS, length - 1);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.u32() % (i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const LETTERS = UPPER + LOWER;
export const ALNUM = DIGITS + UPPER + LOWER;
export const HEXL = '0123456789abcdef';
export const B64STD = UPPER + LOWER + DIGITS + '+/';
export const B64URLSAFE = UPPER + LOWER + DIGITS + '-_';
