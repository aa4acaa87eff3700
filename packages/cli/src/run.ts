import { Command, CommanderError, Option } from 'commander';
import { SPEC_ENVIRONMENTS } from '@llmops/plugin-llm-ops-common';
import {
  ConvertOptions,
  convertCommand,
  FROM_FORMATS,
  TO_FORMATS,
} from './commands/convert';
import { validateCommand } from './commands/validate';
import { escapeInvisible, escapeLines } from './escape';
import { UsageError } from './UsageError';

/**
 * Where `run` writes, and the folder relative paths start from.
 *
 * @public
 */
export interface RunIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Defaults to `process.cwd()`. */
  cwd?: string;
}

const processIO: RunIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Runs the `llmops` command line and resolves to its exit code: 0 when
 * everything is valid, 1 when a document is invalid, 2 for a usage or read
 * error.
 *
 * @public
 */
export async function run(
  argv: string[],
  io: RunIO = processIO,
): Promise<number> {
  let exitCode = 0;
  const program = new Command('llmops')
    .description(
      'Validate and convert TrainJobSpec and DeploymentSpec documents.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: text => io.stderr(escapeLines(text)),
    })
    .showHelpAfterError('(run llmops --help for usage)');

  program
    .command('validate')
    .description(
      'Validate spec files; exit 0 when all are valid, 1 when any is invalid, 2 on a usage or read error.',
    )
    .argument(
      '<files...>',
      'TrainJobSpec or DeploymentSpec files, YAML or JSON',
    )
    .option(
      '--catalog <path>',
      'a catalog YAML file or folder holding Model entities (repeatable)',
      collect,
      [],
    )
    .option(
      '--json',
      'print a JSON array with one {file, kind, valid, errors} item per file',
    )
    .action(
      async (
        files: string[],
        options: { catalog: string[]; json?: boolean },
      ) => {
        exitCode = await validateCommand(files, options, io);
      },
    );

  program
    .command('convert')
    .description(
      'Convert a spec to a tool-native document (--to), or back (--from), printed as YAML.',
    )
    .argument('<file>', 'the document to convert')
    .addOption(
      new Option('--to <format>', 'convert a spec to this format').choices(
        TO_FORMATS,
      ),
    )
    .addOption(
      new Option(
        '--from <format>',
        'read a spec back from this format',
      ).choices(FROM_FORMATS),
    )
    .option(
      '--catalog <path>',
      'a catalog YAML file or folder holding Model entities (repeatable)',
      collect,
      [],
    )
    .option(
      '--config <file>',
      'an app-config file whose llmOps settings the portal converts with (repeatable, merged in order)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--environment <env>',
        'the environment deployed to, selecting llmOps.environments.<env> (default: llmOps.environment)',
      ).choices(SPEC_ENVIRONMENTS),
    )
    .option(
      '--job-id <id>',
      "argo: the portal's job id, which names the Workflow as the portal submits it",
    )
    .option(
      '--storage-uri <uri>',
      "kserve, rayservice: where the weights are downloaded from, such as the artifact location of an mlflow:// model's version",
    )
    .option(
      '--name <name>',
      "kserve, rayservice: the Deployment's name (default: the name in model_ref)",
    )
    .option(
      '--namespace <namespace>',
      "the manifest's namespace (default: llmOps.integrations.<tool>.namespace of --config)",
    )
    .action(async (file: string, options: ConvertOptions) => {
      exitCode = await convertCommand(file, options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${escapeInvisible(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}
