/** `ncverify predict` — not implemented yet. */
export async function run(_argv: readonly string[]): Promise<number> {
  process.stderr.write('error: ncverify predict is not implemented yet\n');
  return 2;
}
