/**
 * docs/BENCHMARKS.md is one section per suite between `<!-- bench:NAME -->` markers, so a run of
 * some suites rewrites only theirs. Sections are kept in the suites' registry order.
 */
const HEADER = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (do not edit by hand). Each figure is compared with a baseline measured',
  'in the same run where one exists. Tests never assert times; this file records them. Each section',
  'names the machine and time of its own run.',
].join('\n');

function sections(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of doc.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) {
    out.set(m[1]!, m[2]!);
  }
  return out;
}

export function mergeSection(doc: string, name: string, body: string, order: readonly string[]): string {
  const all = sections(doc);
  all.set(name, body);
  const names = [...order.filter((n) => all.has(n)), ...[...all.keys()].filter((n) => !order.includes(n))];
  return [HEADER, ...names.map((n) => `<!-- bench:${n} -->\n${all.get(n)!}\n<!-- /bench:${n} -->`), ''].join(
    '\n\n',
  );
}
