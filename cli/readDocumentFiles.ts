import { readFile } from 'node:fs/promises';
import { formatProblem, validateYamlText, type LocatedDocument } from '../api/validateText.js';

export interface DocumentFiles {
  documents: LocatedDocument[];
  /** Every problem of every file, as `file:line: message` lines; empty when all documents are valid. */
  problems: string[];
}

function readFailure(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
  return `${file}: cannot read: ${reason}`;
}

/** Reads and validates every document of every file; a file that cannot be read is one more problem. */
export async function readDocumentFiles(files: readonly string[]): Promise<DocumentFiles> {
  const result: DocumentFiles = { documents: [], problems: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      result.problems.push(readFailure(file, error));
      continue;
    }
    const report = validateYamlText(text, file);
    result.problems.push(...report.problems.map(formatProblem));
    result.documents.push(...report.documents);
  }
  return result;
}
