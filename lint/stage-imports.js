/**
 * @module lint/stage-imports
 * The ESLint rule `shopsight/stage-imports`: a file under src/ imports only from its own stage or an
 * earlier one, so data and dependencies flow one way (docs/ARCHITECTURE.md, "The stages").
 *
 * A file's stage is its first folder under src/ (src/ml/gbdt/train.ts is in `ml`); files directly in
 * src/ (index.ts) are `surfaces`. A folder that is in no stage is an error too, so a new folder gets
 * placed on purpose. Imports that leave src/ (assembly/, node_modules) are not this rule's business.
 *
 * `import type` of a later stage's shape is allowed: it is erased when compiling, so it adds no run-time
 * dependency, no load order and no cycle; it lets the consumer own its input shape (ml/ declares the
 * Sequences it reads, features/ produces them). ml/ is stricter: it may import only core/ and schema/,
 * types included, so the algorithms never learn about files, SQL or the warehouse.
 */

/** Lowest first. Each stage may import from itself and from the stages before it. */
export const STAGES = [
  'core',
  'schema',
  'generate',
  'ingest',
  'warehouse',
  'features',
  'ml',
  'tasks',
  'registry',
  'report',
  'assistant',
  'server',
  'cli',
  'web',
  'surfaces',
];

/** Stages that may import only from these (besides themselves), `import type` included. */
export const ONLY = { ml: ['core', 'schema'] };

/** Surfaces are peers: none imports another, each calls the library. */
const SURFACES = ['cli', 'server', 'web', 'surfaces'];

/**
 * The one exception: the command line launches the server (`shopsight serve` calls startServer).
 * The server never imports the command line; shared glue lives below both, in tasks/ or registry/.
 */
export const LAUNCHES = { cli: ['server'] };

/** 'src/ml/gbdt/train.ts' -> 'ml'; 'src/index.ts' -> 'surfaces'; outside src/ -> undefined. */
export function stageOf(srcRelative) {
  const parts = srcRelative.split('/');
  if (parts[0] !== 'src') return undefined;
  return parts.length === 2 ? 'surfaces' : parts[1];
}

/** null when `from` may import `to`, else why not. */
export function importProblem(from, to, typeOnly) {
  if (from === to) return null;
  const fromRank = STAGES.indexOf(from);
  const toRank = STAGES.indexOf(to);
  if (toRank < 0) return `'${to}' is in no stage (add src/${to} to STAGES in lint/stage-imports.js)`;
  if (toRank > fromRank && !typeOnly) {
    return `stage '${from}' may not import from the later stage '${to}' (order: ${STAGES.slice(0, -4).join(' -> ')} -> cli/server/web)`;
  }
  if (SURFACES.includes(from) && SURFACES.includes(to) && !LAUNCHES[from]?.includes(to)) {
    return `surface '${from}' may not import from surface '${to}'`;
  }
  const only = ONLY[from];
  if (only && !only.includes(to)) {
    return `stage '${from}' may import only from ${only.map((s) => `'${s}'`).join(', ')}, not from '${to}'`;
  }
  return null;
}

/** The path of `file` relative to the project root (the folder holding src/), with / separators. */
function projectRelative(file, cwd) {
  const norm = file.replaceAll('\\', '/');
  const root = cwd.replaceAll('\\', '/').replace(/\/$/, '') + '/';
  if (norm.startsWith(root)) return norm.slice(root.length);
  const at = norm.lastIndexOf('/src/');
  return at >= 0 ? norm.slice(at + 1) : norm;
}

/** Resolves a relative specifier against the importing file ('src/ml/a.ts' + '../core/x.js'). */
function resolve(fromFile, specifier) {
  const parts = fromFile.split('/').slice(0, -1);
  for (const p of specifier.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

export const stageImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'A file imports only from its own stage or an earlier one (docs/ARCHITECTURE.md).' },
    schema: [],
    messages: { backward: '{{file}} imports {{target}}: {{why}}.' },
  },
  create(context) {
    const file = projectRelative(context.filename, context.cwd);
    const from = stageOf(file);
    if (from === undefined) return {};
    const check = (node, source, typeOnly) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = resolve(file, source.value);
      const to = stageOf(target);
      if (to === undefined) return;
      const why = STAGES.includes(from)
        ? importProblem(from, to, typeOnly)
        : `'${from}' is in no stage (add src/${from} to STAGES in lint/stage-imports.js)`;
      if (why) context.report({ node: source, messageId: 'backward', data: { file, target, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

/** The local plugin eslint.config.js registers as `shopsight`. */
export default { rules: { 'stage-imports': stageImportsRule } };
