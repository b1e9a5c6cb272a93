/**
 * Choice rule builder: top-level rules with Next, nested And/Or/Not, every
 * comparison operator and its Path form, JSONata Condition, and Default.
 */
import { ExpressionField } from "./ExpressionField";
import type { ExpressionWhere } from "./jsonataCompletion";
import { OPERATORS, changeKind, coerceOperand, hasPathForm, newRule, operatorKey, ruleKind, splitOperator, withOperator, type Rule, type RuleKind } from "./choiceRules";
import { JsonField, SelectField, TextField } from "./fields";

interface RuleEditorProps {
  rule: Rule;
  onChange: (rule: Rule) => void;
  onRemove?: () => void;
  testId: string;
  jsonata: boolean;
  depth: number;
  /** Where a JSONata Condition is written (its completions); absent: a plain text field. */
  where?: ExpressionWhere;
  readOnly?: boolean;
  /** Why it is read-only (the title of its disabled buttons). */
  reason?: string;
}

const KIND_LABELS: Record<RuleKind, string> = {
  comparison: "Compare",
  And: "All of (And)",
  Or: "Any of (Or)",
  Not: "Not",
  Condition: "JSONata condition",
};

function ComparisonEditor({ rule, onChange, testId }: { rule: Rule; onChange: (r: Rule) => void; testId: string }) {
  const key = operatorKey(rule) ?? "StringEquals";
  const { op, path } = splitOperator(key);
  const operand = rule[key];
  const isTest = op.startsWith("Is");
  return (
    <div className="sy-comparison">
      <TextField
        label="Variable"
        testId={`${testId}-variable`}
        value={typeof rule.Variable === "string" ? rule.Variable : undefined}
        placeholder="$.status"
        onCommit={(v) => onChange({ ...rule, Variable: v ?? "$" })}
      />
      <div className="sy-field">
        <label htmlFor={`${testId}-operator`}>Operator</label>
        <select id={`${testId}-operator`} data-testid={`${testId}-operator`} value={op} onChange={(e) => onChange(withOperator(rule, e.target.value, path))}>
          {Object.entries(OPERATORS).map(([group, ops]) => (
            <optgroup key={group} label={group}>
              {ops.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {hasPathForm(op) ? (
        <div className="sy-field sy-field-check">
          <input
            id={`${testId}-path`}
            type="checkbox"
            data-testid={`${testId}-path`}
            checked={path}
            onChange={(e) => onChange(withOperator(rule, op, e.target.checked))}
          />
          <label htmlFor={`${testId}-path`}>Compare with a path ({op}Path)</label>
        </div>
      ) : null}
      {isTest || op === "BooleanEquals" && !path ? (
        <div className="sy-field">
          <label htmlFor={`${testId}-value`}>Value</label>
          <select
            id={`${testId}-value`}
            data-testid={`${testId}-value`}
            value={String(operand === true)}
            onChange={(e) => onChange({ ...rule, [key]: e.target.value === "true" })}
          >
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        </div>
      ) : (
        <TextField
          label={path ? "Other path" : "Value"}
          testId={`${testId}-value`}
          value={operand === undefined ? undefined : String(operand)}
          onCommit={(v) => onChange({ ...rule, [key]: coerceOperand(op, path, v ?? "") })}
        />
      )}
    </div>
  );
}

export function RuleEditor({ rule, onChange, onRemove, testId, jsonata, depth, where, readOnly = false, reason }: RuleEditorProps) {
  const kind = ruleKind(rule);
  const kinds: RuleKind[] = jsonata ? ["Condition"] : ["comparison", "And", "Or", "Not"];
  if (!kinds.includes(kind)) kinds.push(kind);
  return (
    <div className="sy-rule" data-testid={testId} style={{ marginLeft: depth ? 12 : 0 }}>
      <div className="sy-rule-head">
        <select aria-label="Rule kind" data-testid={`${testId}-kind`} value={kind} onChange={(e) => onChange(changeKind(rule, e.target.value as RuleKind))}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {onRemove ? (
          <button type="button" data-testid={`${testId}-remove`} onClick={onRemove} aria-label="Remove rule" disabled={readOnly} title={readOnly ? reason : "Remove this rule"}>
            Remove
          </button>
        ) : null}
      </div>
      {kind === "comparison" ? <ComparisonEditor rule={rule} onChange={onChange} testId={testId} /> : null}
      {kind === "Condition" ? (
        where ? (
          <ExpressionField
            label="Condition"
            testId={`${testId}-condition`}
            mode={typeof rule.Condition === "string" ? "text" : "json"}
            value={rule.Condition}
            where={where}
            disabled={readOnly}
            placeholder="{% $states.input.ok %}"
            onCommit={(v) => onChange({ ...rule, Condition: v ?? "{% true %}" })}
          />
        ) : (
          <TextField
            label="Condition"
            testId={`${testId}-condition`}
            value={typeof rule.Condition === "string" ? rule.Condition : JSON.stringify(rule.Condition)}
            placeholder="{% $states.input.ok %}"
            onCommit={(v) => onChange({ ...rule, Condition: v ?? "{% true %}" })}
          />
        )
      ) : null}
      {kind === "Not" ? (
        <RuleEditor
            where={where}
            readOnly={readOnly}
            reason={reason}
          rule={(rule.Not as Rule) ?? newRule("comparison")}
          onChange={(inner) => onChange({ ...rule, Not: inner })}
          testId={`${testId}-not`}
          jsonata={jsonata}
          depth={depth + 1}
        />
      ) : null}
      {kind === "And" || kind === "Or" ? (
        <div className="sy-rule-list">
          {((rule[kind] as Rule[]) ?? []).map((inner, i) => (
            <RuleEditor
            where={where}
            readOnly={readOnly}
            reason={reason}
              key={i}
              rule={inner}
              testId={`${testId}-${kind.toLowerCase()}-${i}`}
              jsonata={jsonata}
              depth={depth + 1}
              onChange={(next) => {
                const list = [...((rule[kind] as Rule[]) ?? [])];
                list[i] = next;
                onChange({ ...rule, [kind]: list });
              }}
              onRemove={() => {
                const list = ((rule[kind] as Rule[]) ?? []).filter((_, j) => j !== i);
                onChange({ ...rule, [kind]: list });
              }}
            />
          ))}
          <button
            type="button"
            data-testid={`${testId}-${kind.toLowerCase()}-add`}
            onClick={() => onChange({ ...rule, [kind]: [...((rule[kind] as Rule[]) ?? []), newRule("comparison")] })}
          >
            Add condition
          </button>
        </div>
      ) : null}
    </div>
  );
}

export interface ChoiceEditorProps {
  choices: Rule[];
  defaultNext: string | undefined;
  targets: string[];
  jsonata: boolean;
  where?: ExpressionWhere;
  readOnly?: boolean;
  /** Why it is read-only (the title of its disabled buttons). */
  reason?: string;
  onChoices: (choices: Rule[], label: string) => void;
  onDefault: (next: string | undefined) => void;
}

export function ChoiceEditor({ choices, defaultNext, targets, jsonata, where, readOnly = false, reason, onChoices, onDefault }: ChoiceEditorProps) {
  const set = (i: number, rule: Rule, label: string) => {
    const list = [...choices];
    list[i] = rule;
    onChoices(list, label);
  };
  return (
    <section className="sy-section" data-testid="choice-editor">
      <h4>Rules</h4>
      {choices.map((rule, i) => (
        <div key={i} className="sy-choice" data-testid={`choice-${i}`}>
          <div className="sy-choice-head">
            <strong>Rule {i + 1}</strong>
            <button
              type="button"
              data-testid={`choice-${i}-up`}
              aria-label="Move rule up"
              disabled={readOnly || i === 0}
              title={readOnly ? reason : i === 0 ? "Already the first rule" : "Move this rule up"}
              onClick={() => {
              const list = [...choices];
              [list[i - 1], list[i]] = [list[i]!, list[i - 1]!];
              onChoices(list, "Move Choice rule");
            }}>
              ↑
            </button>
          </div>
          <RuleEditor
            where={where}
            readOnly={readOnly}
            reason={reason}
            rule={rule}
            testId={`choice-${i}-rule`}
            jsonata={jsonata}
            depth={0}
            onChange={(r) => set(i, r, "Edit Choice rule")}
            onRemove={() => onChoices(choices.filter((_, j) => j !== i), "Remove Choice rule")}
          />
          <SelectField
            label="Then go to"
            testId={`choice-${i}-next`}
            value={typeof rule.Next === "string" ? rule.Next : undefined}
            options={targets}
            allowEmpty={false}
            onCommit={(v) => set(i, { ...rule, Next: v ?? "" }, "Change Choice target")}
          />
          {jsonata ? (
            <JsonField
              label="Output (JSONata)"
              testId={`choice-${i}-output`}
              value={rule.Output}
              rows={2}
              onCommit={(v) => {
                const next = { ...rule };
                if (v === undefined) delete next.Output;
                else next.Output = v;
                set(i, next, "Edit Choice rule output");
              }}
            />
          ) : null}
          <JsonField
            label="Assign"
            testId={`choice-${i}-assign`}
            value={rule.Assign}
            rows={2}
            onCommit={(v) => {
              const next = { ...rule };
              if (v === undefined) delete next.Assign;
              else next.Assign = v;
              set(i, next, "Edit Choice rule variables");
            }}
          />
        </div>
      ))}
      <button
        type="button"
        data-testid="choice-add"
        onClick={() => onChoices([...choices, newRule(jsonata ? "Condition" : "comparison", targets[0] ?? "")], "Add Choice rule")}
      >
        Add rule
      </button>
      <SelectField label="Default" testId="choice-default" value={defaultNext} options={targets} onCommit={onDefault} />
    </section>
  );
}
