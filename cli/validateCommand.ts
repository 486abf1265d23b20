import type { Command } from 'commander';
import { crossDocumentProblems } from '../api/crossDocument.js';
import { documentNotes, formatNote } from '../api/documentNotes.js';
import { formatProblem } from '../api/validateText.js';
import { readDocumentFiles } from './readDocumentFiles.js';

/**
 * `metal3-provider validate FILE…`: every problem of every file at once, exit status 1 if there is any;
 * warnings and notes on stderr either way.
 */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check NodeProvider, NodeClaim, OSImage, SSHKey, NodeEnvironment, BareMetalHost and Secret YAML files')
    .argument('<files...>', 'YAML files; each may hold several documents separated by ---')
    .action(async (files: string[]) => {
      const { documents, problems: messages } = await readDocumentFiles(files);
      messages.push(...crossDocumentProblems(documents).map(formatProblem));
      // Warnings and notes never change the exit status: they are about documents that are valid.
      const notes = documentNotes(documents).map(formatNote);
      if (notes.length > 0) process.stderr.write(`${notes.join('\n')}\n`);
      if (messages.length > 0) {
        process.stderr.write(`${messages.join('\n')}\n`);
        process.stderr.write(`${messages.length} problem${messages.length === 1 ? '' : 's'} found\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${documents.length} document${documents.length === 1 ? '' : 's'} valid\n`);
    });
}
