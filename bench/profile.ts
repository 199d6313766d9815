/**
 * CPU profiles for the benchmark (`--profile DIR`): a worker profiles one
 * phase with the inspector and writes a .cpuprofile (open it in Chrome
 * DevTools or speedscope); `summariseProfile` gives the top functions by self
 * time and the share of garbage collection, for the report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of samples in (garbage collector), (idle) and (program). */
  gcShare: number;
  idleShare: number;
  /** Functions by self time, largest first (share of all samples, idle included). */
  top: { fn: string; where: string; selfMs: number; share: number }[];
  /** Self time per source file of whocan (src/…), largest first. */
  byFile: { file: string; selfMs: number; share: number }[];
}

export async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<{ value: T; profile?: ProfileSummary }> {
  if (!file) return { value: await work() };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  let value: T;
  let profile: CpuProfile;
  try {
    value = await work();
  } finally {
    profile = ((await post('Profiler.stop')) as { profile: CpuProfile }).profile;
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
  return { value, profile: summariseProfile(file, profile) };
}

/** The summary of a profile written to a file (by --cpu-prof or by profiled()). */
export function summariseProfileFile(file: string): ProfileSummary {
  return summariseProfile(file, JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
}

export function summariseProfile(file: string, profile: CpuProfile): ProfileSummary {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((s, x) => s + x, 0) || 1;
  const byFn = new Map<string, { fn: string; where: string; us: number }>();
  const byFile = new Map<string, number>();
  let gc = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(garbage collector)') gc += us;
    if (functionName === '(idle)') idle += us;
    const short = url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/dist\//, '')
      .replace(/^.*\/node_modules\//, 'node_modules/');
    const where = url ? `${short}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const entry = byFn.get(key) ?? { fn: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    byFn.set(key, entry);
    if (short.startsWith('src/')) byFile.set(short, (byFile.get(short) ?? 0) + us);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    file: path.resolve(file),
    totalMs: Math.round(totalMs),
    gcShare: share(gc),
    idleShare: share(idle),
    top: [...byFn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((e) => ({ fn: e.fn, where: e.where, selfMs: ms(e.us), share: share(e.us) })),
    byFile: [...byFile.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([f, us]) => ({ file: f, selfMs: ms(us), share: share(us) })),
  };
}
