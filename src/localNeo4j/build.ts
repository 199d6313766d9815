import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { LocalNeo4jError } from '../errors';

/**
 * Building and locating the launcher in tools/neo4j (a one-class Maven
 * project around Neo4j Community embedded), and the Java it needs.
 */

/** What to do instead when the local launcher cannot work here. */
export const ALTERNATIVES: readonly string[] = [
  'or run Neo4j with Docker: `docker compose up` (docker-compose.yml in the checkout; `docker compose up -d neo4j` for the database alone, then NEO4J_URI=bolt://127.0.0.1:7687)',
  'or use an existing Neo4j 5: set NEO4J_URI (e.g. bolt://host:7687) and NEO4J_PASSWORD',
];

const MIN_JAVA = 17;
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** A build lock older than this is left over from a killed build. */
const STALE_LOCK_MS = BUILD_TIMEOUT_MS + 60_000;

/**
 * JVM flags for Neo4j 5 on Java 17+, as in the server.jvm.additional lines of
 * Neo4j's own neo4j.conf: without the --add-opens the page cache and Netty
 * fall back to slower paths or warn. The heap (-Xms/-Xmx) is added per start.
 */
export const JVM_FLAGS: readonly string[] = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
];

export const LAUNCHER_CLASS = 'dev.whocan.neo4j.Launcher';

export interface LauncherPaths {
  root: string;
  toolsDir: string;
  pom: string;
  sources: string;
  target: string;
  jar: string;
  lib: string;
  /**
   * Written after a successful build by whocan. A build is current when the jar
   * or this stamp is newer than the sources (Maven does not rewrite an
   * unchanged jar; a build run by hand or by CI writes a new jar).
   */
  stamp: string;
  lock: string;
}

let cachedRoot: string | undefined;

/** The package root: the nearest folder above this file with package.json and tools/neo4j/pom.xml (works from src/ and dist/src/). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'tools', 'neo4j', 'pom.xml'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new LocalNeo4jError(`Cannot find tools/neo4j/pom.xml (the local Neo4j launcher) in any folder above ${__dirname}.`, [
        'it ships with the whocan checkout; run whocan from the checkout',
        ...ALTERNATIVES,
      ]);
    }
    dir = parent;
  }
}

export function launcherPaths(): LauncherPaths {
  const root = packageRoot();
  const toolsDir = path.join(root, 'tools', 'neo4j');
  const target = path.join(toolsDir, 'target');
  return {
    root,
    toolsDir,
    pom: path.join(toolsDir, 'pom.xml'),
    sources: path.join(toolsDir, 'src'),
    target,
    jar: path.join(target, 'whocan-neo4j.jar'),
    lib: path.join(target, 'lib'),
    stamp: path.join(target, '.whocan-build-stamp'),
    lock: path.join(target, '.whocan-build-lock'),
  };
}

/** The java classpath of a built launcher: every jar in target/lib plus the launcher jar. */
export function launcherClasspath(paths: LauncherPaths = launcherPaths()): string {
  return [path.join(paths.lib, '*'), paths.jar].join(path.delimiter);
}

interface RunResult {
  code: number | null;
  output: string;
  /** Set when the program could not be started at all (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a program to completion, collecting stdout and stderr together. */
function run(command: string, args: readonly string[], options: { cwd?: string; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const child = spawn(command, [...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      output += `\n(killed after ${Math.round(options.timeoutMs / 1000)} s)`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => finish({ code: null, output, spawnError: error }));
    child.on('close', (code) => finish({ code, output }));
  });
}

/** A path relative to the working directory when it is inside it, else absolute. */
const displayPath = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};

const stripAnsi = (text: string): string => stripVTControlCharacters(text);

function tail(text: string, lines: number): string[] {
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-lines);
}

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set (as Maven does), else `java` on the PATH. */
export function javaCommand(): string {
  const javaHome = process.env.JAVA_HOME;
  if (javaHome) {
    const candidate = path.join(javaHome, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

let javaChecked: Promise<{ java: string; version: number }> | undefined;

/** Checks that Java 17 or newer is installed; throws LocalNeo4jError naming the alternatives otherwise. */
export function checkJava(): Promise<{ java: string; version: number }> {
  javaChecked ??= (async () => {
    const java = javaCommand();
    const result = await run(java, ['-version'], { timeoutMs: 30_000 });
    if (result.spawnError !== undefined) {
      throw new LocalNeo4jError(`The local Neo4j needs Java ${MIN_JAVA} or newer, but \`${java}\` was not found.`, [
        `install a JDK ${MIN_JAVA}+ (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME`,
        ...ALTERNATIVES,
      ]);
    }
    const match = /version "(\d+)(?:\.(\d+))?/.exec(result.output);
    const first = Number(match?.[1] ?? NaN);
    const version = first === 1 ? Number(match?.[2] ?? NaN) : first; // "1.8.0" is Java 8
    if (result.code !== 0 || !Number.isFinite(version)) {
      throw new LocalNeo4jError(`Could not run \`${java} -version\` to check the Java version.`, [
        ...tail(result.output, 5),
        ...ALTERNATIVES,
      ]);
    }
    if (version < MIN_JAVA) {
      throw new LocalNeo4jError(`The local Neo4j needs Java ${MIN_JAVA} or newer, but \`${java}\` is Java ${version}.`, [
        `install a JDK ${MIN_JAVA}+ and put it first on the PATH or set JAVA_HOME`,
        ...ALTERNATIVES,
      ]);
    }
    return { java, version };
  })();
  javaChecked.catch(() => (javaChecked = undefined));
  return javaChecked;
}

async function mtimeMs(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(full));
    else newest = Math.max(newest, (await mtimeMs(full)) ?? 0);
  }
  return newest;
}

/** True when target/ holds a launcher built from the current pom.xml and sources. */
export async function isLauncherBuilt(paths: LauncherPaths = launcherPaths()): Promise<boolean> {
  const [jar, stamp] = await Promise.all([mtimeMs(paths.jar), mtimeMs(paths.stamp)]);
  if (jar === undefined) return false;
  let libEntries: string[];
  try {
    libEntries = await readdir(paths.lib);
  } catch {
    return false;
  }
  if (!libEntries.some((name) => name.endsWith('.jar'))) return false;
  const sources = Math.max((await mtimeMs(paths.pom)) ?? 0, await newestMtime(paths.sources));
  return Math.max(jar, stamp ?? 0) >= sources;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes target/.whocan-build-lock (a directory: mkdir is atomic), waiting while another process builds. */
async function acquireBuildLock(paths: LauncherPaths, onProgress: (message: string) => void): Promise<'acquired' | 'built-meanwhile'> {
  await mkdir(paths.target, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      await mkdir(paths.lock);
      return 'acquired';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = Date.now() - ((await mtimeMs(paths.lock)) ?? Date.now());
    if (age > STALE_LOCK_MS) {
      await rm(paths.lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      onProgress('another process is building the local Neo4j launcher; waiting for it…');
      announced = true;
    }
    await sleep(1_000);
    if (!existsSync(paths.lock) && (await isLauncherBuilt(paths))) return 'built-meanwhile';
  }
}

let building: Promise<{ classpath: string }> | undefined;

/**
 * Builds tools/neo4j with `mvn package` when target/ is missing or older than
 * pom.xml or the Java sources; otherwise does nothing. Needs Java 17+ and
 * Maven only when it builds.
 */
export function ensureLauncherBuilt(onProgress?: (message: string) => void): Promise<{ classpath: string }> {
  building ??= buildIfNeeded(onProgress ?? (() => {})).finally(() => (building = undefined));
  return building;
}

async function buildIfNeeded(onProgress: (message: string) => void): Promise<{ classpath: string }> {
  const paths = launcherPaths();
  const classpath = launcherClasspath(paths);
  if (await isLauncherBuilt(paths)) return { classpath };

  await checkJava();
  const maven = await run('mvn', ['-v'], { timeoutMs: 60_000 });
  if (maven.spawnError !== undefined || maven.code !== 0) {
    if (existsSync(paths.jar) && existsSync(paths.lib)) {
      onProgress('Maven (mvn) was not found: using the existing build in tools/neo4j/target, which is older than its sources');
      return { classpath };
    }
    throw new LocalNeo4jError(
      'The local Neo4j launcher (tools/neo4j) is not built yet, and building it needs Maven 3.6.3+ (`mvn`), which was not found.',
      [
        'install Maven (e.g. apt-get install maven), then run whocan again; it builds once with `mvn package`',
        'or build tools/neo4j on a machine with Maven and copy tools/neo4j/target/ here',
        ...ALTERNATIVES,
      ],
    );
  }

  if ((await acquireBuildLock(paths, onProgress)) === 'built-meanwhile') return { classpath };
  try {
    if (await isLauncherBuilt(paths)) return { classpath };
    const builtBefore = existsSync(paths.lib);
    onProgress(
      `building the local Neo4j launcher (mvn package in tools/neo4j${builtBefore ? '' : '; a first build downloads about 125 MB from Maven Central'})…`,
    );
    const started = Date.now();
    // copy-dependencies never deletes: start from an empty lib/ so a version bump leaves no old jars on the classpath.
    await rm(paths.lib, { recursive: true, force: true });
    const result = await run('mvn', ['-B', '-q', '-Dstyle.color=never', '-f', paths.pom, 'package'], {
      cwd: paths.toolsDir,
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    if (result.code !== 0 || !existsSync(paths.jar)) {
      throw new LocalNeo4jError(
        `Building the local Neo4j launcher failed (mvn package exited with ${result.code ?? 'a signal'}). Last lines of Maven's output:`,
        [...tail(result.output, 25), `to see everything: mvn -f ${displayPath(paths.pom)} package`, ...ALTERNATIVES],
      );
    }
    await writeFile(paths.stamp, `built ${new Date().toISOString()}\n`);
    onProgress(`built the local Neo4j launcher in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { classpath };
  } finally {
    await rm(paths.lock, { recursive: true, force: true });
  }
}

const SIZE = /^(\d+(?:\.\d+)?)([kmg])$/i;

/** Turns a size such as `4g`, `512m` or `1.5g` into whole units that both java -Xmx and Neo4j accept (`1536m`). */
export function normalizeSize(size: string, what: string): string {
  const match = SIZE.exec(size.trim());
  if (!match) throw new LocalNeo4jError(`Bad ${what} size ${JSON.stringify(size)}: expected e.g. 512m or 4g.`);
  const value = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  if (Number.isInteger(value)) return `${value}${unit}`;
  const kib = value * { k: 1, m: 1024, g: 1024 * 1024 }[unit as 'k' | 'm' | 'g'];
  return Number.isInteger(kib / 1024) ? `${kib / 1024}m` : `${Math.round(kib)}k`;
}

export interface LauncherArgs {
  classpath: string;
  home: string;
  boltPort: number;
  heap: string;
  pageCache: string;
  /** Stop when stdin closes (child attached to this process). */
  watchStdin?: boolean;
  /** Delete the home directory when the launcher exits (throwaway databases). */
  ephemeral?: boolean;
}

/** The java command-line arguments that run the launcher (the password goes in the environment, not here). */
export function launcherArgs(a: LauncherArgs): string[] {
  const heap = normalizeSize(a.heap, 'heap');
  return [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    ...JVM_FLAGS,
    '-cp',
    a.classpath,
    LAUNCHER_CLASS,
    '--home',
    a.home,
    '--port',
    String(a.boltPort),
    '--pagecache',
    normalizeSize(a.pageCache, 'page cache'),
    ...(a.watchStdin ? ['--watch-stdin'] : []),
    ...(a.ephemeral ? ['--ephemeral'] : []),
  ];
}
