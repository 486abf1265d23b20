import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { crossDocumentProblems } from '../api/crossDocument.js';
import { formatProblem, validateYamlText, type LocatedDocument } from '../api/validateText.js';

async function readText(file: string): Promise<string | Error> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function readFailure(file: string, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : error.message;
  return `${file}: cannot read: ${reason}`;
}

/** `metal3-provider validate FILE…`: every problem of every file at once; exit status 1 if there is any. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check NodeProvider, NodeClaim, OSImage, SSHKey, NodeEnvironment, BareMetalHost and Secret YAML files')
    .argument('<files...>', 'YAML files; each may hold several documents separated by ---')
    .action(async (files: string[]) => {
      const messages: string[] = [];
      const documents: LocatedDocument[] = [];
      for (const file of files) {
        const text = await readText(file);
        if (text instanceof Error) {
          messages.push(readFailure(file, text));
          continue;
        }
        const report = validateYamlText(text, file);
        messages.push(...report.problems.map(formatProblem));
        documents.push(...report.documents);
      }
      messages.push(...crossDocumentProblems(documents).map(formatProblem));
      if (messages.length > 0) {
        process.stderr.write(`${messages.join('\n')}\n`);
        process.stderr.write(`${messages.length} problem${messages.length === 1 ? '' : 's'} found\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${documents.length} document${documents.length === 1 ? '' : 's'} valid\n`);
    });
}
