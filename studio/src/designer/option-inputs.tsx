import type { ReactNode } from "react";

/** A labelled text input. */
export function TextInput(props: {
  label: string;
  name: string;
  value: string | undefined;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input name={props.name} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)} />
    </label>
  );
}

/** A labelled number input; empty is undefined. */
export function NumberInput(props: {
  label: string;
  name: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type="number"
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </label>
  );
}

export function CheckInput(props: {
  label: string;
  name: string;
  value: boolean | undefined;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="inline">
      <input
        name={props.name}
        type="checkbox"
        checked={!!props.value}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}

export function SelectInput(props: {
  label: string;
  name: string;
  value: string | undefined;
  options: Array<{ value: string; label: string }>;
  onChange: (v: string) => void;
  children?: ReactNode;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
