/** A JSON value, pretty-printed, with a copy-to-clipboard button. */
import { useState } from "react";
import { prettyJson } from "./format";

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through */
  }
  try {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand?.("copy") ?? false;
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="exec-copy"
      data-testid={testId}
      onClick={() => {
        void copyText(text).then((ok) => {
          if (!ok) return;
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

export function JsonView({
  label,
  value,
  testId,
  empty = "(none)",
}: {
  label: string;
  value: unknown;
  testId?: string;
  empty?: string;
}) {
  const text = prettyJson(value);
  return (
    <section className="exec-json" data-testid={testId}>
      <header>
        <h4>{label}</h4>
        {value !== undefined && <CopyButton text={text} testId={testId ? `${testId}-copy` : undefined} />}
      </header>
      {value === undefined ? <p className="exec-muted">{empty}</p> : <pre>{text}</pre>}
    </section>
  );
}
