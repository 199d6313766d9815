import { UserInputError } from '../../errors';
import { FINDING_KINDS, type FindingKind } from '../../services';
import { action, type RegisterCommand } from '../command';
import { EXIT_OK } from '../exitCodes';
import { renderFindings } from '../render/findings';
import { withAnalysis } from '../withAnalysis';

/** `whocan findings`: public methods, open and cross-account resource policies, wildcard rights, escalation through API Gateway, broad integration roles. */
export const registerFindings: RegisterCommand = (program, cli) => {
  program
    .command('findings')
    .description(`what a review should look at first: ${FINDING_KINDS.join(', ')}`)
    .option('--kind <kind>', 'only this kind (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--snapshot <id>', 'ask about this snapshot (default: the current one)')
    .option('--json', 'print one JSON object on stdout')
    .action(
      action(cli, async (raw: { kind: string[]; snapshot?: string; json?: boolean }) => {
        for (const kind of raw.kind) {
          if (!(FINDING_KINDS as readonly string[]).includes(kind))
            throw new UserInputError(`--kind ${kind}: expected one of ${FINDING_KINDS.join(', ')}`);
        }
        return withAnalysis(cli.io, async (analysis) => {
          const answer = await analysis.findings({
            ...(raw.kind.length ? { kinds: raw.kind as FindingKind[] } : {}),
            ...(raw.snapshot ? { snapshot: raw.snapshot } : {}),
          });
          cli.io.out(raw.json ? JSON.stringify(answer, null, 2) : renderFindings(answer));
          return EXIT_OK;
        });
      }),
    );
};
