import { open } from 'node:fs/promises';
import { formatProblem, validateYamlText, type LocatedDocument } from '../api/validateText.js';

/** The largest file `validate` and `render` read: configuration is kilobytes; more is refused unread. */
export const MAX_DOCUMENT_FILE_BYTES = 4 * 1024 * 1024;

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

/**
 * The file's text, or undefined when it holds more than `limit` bytes. Reads in chunks and stops past
 * the limit, so a file that grows or never ends (a pipe, a device) is refused all the same.
 */
async function readBounded(file: string, limit: number): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    if ((await handle.stat()).size > limit) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, total).toString('utf8');
      total += bytesRead;
      if (total > limit) return undefined;
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** Reads and validates every document of every file; a file that cannot be read is one more problem. */
export async function readDocumentFiles(
  files: readonly string[],
  limit = MAX_DOCUMENT_FILE_BYTES,
): Promise<DocumentFiles> {
  const result: DocumentFiles = { documents: [], problems: [] };
  for (const file of files) {
    let text: string | undefined;
    try {
      text = await readBounded(file, limit);
    } catch (error) {
      result.problems.push(readFailure(file, error));
      continue;
    }
    if (text === undefined) {
      result.problems.push(`${file}: is larger than the limit of ${limit} bytes; not read`);
      continue;
    }
    const report = validateYamlText(text, file);
    result.problems.push(...report.problems.map(formatProblem));
    result.documents.push(...report.documents);
  }
  return result;
}
