/**
 * `npm run pack:check`: packs chargecheck the way it is published, installs the tarball into a new
 * empty project (`npm install <tarball> --prefer-offline`), and there runs the CLI, a plain ESM
 * program and a TypeScript program (compiled with this repo's tsc, lib checks on) that import
 * 'chargecheck'. Also checks what the tarball holds: what a user needs, no tests, sources or maps.
 * Exits 1 on the first failure. `--keep` leaves the temporary directory for inspection.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const keep = process.argv.includes('--keep');

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

function run(cmd: string, args: readonly string[], options: ExecFileSyncOptions = {}): string {
  const where = typeof options.cwd === 'string' ? options.cwd : ROOT;
  process.stdout.write(`$ (${where}) ${cmd} ${args.join(' ')}\n`);
  return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).toString();
}

function check(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) throw new Error(`pack:check failed: ${what}`);
}

const ESM_PROGRAM = `import { startCharger, startCsms, VirtualClock, ACTIONS } from 'chargecheck';

const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8));
const csms = await startCsms({ chargers: { 'CP-PACK': 'pack-check-password' }, clock });
const cp = await startCharger({ csms: csms.url, id: 'CP-PACK', password: 'pack-check-password', ca: csms.ca, clock });
const boot = await cp.waitFor('boot', (b) => b.status === 'Accepted');
cp.plug(1);
await cp.presentIdTag('RFID-PACK', 1);
const charging = await cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Charging');
await cp.close();
await csms.close();
let deepImport = 'allowed';
try {
  await import('chargecheck/dist/index.js');
} catch (err) {
  deepImport = err.code;
}
console.log(JSON.stringify({ boot: boot.status, status: charging.status, actions: ACTIONS.size, deepImport }));
`;

const TS_PROGRAM = `import { startCharger, startCsms, VirtualClock, type ChargerEvents, type FakeCsms, type VirtualCharger } from 'chargecheck';

async function main(): Promise<void> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 8));
  const csms: FakeCsms = await startCsms({ chargers: { 'CP-TS': 'pack-check-password' }, clock });
  const cp: VirtualCharger = await startCharger({ csms: csms.url, id: 'CP-TS', password: 'pack-check-password', ca: csms.ca, clock, connectors: 2 });
  const boot: ChargerEvents['boot'] = await cp.waitFor('boot', (b) => b.status === 'Accepted');
  const conf = await csms.call('CP-TS', 'GetConfiguration', { key: ['NumberOfConnectors'] });
  await cp.close();
  await csms.close();
  console.log(JSON.stringify({ boot: boot.status, connectors: conf.configurationKey?.[0]?.value }));
}

await main();
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] },
  include: ['main.ts'],
};

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'chargecheck-pack-'));
  try {
    // 1. the tarball, as `npm publish` would make it (prepare builds dist/ first)
    const [pack] = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', dir])) as PackResult[];
    const tarball = join(dir, pack.filename);
    const files = pack.files.map((f) => f.path);
    process.stdout.write(`tarball ${pack.filename}: ${(pack.size / 1000).toFixed(1)} kB packed, ${(pack.unpackedSize / 1000).toFixed(1)} kB unpacked, ${pack.entryCount} files\n`);
    for (const needed of ['bin/chargecheck.js', 'dist/index.js', 'dist/index.d.ts', 'dist/api/charger.js', 'schemas/ocpp16/BootNotification.json', 'schemas/scenario.schema.json', 'scenarios/csms/01-boot-and-configuration.yaml', 'scenarios/charger/01-connection.yaml', 'docs/api.md', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      check(files.includes(needed), `the tarball holds ${needed}`);
    }
    const unwanted = files.filter((f) => /^(test|src|acceptance|bench|scripts|certs|deploy)\//.test(f) || f.endsWith('.map') || f.endsWith('.test.js'));
    check(unwanted.length === 0, `no tests, sources, maps or dev folders in it${unwanted.length ? `: ${unwanted.slice(0, 5).join(', ')}` : ''}`);

    // 2. an empty project that installs it
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check-user', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const typesNode = (JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json").devDependencies)'])) as Record<string, string>)['@types/node'];
    run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `@types/node@${typesNode}`], { cwd: project });

    // 3. the CLI
    const help = run('npx', ['--no-install', 'chargecheck', '--help'], { cwd: project });
    check(/certify/.test(help) && /run/.test(help), 'npx chargecheck --help lists the commands');
    const validated = run('npx', ['--no-install', 'chargecheck', 'validate', 'node_modules/chargecheck/scenarios'], { cwd: project });
    check(/valid/i.test(validated), 'npx chargecheck validate accepts the shipped scenarios (schemas found inside the package)');

    // 4. plain ESM
    writeFileSync(join(project, 'main.mjs'), ESM_PROGRAM);
    const esm = JSON.parse(run('node', ['main.mjs'], { cwd: project }).trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    check(esm.boot === 'Accepted' && esm.status === 'Charging', `ESM program: boot ${String(esm.boot)}, connector 1 ${String(esm.status)}`);
    check(esm.actions !== undefined && Number(esm.actions) > 0, `ESM program: ${String(esm.actions)} OCPP actions in the catalogue`);
    check(esm.deepImport === 'ERR_PACKAGE_PATH_NOT_EXPORTED', `deep imports are closed by the exports map (${String(esm.deepImport)})`);

    // 5. TypeScript, compiled with this repo's tsc against the installed .d.ts files
    writeFileSync(join(project, 'main.ts'), TS_PROGRAM);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    run('node', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project });
    check(true, 'TypeScript program type-checks against the package (skipLibCheck off)');
    const ts = JSON.parse(run('node', ['out/main.js'], { cwd: project }).trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    check(ts.boot === 'Accepted' && ts.connectors === '2', `TypeScript program: boot ${String(ts.boot)}, NumberOfConnectors ${String(ts.connectors)}`);
    process.stdout.write(`pack:check passed (${pack.filename}, ${(pack.size / 1000).toFixed(1)} kB)\n`);
  } finally {
    if (keep) process.stdout.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  const e = err as { message?: string; stdout?: string; stderr?: string };
  process.stderr.write(`${e.message ?? String(err)}\n${e.stdout ?? ''}${e.stderr ?? ''}\n`);
  process.exit(1);
}
