/**
 * One spelling per account name (a user name, mobile or email as a person types it): case and
 * width variants are one name. Stricter, never looser: two spellings OneAccess tells apart at
 * most share a counter or an index entry.
 */
export function accountName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}
