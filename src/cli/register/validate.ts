/** `nxlayout validate`'s options and help; the checks (../commands/validate.ts) are loaded only when the command runs. */
import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS } from '../reporters/findings.js';
import type { Io } from '../io.js';
import type { ValidateCommandOptions } from '../commands/validate.js';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description(
      'check layout templates for CI: JSON and schema, handlebars, JSONPaths, calculations, links, NeXus classes, the output path, the NeXus application definition they claim, and optionally the plan of real runs',
    )
    .argument('<template...>', 'template files (or folders of *.json templates)')
    .option(
      '--against <log...>',
      'also plan the file of every run in these document logs (or folders) that each template is for (its `match`; every run when it has none), without writing: report what does not resolve and the path each run would get',
    )
    .option(
      '--definition <NXname>',
      'check against this NeXus application definition too (besides any the template names in /entry/definition); repeatable',
      collect,
    )
    .option(
      '--definitions <dir>',
      'NeXus definitions folder (base_classes/, applications/, contributed_definitions/ of *.nxdl.xml); default: the digest shipped with nxlayout',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output: text (FILE:LINE:COLUMN: severity CODE: message), json (an array of findings), github (GitHub Actions annotations)',
      )
        .choices([...OUTPUT_FORMATS])
        .default('text'),
    )
    .option('--strict', 'warnings fail too (exit 1)')
    .option(
      '--verbose',
      'also list (as info) the names of groups and fields that their NeXus base class does not define',
    )
    .addHelpText(
      'after',
      [
        '',
        'Application-definition rules are errors; base-class rules and optional data that a definition requires are warnings.',
        'Exit status: 0 clean (warnings allowed unless --strict), 1 findings at error level, 2 bad usage',
        '(unknown option, missing template or log, unreadable definitions folder).',
        '',
        'Examples:',
        '  nxlayout validate templates/*.json',
        '  nxlayout validate templates/xpcs.json --against spool/ --format github',
        '  nxlayout validate my.json --definition NXxpcs --definitions ../nexus-definitions',
      ].join('\n'),
    )
    .action(async (templates: string[], opts: ValidateCommandOptions) => {
      const { validateCommand } = await import('../commands/validate.js');
      setExit(await validateCommand(templates, opts, io));
    });
}
