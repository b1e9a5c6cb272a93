/** The template gallery: cards of real workflow patterns; choosing one asks for a name and creates it. */
import { useState } from "react";
import { TEMPLATES, type WorkflowTemplate } from "../templates";

export interface TemplateGalleryProps {
  onCreate: (template: WorkflowTemplate, name: string) => Promise<void>;
  disabled?: boolean;
}

function countStates(machine: unknown): number {
  const states = (machine as { States?: Record<string, Record<string, unknown>> }).States ?? {};
  let n = 0;
  for (const state of Object.values(states)) {
    n += 1;
    if (Array.isArray(state.Branches)) for (const b of state.Branches) n += countStates(b);
    if (state.ItemProcessor) n += countStates(state.ItemProcessor);
  }
  return n;
}

export function TemplateGallery({ onCreate, disabled }: TemplateGalleryProps) {
  const [chosen, setChosen] = useState<WorkflowTemplate | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await onCreate(chosen, name.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sy-gallery" data-testid="template-gallery" aria-label="Templates">
      <h2>Start from a template</h2>
      <ul className="sy-gallery-grid">
        {TEMPLATES.map((t) => (
          <li key={t.id}>
            <button
              type="button"
              className={chosen?.id === t.id ? "sy-template sy-selected" : "sy-template"}
              data-testid={`template-${t.id}`}
              aria-pressed={chosen?.id === t.id}
              disabled={disabled}
              onClick={() => {
                setChosen(t);
                setName(t.suggestedName);
                setError(null);
              }}
            >
              <strong>{t.title}</strong>
              <span className="sy-template-summary">{t.summary}</span>
              <span className="sy-template-meta">
                {countStates(t.definition)} states · {t.tags.join(" · ")}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {chosen ? (
        <form
          className="sy-gallery-create"
          data-testid="template-create-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <label htmlFor="sy-template-name">Name for the new “{chosen.title}” workflow</label>
          <input id="sy-template-name" data-testid="template-name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" data-testid="template-create" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create workflow"}
          </button>
          <button type="button" data-testid="template-cancel" onClick={() => setChosen(null)}>
            Cancel
          </button>
          {error ? (
            <p className="sy-error" role="alert" data-testid="template-error">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
