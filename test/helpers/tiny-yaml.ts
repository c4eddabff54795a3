/** What {@link parseTinyYaml} returns. */
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  number: number;
}

/** Drops a comment: `#` at the start or after a space, outside double quotes. */
function withoutComment(raw: string): string {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"' && raw[i - 1] !== '\\') quoted = !quoted;
    else if (c === '#' && !quoted && (i === 0 || raw[i - 1] === ' ')) return raw.slice(0, i);
  }
  return raw;
}

/** A scalar: a JSON-style flow sequence or double-quoted string, else the plain text. */
function scalar(text: string, line: Line): YamlValue {
  if (text.startsWith('[') || text.startsWith('"') || text.startsWith('{')) {
    try {
      return JSON.parse(text) as YamlValue;
    } catch {
      throw new Error(`line ${line.number}: not a JSON-style flow value: ${text}`);
    }
  }
  if (text.startsWith("'") || text.startsWith('&') || text.startsWith('*') || text.startsWith('|'))
    throw new Error(`line ${line.number}: unsupported YAML: ${text}`);
  return text;
}

function block(lines: Line[], start: number, indent: number): [YamlValue, number] {
  let i = start;
  if (lines[i].text === '-' || lines[i].text.startsWith('- ')) {
    const items: YamlValue[] = [];
    while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('-')) {
      const rest = lines[i].text.slice(1).trim();
      if (/^[A-Za-z0-9_./-]+:(\s|$)/.test(rest)) {
        // `- key: value` opens a mapping whose keys line up with `key`: read it as if the dash
        // were indentation.
        const column = lines[i].indent + lines[i].text.indexOf(rest);
        lines[i] = { ...lines[i], indent: column, text: rest };
        const [value, next] = block(lines, i, column);
        items.push(value);
        i = next;
      } else if (rest) {
        items.push(scalar(rest, lines[i]));
        i++;
      } else {
        const [value, next] = block(lines, i + 1, lines[i + 1].indent);
        items.push(value);
        i = next;
      }
    }
    return [items, i];
  }
  const map: { [key: string]: YamlValue } = {};
  while (i < lines.length && lines[i].indent === indent) {
    const m = /^([A-Za-z0-9_./-]+):(?:\s+(.*))?$/.exec(lines[i].text);
    if (!m) throw new Error(`line ${lines[i].number}: expected "key: value": ${lines[i].text}`);
    if (m[2] !== undefined) {
      map[m[1]] = scalar(m[2], lines[i]);
      i++;
    } else if (i + 1 < lines.length && lines[i + 1].indent > indent) {
      const [value, next] = block(lines, i + 1, lines[i + 1].indent);
      map[m[1]] = value;
      i = next;
    } else {
      map[m[1]] = null;
      i++;
    }
  }
  return [map, i];
}

/**
 * Reads the small YAML subset our Compose file and Kubernetes manifests use: block mappings, block
 * sequences (of scalars or of mappings, `- name: x`), plain and double-quoted scalars, JSON-style
 * flow sequences and mappings (`{}`), comments; one document per file. Plain scalars
 * stay strings (`retries: 5` is "5"). Anything else throws naming the line, so a test never
 * silently misreads the file.
 */
export function parseTinyYaml(text: string): YamlValue {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.includes('\t')) throw new Error(`line ${index + 1}: tabs are not YAML indentation`);
    const content = withoutComment(raw).trimEnd();
    if (content.trim() === '') return;
    const indent = content.length - content.trimStart().length;
    lines.push({ indent, text: content.trim(), number: index + 1 });
  });
  if (lines.length === 0) return null;
  const [value, end] = block(lines, 0, lines[0].indent);
  if (end !== lines.length)
    throw new Error(`line ${lines[end].number}: unexpected indentation: ${lines[end].text}`);
  return value;
}
