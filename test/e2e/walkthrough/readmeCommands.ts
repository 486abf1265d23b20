import { readFile } from 'node:fs/promises';

/** A README section the test runs is missing or holds no commands. */
export class ReadmeSectionError extends Error {
  override name = 'ReadmeSectionError';
}

/**
 * The shell commands of one `## <title>` section of a Markdown file: every line of its ```sh blocks,
 * in order, without blank lines and comment lines.
 */
export async function sectionCommands(markdownFile: string, title: string): Promise<string[]> {
  const lines = (await readFile(markdownFile, 'utf8')).split('\n');
  const start = lines.indexOf(`## ${title}`);
  if (start < 0) throw new ReadmeSectionError(`${markdownFile} has no section "## ${title}"; add it back`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const commands: string[] = [];
  let inShellBlock = false;
  for (const line of lines.slice(start + 1, end < 0 ? undefined : end)) {
    if (line.startsWith('```')) inShellBlock = !inShellBlock && line.trim() === '```sh';
    else if (inShellBlock && line.trim() !== '' && !line.trimStart().startsWith('#')) commands.push(line.trim());
  }
  if (commands.length === 0) {
    throw new ReadmeSectionError(`section "## ${title}" of ${markdownFile} has no commands in \`\`\`sh blocks`);
  }
  return commands;
}
