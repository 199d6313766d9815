import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserInputError } from '../../errors';
import { clearPreviousOutput, generate, isPresetName, PRESET_NAMES } from '../../generate';
import { isNonEmptyDir } from '../../generate/writer';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';

interface GenerateCliOptions {
  preset: string;
  seed: string;
  out: string;
  force?: boolean;
}

/**
 * `whocan generate --preset small|medium|large --seed N --out DIR [--force]`:
 * writes a deterministic synthetic organization in the snapshot layout
 * (same preset and seed → byte-identical files). Progress goes to stderr.
 */
export const registerGenerate: RegisterCommand = (program: Command, cli) => {
  program
    .command('generate')
    .description('Write a deterministic synthetic AWS organization (IAM, API Gateway, Lambda) in the AWS CLI snapshot layout')
    .requiredOption('--preset <name>', `size of the organization: ${PRESET_NAMES.join(' | ')}`)
    .requiredOption('--seed <n>', 'non-negative integer; the same seed gives byte-identical output')
    .requiredOption('--out <dir>', 'output directory; must be absent or empty unless --force')
    .option('--force', 'write into a non-empty directory (an earlier generator output there is removed first)')
    .action(
      action(cli, async (options: GenerateCliOptions) => {
        const problems: string[] = [];
        if (!isPresetName(options.preset)) problems.push(`--preset must be one of ${PRESET_NAMES.join(', ')} (got "${options.preset}")`);
        const seed = /^\d+$/.test(options.seed) ? Number(options.seed) : Number.NaN;
        if (!Number.isSafeInteger(seed)) problems.push(`--seed must be a non-negative integer (got "${options.seed}")`);
        const out = path.resolve(options.out);
        if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) problems.push(`--out ${out} exists and is not a directory`);
        else if (isNonEmptyDir(out) && !options.force) {
          problems.push(`--out ${out} is not empty; pass --force to write into it (an earlier generator output there is removed first)`);
        }
        if (problems.length > 0) throw new UserInputError('Cannot generate:', problems);
        if (options.force && clearPreviousOutput(out)) cli.io.err(`removed the earlier generator output in ${out}`);
        const preset = options.preset as (typeof PRESET_NAMES)[number];
        const started = Date.now();
        const manifest = generate({ preset, seed, out, progress: (line) => cli.io.err(line) });
        const c = manifest.counts;
        cli.io.out(
          `Generated preset ${preset} with seed ${seed} in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s): ` +
            `${c.accounts} accounts, ${c.users} users, ${c.groups} groups, ${c.roles} roles, ${c.customerManagedPolicies} policies, ` +
            `${c.restApis} REST APIs (${c.methods} methods), ${c.httpApis} HTTP APIs, ${c.functions} functions; ` +
            `${c.files} files, ${(c.bytes / 1048576).toFixed(1)} MiB. Counts are in generated.json.`,
        );
        return EXIT_OK;
      }),
    );
};
