import type { IngestEvent } from '../services';
import type { CliIo } from './output';

/**
 * Shows a long ingest's (or index build's) progress: on a terminal, one line rewritten in place
 * (step, rows, rate, time left); otherwise a line every few seconds, so CI
 * logs show it is alive without drowning in output.
 */
export function ingestProgressPrinter(
  io: CliIo,
  options: { tty: boolean; intervalMs?: number; now?: () => number },
): (event: IngestEvent) => void {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5_000;
  let loadStarted: number | undefined;
  let lastPrinted = 0;
  let lineOpen = false;

  const closeLine = () => {
    if (lineOpen) {
      process.stderr.write('\n');
      lineOpen = false;
    }
  };

  return (event) => {
    if (event.type === 'phase') {
      closeLine();
      io.err(event.message);
      return;
    }
    if (event.type === 'cleanup') {
      closeLine();
      io.err(`deleting snapshot ${event.snapshot}, left behind by an ingest that did not finish`);
      return;
    }
    if (event.type === 'step') {
      const t = now();
      const line = `${event.step}: ${event.done.toLocaleString('en-US')}/${event.total.toLocaleString('en-US')} · ${event.total === 0 ? 100 : Math.floor((event.done / event.total) * 100)}%`;
      if (options.tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        lineOpen = true;
      } else if (t - lastPrinted >= interval || event.done === event.total) {
        io.err(line);
        lastPrinted = t;
      }
      return;
    }
    const p = event.progress;
    const t = now();
    loadStarted ??= t;
    const elapsedS = Math.max((t - loadStarted) / 1000, 0.001);
    const rate = p.overallWritten / elapsedS;
    const leftS = rate > 0 ? (p.overallTotal - p.overallWritten) / rate : 0;
    const percent = p.overallTotal === 0 ? 100 : Math.floor((p.overallWritten / p.overallTotal) * 100);
    const line = `[${p.stepIndex + 1}/${p.stepCount}] ${p.step}: ${p.written.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} · overall ${percent}% · ${Math.round(rate).toLocaleString('en-US')} rows/s · ~${formatSeconds(leftS)} left`;
    if (options.tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
      lineOpen = true;
    } else if (t - lastPrinted >= interval || p.overallWritten === p.overallTotal) {
      io.err(line);
      lastPrinted = t;
    }
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}
