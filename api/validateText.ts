import { formatIssue, type ConfigIssue } from './issues.js';
import { loadYamlDocuments, type LoadedDocument } from './yaml/loadDocuments.js';
import { validateDocument, type ValidatedDocument } from './validateDocument.js';

/** A problem located in a file: `file:line: path: message`. */
export interface LocatedProblem {
  readonly file: string;
  readonly line: number;
  readonly issue: ConfigIssue;
}

export function formatProblem(problem: LocatedProblem): string {
  return `${problem.file}:${problem.line}: ${formatIssue(problem.issue)}`;
}

export interface LocatedDocument {
  readonly file: string;
  readonly source: LoadedDocument;
  readonly document: ValidatedDocument;
}

export interface TextReport {
  readonly problems: LocatedProblem[];
  readonly documents: LocatedDocument[];
}

export const EMPTY_FILE_MESSAGE = 'the file holds no document (it is empty or only comments)';

/** Parses and checks every document of one YAML text; `file` names it in the problems. */
export function validateYamlText(text: string, file: string): TextReport {
  const loaded = loadYamlDocuments(text);
  const problems: LocatedProblem[] = loaded.syntaxErrors.map(({ line, message }) => ({
    file,
    line,
    issue: { path: [], message: `invalid YAML: ${message}` },
  }));
  if (loaded.syntaxErrors.length === 0 && loaded.documents.length === 0) {
    // An empty file validates nothing: most likely the wrong file, or one cut short.
    problems.push({ file, line: 1, issue: { path: [], message: EMPTY_FILE_MESSAGE } });
  }
  const documents: LocatedDocument[] = [];
  for (const source of loaded.documents) {
    const result = validateDocument(source.value);
    if (result.ok) documents.push({ file, source, document: result.document });
    else problems.push(...result.issues.map((issue) => ({ file, line: source.lineOf(issue.path), issue })));
  }
  return { problems, documents };
}

/** Thrown by loadYamlConfig: every problem of the text, one `file:line: path: message` per line. */
export class ConfigFileError extends Error {
  constructor(readonly problems: readonly LocatedProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigFileError';
  }
}

/** The validated documents of a YAML text, for programs that read configuration files. */
export function loadYamlConfig(text: string, file: string): ValidatedDocument[] {
  const report = validateYamlText(text, file);
  if (report.problems.length > 0) throw new ConfigFileError(report.problems);
  return report.documents.map((d) => d.document);
}
