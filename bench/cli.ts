/**
 * The built `shopsight` command for suites that measure it as a user runs it (a child process:
 * the CLI's own time and memory). Progress lines go to the bench log; stdout is returned.
 *
 * @example
 *   const cli = builtCli(root);
 *   cli(['import', store, '--preset', 'shopsight', '--db', db, '--json']);
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function builtCli(root: string): (args: string[]) => string {
  return (args) =>
    execFileSync(process.execPath, [join(root, 'dist', 'cli', 'main.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
}
