/**
 * Passwords for users a restore creates on CONNECT_MANAGED instances. Snapshots hold no password,
 * so each new user gets a random one that meets Connect's rules (8–64 characters with an upper-case
 * letter, a lower-case letter and a digit). It goes into the CreateUser request and nowhere else:
 * the report lists the users who need a password reset, never a password.
 */
import { randomBytes } from 'node:crypto';

/** Random bytes, `crypto.randomBytes` by default; tests may pass their own. */
export type RandomSource = (size: number) => Uint8Array;

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-=?@^_~';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** Length of a generated password: well inside 8..64, about 150 bits of entropy. */
export const PASSWORD_LENGTH = 24;

/** Uniform random indexes below `limit` (rejection sampling, so no modulo bias). */
function indexes(count: number, limit: number, random: RandomSource): number[] {
  const out: number[] = [];
  const ceiling = 256 - (256 % limit);
  while (out.length < count) {
    for (const byte of random(count * 2)) {
      if (byte < ceiling) out.push(byte % limit);
      if (out.length === count) break;
    }
  }
  return out;
}

function pick(alphabet: string, random: RandomSource): string {
  return alphabet.charAt(indexes(1, alphabet.length, random)[0] ?? 0);
}

/**
 * A new random password meeting Connect's password rules: one upper-case letter, one lower-case
 * letter and one digit at random places, the rest from letters, digits and symbols.
 */
export function newPassword(random: RandomSource = randomBytes): string {
  const chars = [pick(UPPER, random), pick(LOWER, random), pick(DIGITS, random)];
  for (const i of indexes(PASSWORD_LENGTH - chars.length, ALL.length, random)) chars.push(ALL.charAt(i));
  // Fisher–Yates shuffle, so the guaranteed classes are not always first.
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = indexes(1, i + 1, random)[0] ?? 0;
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
